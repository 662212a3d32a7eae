import type { AuditSubjectJson, DeliveryJson, RoutingOutcome } from '../../api-shapes.js';
import { badge, code, h, muted, type Child } from './dom.js';

// How values read on the page: times, outcomes, subjects, links.

const OUTCOME_LABELS: Record<RoutingOutcome, string> = {
  woke: 'woke',
  woke_none: 'woke none',
  no_candidates: 'no candidates',
  not_routed: 'not routed',
};

export const outcomeBadge = (outcome: RoutingOutcome): HTMLElement =>
  badge(outcome, OUTCOME_LABELS[outcome] || outcome);

export const deliveryHref = (id: string): string => `#delivery=${encodeURIComponent(id)}`;

export const eventName = (delivery: Pick<DeliveryJson, 'event' | 'action'>): string =>
  delivery.event + (delivery.action ? `.${delivery.action}` : '');

const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

/** Date, time and time zone, then how long ago ("3 min ago"); the ISO time is on hover. */
export function time(iso: string | null | undefined): Node | string {
  if (!iso) return muted('—');
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return String(iso);
  return h('time', { datetime: iso, title: iso }, [
    DATE_TIME.format(at),
    h('span', { class: 'ago', text: ` · ${ago(iso)}` }),
  ]);
}

export function ago(iso: string): string {
  const ms = Date.now() - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/** The view's own addresses: every entity has one, so every id on the page is a link. */
export type EntityKind = 'delivery' | 'repo' | 'trigger' | 'automation' | 'installation' | 'trace';

export const entityHref = (kind: EntityKind, id: string | number): string =>
  `${location.search}#${kind}=${encodeURIComponent(String(id))}`;

/** A link to an entity's page, showing `label` (the id itself when none is given). */
export function entityLink(kind: EntityKind, id: string | number, label?: Child): HTMLElement {
  return h(
    'a',
    { href: entityHref(kind, id), class: `entity-link link-${kind}`, 'data-kind': kind, 'data-id': String(id) },
    label ?? code(String(id)),
  );
}

/** A repo by its name today with its id beside it, linked to its page. */
export function repoLink(repoId: number, fullName: string | null | undefined): HTMLElement {
  return entityLink('repo', repoId, [
    fullName ? h('span', { class: 'repo-name', text: fullName }) : 'repo',
    ' ',
    h('span', { class: 'sub', text: `#${repoId}` }),
  ]);
}

const SUBJECT_NAMES: Record<keyof AuditSubjectJson, string> = {
  userId: 'user',
  repoFullName: 'repo',
  repoId: 'repo id',
  installationId: 'installation',
  automationId: 'automation',
  triggerId: 'trigger',
};

export function subjectText(subject: AuditSubjectJson | null | undefined): string {
  if (!subject) return '';
  return (Object.keys(SUBJECT_NAMES) as (keyof AuditSubjectJson)[])
    .filter((key) => subject[key] !== undefined && subject[key] !== null)
    .map((key) => `${SUBJECT_NAMES[key]} ${subject[key]}`)
    .join(' · ');
}

const traceTemplate =
  document.querySelector<HTMLMetaElement>('meta[name="reconciler-trace-url-template"]')?.content ?? '';

/** The trace link: the configured template with {traceId} replaced, only if it is an http(s) URL. */
export function traceUrl(traceId: string | null): string | null {
  if (!traceTemplate || !traceId) return null;
  try {
    const url = new URL(traceTemplate.split('{traceId}').join(encodeURIComponent(traceId)), location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    // Not a URL at all: show the id without a link.
    return null;
  }
}
