// DOM building, text only: every value from the API reaches the page through text nodes or
// textContent, never innerHTML. The only attributes built from data are `#delivery=` links
// (encodeURIComponent) and the trace link, whose URL must come out as http(s) (format.ts).

export type Child = Node | string | number | null | undefined | false | readonly Child[];

/** `class` sets className, `text` the text content; other keys are attributes (true: present, empty). */
export type Props = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  children?: Child,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = String(value);
    else if (key === 'text') node.textContent = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/** Appends children, skipping null, undefined and false, flattening arrays. */
function append(node: Element, children: Child): void {
  if (children === null || children === undefined || children === false) return;
  if (Array.isArray(children)) {
    for (const child of children as readonly Child[]) append(node, child);
    return;
  }
  node.append(children instanceof Node ? children : String(children));
}

/** Replaces a node's children; like append, it skips null and flattens arrays. */
export function fill(node: Element, ...children: Child[]): void {
  node.replaceChildren();
  append(node, children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node as T;
}

export const code = (value: string | number): HTMLElement => h('code', { text: value });
export const muted = (value: string): HTMLElement => h('span', { class: 'muted', text: value });
export const orDash = (value: string | number | null | undefined): Child =>
  value === null || value === undefined || value === '' ? muted('—') : String(value);

export function badge(kind: string, label?: string): HTMLElement {
  return h('span', { class: `badge badge-${kind.replace(/[^a-z_]/g, '')}`, text: label || kind });
}

export function setStatus(id: string, message: string, isError = false): void {
  const node = byId(id);
  node.textContent = message;
  node.classList.toggle('error', isError);
}

/** A table of text headings over the given rows. */
export function table(className: string | null, titles: readonly string[], rows: Child): HTMLElement {
  return h(
    'div',
    { class: 'scroll' },
    h('table', { class: className }, [
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          titles.map((title) => h('th', { text: title })),
        ),
      ),
      h('tbody', {}, rows),
    ]),
  );
}
