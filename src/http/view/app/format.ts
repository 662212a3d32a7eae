import type { AuditSubjectJson, DeliveryJson, RoutingOutcome } from '../../api-shapes.js';
import { badge, h, muted } from './dom.js';

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

/** Local time; today's times without the date (the ISO time is in the tooltip). */
export function time(iso: string | null | undefined): Node | string {
  if (!iso) return muted('—');
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return String(iso);
  const today = at.toDateString() === new Date().toDateString();
  const text = today
    ? at.toLocaleTimeString(undefined, { timeStyle: 'medium' })
    : at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return h('time', { datetime: iso, title: iso, text });
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
