import { installationState, type Automation, type Installation, type RepoRow, type Trigger } from './entities.js';
import type { RoutingOutcome } from './explain-routing.js';
import {
  rebindAutomationAction,
  rebindTriggerAction,
  replayAction,
  syncUserAction,
  type StepAction,
} from './step-action.js';

// The troubleshooting order of repo-sync-and-rebinding.md ("Good troubleshooting order" and
// "The operational takeaway"), answered from facts: each step says ok, problem or unknown,
// what it saw, and what to do next.

export type StepStatus = 'ok' | 'problem' | 'unknown';

export interface DiagnosisStep {
  step: 1 | 2 | 3 | 4 | 5;
  name: string;
  status: StepStatus;
  evidence: string;
  next: string | null;
  /** The fix as a call (the view's button); the first of `actions`, null when there is none. */
  action: StepAction | null;
  actions: StepAction[];
}

export interface SyncRecord {
  installationId: number;
  decision: string;
  reason: string | null;
  occurredAt: string;
}

export interface DeliverySeen {
  id: string;
  event: string;
  action: string | null;
  receivedAt: string;
  state: string;
  outcome: RoutingOutcome;
  summary: string | null;
  /** This user's triggers among the candidates. */
  userDecisions: { triggerId: string; outcome: 'woken' | 'not_woken'; reason: string | null }[];
}

export interface DiagnosisFacts {
  userId: string;
  repoFullName: string;
  appCredentials: boolean;
  /** Every installation linked to the user, whatever its state. */
  linked: readonly Installation[];
  /** The user's base row for the repo, when there is one. */
  row: RepoRow | null;
  /** The installation the row is bound to, when it is known. */
  rowInstallation: Installation | null;
  /** The newest installation-backed sync run of the installation that covers (or should cover) the repo. */
  lastInstallationSync: SyncRecord | null;
  /** The newest sync decision about this user's row of the repo. */
  lastRowDecision: { decision: string; occurredAt: string } | null;
  /** The newest rebind of the user, skipped or applied. */
  lastRebind: { decision: 'skipped' | 'rebound'; reason: string | null; occurredAt: string } | null;
  /** The user's triggers on this repo. */
  triggers: readonly Trigger[];
  /** The automations those triggers belong to. */
  automations: readonly Automation[];
  /** The newest deliveries for the repo, newest first. */
  deliveries: readonly DeliverySeen[];
  /**
   * Set when the name asked about is one the repo had before a rename or transfer: the audit
   * trail tied it to the repo, and the other facts are about the repo under its current name.
   */
  formerName: { asked: string; repoId: number; seenAt: string } | null;
}

/** A step's constructor: status, evidence, the fix in words and, when calls apply it, the calls. */
const stepOf =
  (number: DiagnosisStep['step'], name: string) =>
  (status: StepStatus, evidence: string, next: string | null, actions: StepAction[] = []): DiagnosisStep => ({
    step: number,
    name,
    status,
    evidence,
    next,
    action: actions[0] ?? null,
    actions,
  });

const sameLogin = (a: string | null, b: string): boolean => a !== null && a.toLowerCase() === b.toLowerCase();
const ids = (list: readonly { id: number }[]): string => list.map((i) => i.id).join(', ');

function ownerInstallationStep(f: DiagnosisFacts, owner: string): DiagnosisStep {
  const step = stepOf(1, 'an installation exists for the repo owner and is live');
  const forOwner = f.linked.filter((i) => sameLogin(i.accountLogin, owner));
  const active = forOwner.find((i) => installationState(i) === 'active');
  if (active !== undefined)
    return step(
      'ok',
      `installation ${active.id} (${active.accountType ?? 'account'} ${active.accountLogin ?? owner}) is active and linked to user ${f.userId}`,
      null,
    );
  const suspended = forOwner.find((i) => installationState(i) === 'suspended');
  if (suspended !== undefined)
    return step(
      'problem',
      `installation ${suspended.id} for ${owner} is suspended since ${suspended.suspendedAt ?? 'an unknown time'}${suspended.suspendedBy ? ` (by ${suspended.suspendedBy})` : ''}: no event of it wakes a trigger`,
      `unsuspend installation ${suspended.id} in ${owner}'s GitHub settings (Installed GitHub Apps)`,
    );
  if (forOwner.length > 0)
    return step(
      'problem',
      `the installation for ${owner} (${ids(forOwner)}) was deleted`,
      `install the App on ${owner} again, then link the new installation: PUT /api/users/${f.userId}/installations/<id>`,
    );
  const unnamed = f.linked.filter((i) => i.accountLogin === null);
  if (unnamed.length > 0)
    return step(
      'unknown',
      `no linked installation is known to belong to ${owner}, and installation(s) ${ids(unnamed)} have no account metadata yet`,
      f.appCredentials
        ? `GitHub did not say whose installation(s) ${ids(unnamed)} are: check GET /api/users/${f.userId}/installations for the refresh error`
        : 'configure GitHub App credentials (GITHUB_APP_ID and a private key) so the metadata can be fetched',
    );
  return step(
    'problem',
    f.linked.length === 0
      ? `user ${f.userId} has no linked installation`
      : `none of user ${f.userId}'s installations (${ids(f.linked)}) belongs to ${owner}`,
    `install the App on ${owner} (or find its installation), then link it: PUT /api/users/${f.userId}/installations/<id>`,
  );
}

