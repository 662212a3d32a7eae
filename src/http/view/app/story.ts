import type {
  AuditRecordJson,
  DeliveryStoryJson,
  DryRunReplayAnswer,
  ReplayAnswer,
  RoutingToldJson,
  StoryCandidateJson,
} from '../../api-shapes.js';
import type { RepoPageJson } from '../../api-shapes.js';
import { api, AuthNeeded } from './api.js';
import { badge, byId, code, fill, h, muted, orDash, table, type Child } from './dom.js';
import { list, loadDeliveries, markSelected } from './deliveries.js';
import { diagnoseAtTop } from './diagnose.js';
import { deliveryHref, entityLink, eventName, outcomeBadge, repoLink, subjectText, time, traceUrl } from './format.js';
import { payloadSection } from './payload.js';
import { loadTrace } from './trace.js';

// The story of one delivery (R10): what it was, which triggers it could wake and why each did or
// did not, its audit records and trace, and a re-test button. Its address is #delivery=<id>.

const fact = (label: string, value: Child): Child => [h('dt', { text: label }), h('dd', {}, value)];

function traceFact(traceId: string | null): Child {
  if (!traceId) return muted('no trace recorded');
  const url = traceUrl(traceId);
  return h('span', { class: 'trace' }, [
    h('a', { href: `#trace=${traceId}`, class: 'entity-link' }, h('code', { id: 'story-trace-id', text: traceId })),
    ' ',
    url
      ? h('a', {
          id: 'story-trace-link',
          href: url,
          target: '_blank',
          rel: 'noopener noreferrer',
          text: 'Open trace ↗',
        })
      : null,
  ]);
}

/** The trace's waterfall inside the story, drawn from the spans the reconciler kept. */
function traceSection(traceId: string | null): Child {
  if (!traceId) return null;
  const content = h('div', { id: 'story-trace' });
  const details = h('details', { class: 'story-section', id: 'trace-section' }, [
    h('summary', { text: 'Trace waterfall' }),
    content,
  ]);
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (!details.open || loaded) return;
    loaded = true;
    void loadTrace(content, traceId);
  });
  return details;
}

/** The repo's name today, written into the story once its page answers. */
function repoFact(repoId: number | null, nameTarget: HTMLElement): Child {
  if (repoId === null) return muted('none');
  api<RepoPageJson>(`/api/repos/${repoId}`)
    .then((repo) => fill(nameTarget, repoLink(repoId, repo.fullName)))
    .catch(() => undefined);
  fill(nameTarget, repoLink(repoId, null));
  return nameTarget;
}

/** Diagnoses the candidate's user and the delivery's repo in the diagnose panel at the top. */
function diagnoseButton(userId: string, repoId: number): HTMLElement {
  const button = h('button', {
    type: 'button',
    class: 'quiet diagnose-candidate',
    text: `Diagnose ${userId} and this repo`,
  });
  button.addEventListener('click', () => {
    api<RepoPageJson>(`/api/repos/${repoId}`)
      .then((repo) => repo.fullName && diagnoseAtTop(userId, repo.fullName))
      .catch((error: unknown) => {
        if (!(error instanceof AuthNeeded)) button.textContent = (error as Error).message;
      });
  });
  return button;
}

function candidateCard(candidate: StoryCandidateJson, repoId: number | null): HTMLElement {
  const woken = candidate.outcome === 'woken';
  return h(
    'li',
    { class: `candidate ${woken ? 'is-woken' : 'is-not-woken'}`, 'data-trigger-id': candidate.triggerId },
    [
      h('div', { class: 'candidate-head' }, [
        h('strong', {}, ['Trigger ', entityLink('trigger', candidate.triggerId)]),
        ' ',
        badge(woken ? 'woken' : 'not_woken', woken ? 'woken' : 'not woken'),
        candidate.reason ? [' ', h('code', { class: 'reason', text: candidate.reason })] : null,
      ]),
      h('div', { class: 'sub' }, [
        'automation ',
        candidate.automationId ? entityLink('automation', candidate.automationId) : orDash(null),
        ' · user ',
        orDash(candidate.userId),
        ' · bound to installation ',
        candidate.boundInstallationId === null
          ? orDash(null)
          : entityLink('installation', candidate.boundInstallationId, String(candidate.boundInstallationId)),
      ]),
      candidate.detail ? h('p', { class: 'detail', text: candidate.detail }) : null,
      candidate.fix ? h('p', { class: 'fix' }, [h('strong', { text: 'Fix: ' }), candidate.fix]) : null,
      !woken && candidate.userId && repoId !== null
        ? h('div', { class: 'actions' }, diagnoseButton(candidate.userId, repoId))
        : null,
    ],
  );
}

