import { api, AuthNeeded } from './api.js';
import { badge, code, fill, h, muted, type Child } from './dom.js';
import { time, traceUrl } from './format.js';
import type { SpanJson, TraceJson } from './pending-shapes.js';

// A trace's waterfall (GET /api/traces/:traceId): one bar per span, placed by its start and
// length within the trace, nested under its parent; a span opens to its attributes and its
// events (the audit decisions made inside it).

interface PlacedSpan {
  span: SpanJson;
  depth: number;
}

/** Spans in tree order (each after its parent, siblings by start), with their depth. */
export function placeSpans(spans: readonly SpanJson[]): PlacedSpan[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, SpanJson[]>();
  for (const span of spans) {
    // A parent not stored (the caller's span, or one pruned by the cap) makes the span a root.
    const parent = span.parentSpanId !== null && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const placed: PlacedSpan[] = [];
  const visit = (parent: string | null, depth: number): void => {
    const under = [...(children.get(parent) ?? [])].sort((a, b) => (a.startTime < b.startTime ? -1 : 1));
    for (const span of under) {
      placed.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit(null, 0);
  return placed;
}

const valueText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

const attributeList = (attributes: Record<string, unknown>): Child =>
  Object.keys(attributes).length === 0
    ? muted('no attributes')
    : h(
        'dl',
        { class: 'facts attributes' },
        Object.entries(attributes).map(([key, value]) => [h('dt', {}, code(key)), h('dd', { text: valueText(value) })]),
      );

function spanRow(placed: PlacedSpan, start: number, total: number): HTMLElement {
  const { span, depth } = placed;
  const offset = ((new Date(span.startTime).getTime() - start) / total) * 100;
  const width = Math.max((span.durationMs / total) * 100, 0.4);
  const detail = h('div', { class: 'span-detail', hidden: true }, [
    h('p', { class: 'sub' }, [`${span.kind} span `, code(span.spanId), ' · started ', time(span.startTime)]),
    span.statusMessage ? h('p', { class: 'error', text: span.statusMessage }) : null,
    attributeList(span.attributes),
    span.events.length === 0
      ? null
      : h('div', { class: 'span-events' }, [
          h('h5', { text: `Events (${span.events.length})` }),
          h(
            'ul',
            {},
            span.events.map((event) =>
              h('li', {}, [h('strong', { text: event.name }), ' ', time(event.time), attributeList(event.attributes)]),
            ),
          ),
        ]),
  ]);
  const head = h('button', { type: 'button', class: 'span-head', 'aria-expanded': 'false' }, [
    h('span', { class: 'span-name', style: null, 'data-depth': depth }, [
      h('span', { class: 'span-indent', text: '\u2003'.repeat(Math.min(depth, 12)) }),
      span.name,
      span.status === 'error' ? [' ', badge('failed', 'error')] : null,
    ]),
    h(
      'span',
      { class: 'span-track' },
      h('span', {
        class: `span-bar status-${span.status}`,
        'data-offset': offset.toFixed(2),
        'data-width': width.toFixed(2),
      }),
    ),
    h('span', { class: 'span-ms', text: `${span.durationMs.toFixed(1)} ms` }),
  ]);
  head.addEventListener('click', () => {
    detail.hidden = !detail.hidden;
    head.setAttribute('aria-expanded', String(!detail.hidden));
  });
  return h('li', { class: 'span', 'data-span-id': span.spanId, 'data-parent-id': span.parentSpanId ?? '' }, [
    head,
    detail,
  ]);
}

/** Bars are placed through CSSOM (the page's policy allows no inline style attribute). */
function placeBars(root: HTMLElement): void {
  for (const bar of root.querySelectorAll<HTMLElement>('.span-bar')) {
    bar.style.marginLeft = `${bar.dataset.offset ?? 0}%`;
    bar.style.width = `${bar.dataset.width ?? 0}%`;
  }
}

export function renderTrace(target: HTMLElement, trace: TraceJson): void {
  const placed = placeSpans(trace.spans);
  const starts = trace.spans.map((s) => new Date(s.startTime).getTime());
  const ends = trace.spans.map((s) => new Date(s.endTime).getTime());
  const start = Math.min(...starts);
  const total = Math.max(Math.max(...ends) - start, 1);
  const link = trace.traceUrl ?? traceUrl(trace.traceId);
  const list = h(
    'ol',
    { class: 'waterfall', id: 'trace-waterfall' },
    placed.map((p) => spanRow(p, start, total)),
  );
  fill(
    target,
    h('p', { class: 'trace-head' }, [
      'Trace ',
      code(trace.traceId),
      ` · ${trace.spans.length} spans over ${total} ms `,
      link
        ? h('a', {
            href: link,
            target: '_blank',
            rel: 'noopener noreferrer',
            id: 'trace-out-link',
            text: 'Open in the trace viewer ↗',
          })
        : null,
    ]),
    list,
  );
  placeBars(list);
}

/** Loads a trace into `target`; says so when no span of it is kept. */
export async function loadTrace(target: HTMLElement, traceId: string): Promise<void> {
  fill(target, h('p', { class: 'muted' }, ['Loading trace ', code(traceId), '…']));
  try {
    renderTrace(target, await api<TraceJson>(`/api/traces/${encodeURIComponent(traceId)}`));
  } catch (error) {
    if (error instanceof AuthNeeded) return;
    fill(target, h('p', { class: 'status error', text: (error as Error).message }));
  }
}