function coverageStep(f: DiagnosisFacts, owner: string, ownerStep: DiagnosisStep): DiagnosisStep {
  const step = stepOf(2, 'the repo is App-covered, not just visible');
  const sync = `POST /api/users/${f.userId}/sync`;
  const formerly =
    f.formerName === null
      ? ''
      : `${f.formerName.asked} is a former name: repo ${f.formerName.repoId} was renamed to ${f.repoFullName} (the audit trail saw the old name last at ${f.formerName.seenAt}); `;
  if (f.row === null)
    return step(
      'problem',
      `${formerly}user ${f.userId} has no project row for ${f.repoFullName}`,
      `sync the user (${sync}); if the row still does not appear, add the repo to the installation on GitHub`,
      [syncUserAction(f.userId)],
    );
  const row = f.row;
  if (row.installationId === null)
    return step(
      'problem',
      `${formerly}${row.fullName} is visible only (found by ${row.discoveredBy} sync), not covered by any installation`,
      `add ${row.fullName} to the owner's installation on GitHub (or give it access to all repositories), then sync (${sync})`,
    );
  const installation = f.rowInstallation;
  if (installation === null || installationState(installation) === 'deleted')
    return step(
      'problem',
      `${formerly}${row.fullName} is bound to installation ${row.installationId}, which is ${installation === null ? 'unknown' : 'deleted'}`,
      `sync the user (${sync}) to move the repo to its current installation`,
      [syncUserAction(f.userId)],
    );
  if (installationState(installation) === 'suspended')
    return step(
      'problem',
      `${formerly}${row.fullName} is covered by installation ${installation.id}, which is suspended`,
      `unsuspend installation ${installation.id} on GitHub`,
    );
  // Covered by a live installation is not enough: it must be one of the user's, of the repo's
  // owner. A row still bound to the installation of the account that owned the repo before a
  // transfer, or to one the user unlinked, wakes nothing (step 1 says so from the other side).
  if (!f.linked.some((i) => i.id === installation.id))
    return step(
      'problem',
      `${formerly}${row.fullName} is bound to installation ${installation.id}, which is not linked to user ${f.userId}`,
      `sync the user (${sync}): rows of installations the user is not linked to lose their coverage`,
      [syncUserAction(f.userId)],
    );
  if (installation.accountLogin !== null && !sameLogin(installation.accountLogin, owner))
    return step(
      'problem',
      `${formerly}${row.fullName} is bound to installation ${installation.id} of ${installation.accountLogin}, but the repo belongs to ${owner} (transferred?)`,
      `install the App on ${owner} and link that installation, then sync (${sync})`,
    );
  if (ownerStep.status === 'problem')
    return step(
      'problem',
      `${formerly}${row.fullName} is bound to installation ${installation.id}, but ${ownerStep.evidence} (step 1)`,
      ownerStep.next,
    );
  return step(
    'ok',
    `${formerly}${row.fullName} (repo ${row.repoId}) is covered by installation ${installation.id}, last seen ${row.lastSeenAt}`,
    null,
  );
}

function syncStep(f: DiagnosisFacts, expectedInstallationId: number | null): DiagnosisStep {
  const step = stepOf(3, 'installation-backed sync has run recently');
  const sync = `POST /api/users/${f.userId}/sync`;
  if (!f.appCredentials)
    return step(
      'unknown',
      'no GitHub App credentials: installation-backed sync is unavailable, coverage comes from webhooks only',
      'configure GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH',
    );
  if (expectedInstallationId === null)
    return step('unknown', 'there is no installation to sync for this repo yet (see steps 1 and 2)', null);
  const last = f.lastInstallationSync;
  if (last === null)
    return step(
      'problem',
      `installation-backed sync of installation ${expectedInstallationId} never ran`,
      `run it: ${sync}`,
      [syncUserAction(f.userId)],
    );
  const rowChange =
    f.lastRowDecision === null
      ? 'no sync has changed this repo row'
      : `the last change to this repo row was "${f.lastRowDecision.decision}" at ${f.lastRowDecision.occurredAt}`;
  if (last.decision !== 'completed')
    return step(
      'problem',
      `the last sync of installation ${last.installationId} at ${last.occurredAt} ended ${last.decision}: ${last.reason ?? 'no reason recorded'}`,
      `fix the cause, then re-run it: ${sync}`,
      [syncUserAction(f.userId)],
    );
  return step(
    'ok',
    `installation ${last.installationId} was last synced at ${last.occurredAt} (completed); ${rowChange}`,
    `re-run it if coverage changed since: ${sync}`,
    [syncUserAction(f.userId)],
  );
}