function auditTable(records: readonly AuditRecordJson[]): HTMLElement {
  const rows = records.map((record) =>
    h('tr', {}, [
      h('td', { text: record.seq }),
      h('td', {}, time(record.occurredAt)),
      h('td', {}, code(record.kind)),
      h('td', { text: record.decision }),
      h('td', { class: 'reason-cell' }, orDash(record.reason)),
      h('td', { class: 'sub', text: subjectText(record.subject) }),
    ]),
  );
  return table('audit', ['#', 'When', 'Kind', 'Decision', 'Reason', 'Subject'], rows);
}

const wokeText = (told: RoutingToldJson): string =>
  told.woke.length === 0 ? `${told.outcome}: woke nothing` : `${told.outcome}: woke ${told.woke.join(', ')}`;

/** The dry run's answer: then and now side by side, and the triggers whose decision changed. */
function dryRunResult(answer: DryRunReplayAnswer): Child {
  const side = (label: string, told: RoutingToldJson, id: string): Child =>
    h('div', { class: 'retest-side', id }, [
      h('h5', { text: label }),
      h('p', { class: 'retest-woke', text: wokeText(told) }),
      h('p', { class: 'sub', text: told.summary }),
    ]);
  return h('div', { class: 'retest', id: 'retest-result' }, [
    h('div', { class: 'retest-sides' }, [
      side('Then (when it was routed)', answer.then, 'retest-then'),
      side('Now (today’s state; nothing was woken)', answer.now, 'retest-now'),
    ]),
    answer.changed.length === 0
      ? h('p', { class: 'muted', id: 'retest-changed', text: 'No trigger would decide differently now.' })
      : h(
          'ul',
          { id: 'retest-changed' },
          answer.changed.map((change) =>
            h('li', {}, [
              'Trigger ',
              entityLink('trigger', change.triggerId),
              `: ${change.then ?? 'not a candidate'} → ${change.now ?? 'not a candidate'}`,
            ]),
          ),
        ),
    answer.now.candidates.some((c) => c.fix)
      ? h(
          'ul',
          { class: 'retest-fixes' },
          answer.now.candidates.filter((c) => c.fix).map((c) => h('li', {}, [code(c.triggerId), ': ', c.fix ?? ''])),
        )
      : null,
  ]);
}

async function dryRun(id: string, resultNode: HTMLElement, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  fill(resultNode, 'Routing against today’s state…');
  try {
    const answer = await api<DryRunReplayAnswer>(
      `/api/deliveries/${encodeURIComponent(id)}/replay?dryRun=true`,
      'POST',
    );
    fill(resultNode, dryRunResult(answer));
  } catch (error) {
    if (!(error instanceof AuthNeeded)) fill(resultNode, (error as Error).message);
  } finally {
    button.disabled = false;
  }
}

async function replay(id: string, statusNode: HTMLElement, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  statusNode.textContent = 'Replaying…';
  try {
    const answer = await api<ReplayAnswer>(`/api/deliveries/${encodeURIComponent(id)}/replay`, 'POST');
    fill(
      statusNode,
      'Replayed as ',
      h('a', { href: deliveryHref(answer.deliveryId) }, code(answer.deliveryId)),
      '; it goes through the same pipeline and has its own story.',
    );
    void loadDeliveries(true);
    // The worker takes a moment: show the replay's outcome once it is likely known.
    list.reload = setTimeout(() => void loadDeliveries(true), 1500);
  } catch (error) {
    if (!(error instanceof AuthNeeded)) statusNode.textContent = (error as Error).message;
  } finally {
    button.disabled = false;
  }
}

