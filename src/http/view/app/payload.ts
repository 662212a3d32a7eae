import { api, AuthNeeded } from './api.js';
import { code, fill, h } from './dom.js';
import type { DeliveryPayloadJson } from '../../api-shapes.js';

// A delivery's payload and headers as GitHub sent them (GET /api/deliveries/:id/payload),
// pretty-printed, each top-level field of the payload folded on its own.

const pretty = (value: unknown): string => JSON.stringify(value, null, 2) ?? 'undefined';

function payloadFields(payload: unknown): HTMLElement {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    return h('pre', { class: 'json', text: pretty(payload) });
  return h(
    'div',
    { class: 'json-fields' },
    Object.entries(payload as Record<string, unknown>).map(([key, value]) => {
      const simple = value === null || typeof value !== 'object';
      return simple
        ? h('div', { class: 'json-field' }, [code(key), ': ', h('span', { class: 'json-value', text: pretty(value) })])
        : h('details', { class: 'json-field' }, [
            h('summary', {}, [
              code(key),
              h('span', { class: 'sub', text: Array.isArray(value) ? ` [${value.length}]` : ' {…}' }),
            ]),
            h('pre', { class: 'json', text: pretty(value) }),
          ]);
    }),
  );
}

function renderPayload(target: HTMLElement, answer: DeliveryPayloadJson): void {
  const headers = Object.entries(answer.headers).sort(([a], [b]) => (a < b ? -1 : 1));
  fill(
    target,
    h('details', { class: 'payload-part', id: 'payload-headers' }, [
      h('summary', { text: `Headers (${headers.length})` }),
      h(
        'dl',
        { class: 'facts headers' },
        headers.map(([name, value]) => [h('dt', {}, code(name)), h('dd', { text: value })]),
      ),
    ]),
    h('details', { class: 'payload-part', id: 'payload-body', open: true }, [
      h('summary', { text: 'Payload' }),
      payloadFields(answer.payload),
      h('details', { class: 'payload-raw' }, [
        h('summary', { text: 'Whole payload as JSON' }),
        h('pre', { class: 'json', id: 'payload-json', text: pretty(answer.payload) }),
      ]),
    ]),
  );
}

/** The payload section of a story: read when it is first opened. */
export function payloadSection(deliveryId: string): HTMLElement {
  const content = h('div', { id: 'payload-content' }, h('p', { class: 'muted', text: 'Loading the payload…' }));
  const section = h('details', { class: 'story-section', id: 'payload-section' }, [
    h('summary', { text: 'Payload and headers as GitHub sent them' }),
    content,
  ]);
  let loaded = false;
  section.addEventListener('toggle', () => {
    if (!section.open || loaded) return;
    loaded = true;
    api<DeliveryPayloadJson>(`/api/deliveries/${encodeURIComponent(deliveryId)}/payload`)
      .then((answer) => renderPayload(content, answer))
      .catch((error: unknown) => {
        loaded = false;
        if (!(error instanceof AuthNeeded))
          fill(content, h('p', { class: 'status error', text: (error as Error).message }));
      });
  });
  return section;
}