/** Routing reasons that say a binding or its coverage is wrong, not the trigger's own settings. */
const BINDING_REFUSALS: readonly string[] = [
  'installation_mismatch',
  'automation_binding_mismatch',
  'installation_unknown',
  'installation_deleted',
  'repo_not_covered',
];

/** This user's triggers whose newest routing decision refused them for a binding reason. */
function refusedByRouting(f: DiagnosisFacts): { triggerId: string; reason: string; deliveryId: string }[] {
  const seen = new Set<string>();
  const refused: { triggerId: string; reason: string; deliveryId: string }[] = [];
  for (const delivery of f.deliveries)
    for (const decision of delivery.userDecisions) {
      if (seen.has(decision.triggerId)) continue;
      seen.add(decision.triggerId);
      if (decision.outcome === 'not_woken' && BINDING_REFUSALS.includes(decision.reason ?? ''))
        refused.push({ triggerId: decision.triggerId, reason: decision.reason ?? '', deliveryId: delivery.id });
    }
  return refused;
}

/** The installation that covers the repo today and can take bindings: active and linked to the user. */
function liveTarget(f: DiagnosisFacts, targetInstallationId: number | null): Installation | null {
  const target = f.linked.find((i) => i.id === targetInstallationId);
  return target !== undefined && installationState(target) === 'active' ? target : null;
}

/**
 * The explicit rebind of every binding on the repo that is not on the covering installation:
 * each stale trigger, then each automation of the repo's triggers bound elsewhere.
 */
function explicitRebind(f: DiagnosisFacts, target: Installation): StepAction[] {
  const triggers = f.triggers.filter((tr) => tr.installationId !== target.id);
  const automationIds = new Set(f.triggers.map((tr) => tr.automationId));
  const automations = f.automations.filter((a) => automationIds.has(a.id) && a.installationId !== target.id);
  return [
    ...triggers.map((tr) => rebindTriggerAction(tr, target.id)),
    ...automations.map((a) => rebindAutomationAction(a, target.id)),
  ];
}