function renderStory(story: DeliveryStoryJson): void {
  const { delivery, candidates, audit } = story;
  const replayStatus = h('span', { class: 'status', role: 'status' });
  const retestResult = h('div', { class: 'status', role: 'status', id: 'retest-status' });
  // The safe re-test comes first: it writes nothing, so testing a route never runs an automation.
  const retestButton = h('button', { type: 'button', id: 'retest-button', text: 'Re-test (dry run, wakes nothing)' });
  retestButton.addEventListener('click', () => void dryRun(delivery.id, retestResult, retestButton));
  const replayButton = h('button', {
    type: 'button',
    id: 'replay-button',
    class: 'quiet',
    text: 'Replay for real (wakes triggers, marked replay)',
  });
  replayButton.addEventListener('click', () => void replay(delivery.id, replayStatus, replayButton));
  fill(
    byId('story'),
    h('div', { class: 'story-head' }, [h('h3', {}, ['Delivery ', code(delivery.id)]), outcomeBadge(story.outcome)]),
    h('p', { class: 'story-summary', id: 'story-summary', text: story.summary }),
    h('dl', { class: 'facts' }, [
      fact('Event', code(eventName(delivery))),
      fact('State', [delivery.state, ' · ', delivery.attempts + (delivery.attempts === 1 ? ' attempt' : ' attempts')]),
      fact(
        'Installation',
        delivery.installationId === null
          ? orDash(null)
          : entityLink('installation', delivery.installationId, `installation ${delivery.installationId}`),
      ),
      fact('Repo', repoFact(delivery.repoId, h('span', { id: 'story-repo' }))),
      fact('Received', time(delivery.receivedAt)),
      fact('Processed', time(delivery.processedAt)),
      delivery.nextAttemptAt ? fact('Next attempt', time(delivery.nextAttemptAt)) : null,
      delivery.error ? fact('Error', delivery.error) : null,
      delivery.replayOf
        ? fact('Replay of', h('a', { href: deliveryHref(delivery.replayOf) }, code(delivery.replayOf)))
        : null,
      fact('Trace', traceFact(story.traceId)),
    ]),
    h('div', { class: 'actions', id: 'story-actions' }, [retestButton, ' ', replayButton, ' ', replayStatus]),
    retestResult,
    payloadSection(delivery.id),
    traceSection(story.traceId),
    h('h4', { text: `Candidate triggers (${candidates.length})` }),
    candidates.length === 0
      ? h('p', {
          class: 'muted',
          text:
            story.outcome === 'not_routed'
              ? 'Not routed, so no trigger was considered.'
              : 'No trigger is registered for this repository.',
        })
      : h(
          'ul',
          { class: 'candidates', id: 'story-candidates' },
          candidates.map((c) => candidateCard(c, delivery.repoId)),
        ),
    h('h4', { text: `Audit records (${audit.length})` }),
    audit.length === 0 ? h('p', { class: 'muted', text: 'No audit record names this delivery.' }) : auditTable(audit),
    story.auditTruncated
      ? h('p', { class: 'hint' }, [
          'Only the first ',
          String(audit.length),
          ' records are shown; GET ',
          code(`/api/audit?deliveryId=${encodeURIComponent(delivery.id)}`),
          ' has them all.',
        ])
      : null,
  );
}

export async function openStory(id: string): Promise<void> {
  list.openId = id;
  markSelected();
  const target = byId('story');
  fill(target, h('p', { class: 'muted' }, ['Loading delivery ', code(id), '…']));
  try {
    const story = await api<DeliveryStoryJson>(`/api/deliveries/${encodeURIComponent(id)}`);
    if (list.openId !== id) return;
    renderStory(story);
    // Opened from far down the list (or below it on a narrow screen): bring the story into view.
    const top = byId('story-panel').getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight - 120) byId('story-panel').scrollIntoView({ behavior: 'smooth' });
  } catch (error) {
    if (error instanceof AuthNeeded || list.openId !== id) return;
    fill(target, h('p', { class: 'status error', text: (error as Error).message }));
  }
}