function inventoryStep(f: DiagnosisFacts, targetInstallationId: number | null): DiagnosisStep {
  const step = stepOf(4, "the user's installation inventory is unambiguous");
  const current = f.linked.filter((i) => installationState(i) !== 'deleted');
  const staleTriggers =
    targetInstallationId === null ? [] : f.triggers.filter((tr) => tr.installationId !== targetInstallationId);
  const repoAutomationIds = new Set(f.triggers.map((tr) => tr.automationId));
  const staleAutomations =
    targetInstallationId === null
      ? []
      : f.automations.filter((a) => repoAutomationIds.has(a.id) && a.installationId !== targetInstallationId);
  const staleText = [
    ...staleTriggers.map((tr) => `trigger ${tr.id} is bound to installation ${tr.installationId}`),
    ...staleAutomations.map((a) => `automation ${a.id} is bound to installation ${a.installationId}`),
  ].join('; ');
  const stale = staleTriggers.length + staleAutomations.length;
  const refused = refusedByRouting(f);
  const refusedText = refused
    .map((r) => `routing refused trigger ${r.triggerId} (${r.reason}) in delivery ${r.deliveryId}`)
    .join('; ');
  const rebind =
    f.lastRebind === null
      ? 'no rebind has run for this user'
      : f.lastRebind.decision === 'skipped'
        ? `the last rebind was skipped (${f.lastRebind.reason ?? 'no reason'}) at ${f.lastRebind.occurredAt}`
        : `the last rebind moved bindings at ${f.lastRebind.occurredAt}`;
  const targetClause = targetInstallationId === null ? '' : `, but the repo's installation is ${targetInstallationId}`;
  if (current.length > 1) {
    const evidence = `user ${f.userId} holds ${current.length} installations (${ids(current)}), so automatic rebind is skipped (several_installations); ${rebind}`;
    if (stale === 0 && refused.length === 0)
      return step(
        'ok',
        `${evidence}; every trigger on this repo is already bound to the covering installation and routing refused none`,
        null,
      );
    const which = [
      ...(stale > 0 ? [`${staleText}${targetClause}`] : []),
      ...(refused.length > 0 ? [refusedText] : []),
    ].join('; ');
    // The automatic rule stays conservative (repo-sync-and-rebinding.md, "Rebinding"): with
    // several installations it cannot know which one a binding meant, but the operator can. The
    // other installations keep their repos and bindings, so unlinking one is never the fix.
    const target = liveTarget(f, targetInstallationId);
    if (stale === 0) {
      const newest = refused[0];
      return step(
        'problem',
        `${evidence}; ${which}; the bindings are on the covering installation now`,
        newest === undefined ? null : `replay the refused delivery to see it wake: POST /api/deliveries/${newest.deliveryId}/replay`,
        newest === undefined ? [] : [replayAction(newest.deliveryId)],
      );
    }
    if (target === null)
      return step(
        'problem',
        `${evidence}; ${which}`,
        `no live installation of the user covers ${f.repoFullName} to rebind to: fix steps 1 and 2 first`,
      );
    const actions = explicitRebind(f, target);
    return step(
      'problem',
      `${evidence}; ${which}`,
      `rebind explicitly to installation ${target.id} (${target.accountLogin ?? 'its account'}), which covers ${f.repoFullName} today: ${actions
        .map((a) => `${a.method} ${a.path} with "installationId": ${target.id}`)
        .join(', then ')}`,
      actions,
    );
  }
  if (current.length === 0)
    return step(
      'problem',
      `user ${f.userId} has no current installation, so rebind cannot run (no_installations); ${rebind}`,
      `link the owner's installation: PUT /api/users/${f.userId}/installations/<id>`,
    );
  if (stale > 0)
    return step(
      'problem',
      `${staleText}${targetClause}; ${rebind}`,
      `sync the user (POST /api/users/${f.userId}/sync): with one installation, rebind moves the stale bindings`,
      [syncUserAction(f.userId)],
    );
  return step('ok', `user ${f.userId} holds one current installation (${ids(current)}); ${rebind}`, null);
}

function deliveriesStep(f: DiagnosisFacts): DiagnosisStep {
  const step = stepOf(5, 'the latest events reached the expected trigger');
  const latest = f.deliveries[0];
  if (latest === undefined)
    return step(
      'unknown',
      `no delivery for ${f.repoFullName} has been received`,
      'cause the event on GitHub (or redeliver it from the App settings) and ask again',
    );
  const seen = f.deliveries
    .map((d) => {
      const mine = d.userDecisions.map(
        (u) => `${u.triggerId} ${u.outcome === 'woken' ? 'woken' : `not woken (${u.reason ?? 'no reason'})`}`,
      );
      return `${d.id} (${d.action === null ? d.event : `${d.event}.${d.action}`}, ${d.receivedAt}): ${mine.length > 0 ? mine.join(', ') : d.outcome}`;
    })
    .join('; ');
  const replay = `replay it after the fix: POST /api/deliveries/${latest.id}/replay`;
  if (latest.outcome === 'not_routed')
    return step(
      'unknown',
      `the latest delivery ${latest.id} is ${latest.state} and not routed yet; ${seen}`,
      `look again shortly, or read its story: GET /api/deliveries/${latest.id}`,
    );
  if (f.triggers.length === 0)
    return step(
      'problem',
      `user ${f.userId} has no trigger on ${f.repoFullName}; ${seen}`,
      'create one: PUT /api/triggers/<id>',
    );
  if (latest.userDecisions.some((u) => u.outcome === 'woken'))
    return step('ok', `the latest delivery woke this user's trigger; ${seen}`, null);
  return step(
    'problem',
    `the latest delivery woke none of this user's triggers; ${seen}`,
    `read why: GET /api/deliveries/${latest.id}; ${replay}`,
    [replayAction(latest.id)],
  );
}

/** The five answers, in the order a person should read them. */
export function diagnoseRepo(f: DiagnosisFacts): DiagnosisStep[] {
  const owner = f.repoFullName.split('/')[0] ?? '';
  const ownerInstallation = f.linked.find(
    (i) => sameLogin(i.accountLogin, owner) && installationState(i) !== 'deleted',
  );
  const covering = f.row?.installationId ?? ownerInstallation?.id ?? null;
  const ownerStep = ownerInstallationStep(f, owner);
  return [
    ownerStep,
    coverageStep(f, owner, ownerStep),
    syncStep(f, covering),
    // The installation the repo's triggers should be bound to: the owner's live one, else the row's.
    inventoryStep(f, ownerInstallation?.id ?? f.row?.installationId ?? null),
    deliveriesStep(f),
  ];
}
