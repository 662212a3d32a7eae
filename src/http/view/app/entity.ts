import type {
  AutomationPageJson,
  InstallationPageJson,
  RepoPageJson,
  TriggerJson,
  TriggerPageJson,
} from '../../api-shapes.js';
import { api, AuthNeeded, isMissingRoute } from './api.js';
import { badge, byId, code, fill, h, muted, orDash, table, type Child } from './dom.js';
import { diagnoseInto } from './diagnose.js';
import { entityLink, eventName, outcomeBadge, repoLink, time, type EntityKind } from './format.js';
import type { DeliveryItemJson } from '../../api-shapes.js';
import type { TriggerHealthJson } from './pending-shapes.js';
import { loadTrace } from './trace.js';

// The entity pages (issue 15, item 5): a repo, a trigger, an automation, an installation, and a
// trace's waterfall, each at its own address (#repo=<id> and so on) in the panel under the search.

const fact = (label: string, value: Child): Child => [h('dt', { text: label }), h('dd', {}, value)];
const section = (title: string, body: Child): Child => [h('h4', { text: title }), body];

function triggersTable(triggers: readonly TriggerJson[]): Child {
  if (triggers.length === 0) return h('p', { class: 'muted', text: 'No trigger.' });
  return table(
    'triggers',
    ['Trigger', 'User', 'Automation', 'Bound to', 'Repo', 'Events'],
    triggers.map((trigger) =>
      h('tr', { 'data-trigger-id': trigger.id }, [
        h('td', {}, entityLink('trigger', trigger.id)),
        h('td', {}, code(trigger.userId)),
        h('td', {}, trigger.automationId ? entityLink('automation', trigger.automationId) : muted('—')),
        h('td', {}, entityLink('installation', trigger.installationId, `installation ${trigger.installationId}`)),
        h('td', {}, [
          repoLink(trigger.repoId, trigger.repoFullName),
          trigger.rootDirectory ? h('span', { class: 'sub', text: ` /${trigger.rootDirectory}` }) : null,
        ]),
        h(
          'td',
          { class: 'events-cell' },
          trigger.events.map((event) => h('code', { class: 'event-name', text: event })),
        ),
      ]),
    ),
  );
}

function deliveriesTable(deliveries: readonly DeliveryItemJson[]): Child {
  if (deliveries.length === 0) return h('p', { class: 'muted', text: 'No delivery names this repo.' });
  return table(
    'entity-deliveries',
    ['Received', 'Event', 'Outcome', 'Summary'],
    deliveries.map((delivery) =>
      h('tr', { 'data-delivery-id': delivery.id }, [
        h('td', {}, entityLink('delivery', delivery.id, time(delivery.receivedAt))),
        h('td', {}, code(eventName(delivery))),
        h('td', {}, [
          outcomeBadge(delivery.outcome),
          delivery.problem === true ? [' ', h('span', { class: 'tag tag-problem', text: 'problem' })] : null,
        ]),
        h('td', { class: 'summary-cell', text: delivery.summary }),
      ]),
    ),
  );
}

function renderRepo(target: HTMLElement, page: RepoPageJson): void {
  const users = [...new Set(page.rows.map((row) => row.userId))];
  const diagnosis = h('div', { id: 'repo-diagnosis' });
  const name = page.fullName;
  fill(
    target,
    h('h3', {}, [name ?? 'repo', ' ', h('span', { class: 'sub', text: `repo ${page.repoId}` })]),
    page.formerNames.length > 0
      ? h('p', { class: 'former-names', id: 'repo-former-names' }, [
          'Called before: ',
          page.formerNames.map((former, i) => [
            i > 0 ? ', ' : '',
            code(former.name),
            ' (until ',
            time(former.until),
            ')',
          ]),
        ])
      : null,
    name !== null && users.length > 0
      ? h('div', { class: 'actions' }, [
          users.map((userId) => {
            const button = h('button', {
              type: 'button',
              class: 'quiet diagnose-user',
              'data-user-id': userId,
              text: `Diagnose for ${userId}`,
            });
            button.addEventListener('click', () => void diagnoseInto(diagnosis, userId, name));
            return button;
          }),
          h('a', {
            href: `?repo=${encodeURIComponent(name)}#repo=${page.repoId}`,
            class: 'quiet-link',
            text: 'Show its deliveries in the list',
          }),
        ])
      : null,
    diagnosis,
    section(
      `Rows per user (${page.rows.length})`,
      page.rows.length === 0
        ? h('p', { class: 'muted', text: 'No user has a row of this repo.' })
        : table(
            'repo-rows',
            ['User', 'Directory', 'Installation', 'Coverage', 'Found by', 'Last seen'],
            page.rows.map((row) =>
              h('tr', { 'data-user-id': row.userId }, [
                h('td', {}, code(row.userId)),
                h('td', {}, row.rootDirectory ? code(row.rootDirectory) : muted('(base)')),
                h(
                  'td',
                  {},
                  row.installationId === null
                    ? muted('none')
                    : entityLink('installation', row.installationId, `installation ${row.installationId}`),
                ),
                h('td', {}, [
                  badge(row.coverage === 'covered' ? 'ok' : 'problem', row.coverage),
                  row.installationState ? h('span', { class: 'sub', text: ` ${row.installationState}` }) : null,
                ]),
                h('td', { text: row.discoveredBy }),
                h('td', {}, time(row.lastSeenAt)),
              ]),
            ),
          ),
    ),
    section(`Triggers (${page.triggers.length})`, triggersTable(page.triggers)),
    section('Latest deliveries', deliveriesTable(page.latestDeliveries as DeliveryItemJson[])),
  );
}

async function healthInto(target: HTMLElement, triggerId: string): Promise<void> {
  try {
    const health = await api<TriggerHealthJson>(`/api/triggers/${encodeURIComponent(triggerId)}/health`);
    fill(
      target,
      h('p', {}, [
        'Can it fire? ',
        badge(health.fireable === 'yes' ? 'ok' : health.fireable === 'no' ? 'problem' : 'unknown', health.fireable),
        ' ',
        muted('checked '),
        time(health.checkedAt),
      ]),
      table(
        'health',
        ['Check', 'Status', 'Detail'],
        health.checks.map((check) =>
          h('tr', { 'data-check': check.check, 'data-status': check.status }, [
            h('td', {}, code(check.check)),
            h('td', {}, [
              badge(check.status),
              check.reason ? [' ', h('code', { class: 'reason', text: check.reason })] : null,
            ]),
            h('td', { class: 'reason-cell', text: check.detail }),
          ]),
        ),
      ),
    );
  } catch (error) {
    if (error instanceof AuthNeeded) return;
    fill(
      target,
      h('p', {
        class: isMissingRoute(error) ? 'muted' : 'status error',
        text: isMissingRoute(error) ? 'This reconciler does not report trigger health.' : (error as Error).message,
      }),
    );
  }
}

function renderTrigger(target: HTMLElement, page: TriggerPageJson): void {
  const { trigger, automation, binding } = page;
  const health = h('div', { id: 'trigger-health' }, muted('Checking whether it can fire…'));
  const agree = (value: boolean | null, yes: string, no: string): Child =>
    value === null ? muted('—') : value ? badge('ok', yes) : badge('problem', no);
  fill(
    target,
    h('h3', {}, ['Trigger ', code(trigger.id), trigger.enabled ? null : [' ', badge('unknown', 'disabled')]]),
    h('dl', { class: 'facts' }, [
      fact('Repo', [
        repoLink(trigger.repoId, binding.repoRow?.fullName ?? trigger.repoFullName),
        trigger.rootDirectory ? ` /${trigger.rootDirectory}` : '',
      ]),
      fact('User', code(trigger.userId)),
      fact(
        'Events',
        h(
          'span',
          { class: 'events-cell' },
          trigger.events.map((e) => h('code', { class: 'event-name', text: e })),
        ),
      ),
      fact(
        'Automation',
        automation
          ? entityLink('automation', automation.id, [automation.name, ' ', code(automation.id)])
          : muted('none'),
      ),
      fact('Bound to', [
        entityLink('installation', binding.installationId, `installation ${binding.installationId}`),
        binding.installationAccount ? ` (${binding.installationAccount})` : '',
        ' ',
        badge(binding.installationState === 'active' ? 'ok' : 'problem', binding.installationState),
      ]),
      fact('Automation bound to', [
        binding.automationInstallationId === null
          ? muted('—')
          : entityLink(
              'installation',
              binding.automationInstallationId,
              `installation ${binding.automationInstallationId}`,
            ),
        ' ',
        agree(binding.agreesWithAutomation, 'agrees', 'disagrees'),
      ]),
      fact('Repo row', [
        binding.repoRow === null
          ? muted('the user has no row of this repo')
          : [
              binding.repoRow.installationId === null
                ? muted('not covered by an installation')
                : entityLink(
                    'installation',
                    binding.repoRow.installationId,
                    `installation ${binding.repoRow.installationId}`,
                  ),
              ' ',
              badge(binding.repoRow.coverage === 'covered' ? 'ok' : 'problem', binding.repoRow.coverage),
            ],
        ' ',
        agree(binding.agreesWithRepoRow, 'binding agrees', 'stale binding'),
      ]),
    ]),
    section('Health', health),
    section(
      'Latest decisions',
      page.latestDecisions.length === 0
        ? h('p', { class: 'muted', text: 'No delivery has considered this trigger yet.' })
        : table(
            'decisions',
            ['Delivery', 'Received', 'Decision', 'Reason'],
            page.latestDecisions.map((decision) =>
              h('tr', { 'data-delivery-id': decision.deliveryId }, [
                h('td', {}, entityLink('delivery', decision.deliveryId)),
                h('td', {}, time(decision.receivedAt)),
                h('td', {}, badge(decision.outcome, decision.outcome === 'woken' ? 'woken' : 'not woken')),
                h('td', {}, decision.reason ? h('code', { class: 'reason', text: decision.reason }) : muted('—')),
              ]),
            ),
          ),
    ),
  );
  void healthInto(health, trigger.id);
}

function renderAutomation(target: HTMLElement, page: AutomationPageJson): void {
  const { automation } = page;
  fill(
    target,
    h('h3', {}, [
      'Automation ',
      automation.name,
      ' ',
      code(automation.id),
      automation.enabled ? null : [' ', badge('unknown', 'disabled')],
    ]),
    h('dl', { class: 'facts' }, [
      fact('User', code(automation.userId)),
      fact(
        'Bound to',
        entityLink('installation', automation.installationId, `installation ${automation.installationId}`),
      ),
      fact('Updated', time(automation.updatedAt)),
    ]),
    section(`Triggers (${page.triggers.length})`, triggersTable(page.triggers)),
  );
}

function renderInstallation(target: HTMLElement, page: InstallationPageJson): void {
  const { installation, coverage } = page;
  fill(
    target,
    h('h3', {}, [
      'Installation ',
      code(installation.id),
      installation.account.login ? ` on ${installation.account.login}` : '',
      ' ',
      badge(installation.state === 'active' ? 'ok' : 'problem', installation.state),
    ]),
    h('dl', { class: 'facts' }, [
      fact('Account', [
        orDash(installation.account.login),
        installation.account.type ? h('span', { class: 'sub', text: ` ${installation.account.type}` }) : null,
      ]),
      fact('Repositories', orDash(installation.repositorySelection)),
      fact(
        'Linked users',
        page.linkedUsers.length === 0 ? muted('none') : page.linkedUsers.map((u, i) => [i > 0 ? ', ' : '', code(u)]),
      ),
      fact(
        'Rows bound to it',
        h(
          'span',
          { id: 'installation-coverage' },
          `${coverage.rows} rows: ${coverage.covered} covered, ${coverage.notCovered} not covered`,
        ),
      ),
      installation.suspendedAt ? fact('Suspended', time(installation.suspendedAt)) : null,
      installation.deletedAt ? fact('Deleted', time(installation.deletedAt)) : null,
      fact('Updated', time(installation.updatedAt)),
      fact('Deliveries', h('a', { href: `?installation=${installation.id}`, text: 'show its deliveries in the list' })),
    ]),
    section(
      'Latest syncs',
      page.latestSyncs.length === 0
        ? h('p', { class: 'muted', text: 'No installation sync is recorded.' })
        : table(
            'installation-syncs',
            ['When', 'Result', 'Rows', 'Reason'],
            page.latestSyncs.map((sync) =>
              h('tr', {}, [
                h('td', {}, time(sync.occurredAt)),
                h('td', {}, badge(sync.decision === 'completed' ? 'ok' : 'problem', sync.decision)),
                h('td', {
                  text:
                    Object.entries(sync.counts)
                      .filter(([, n]) => n > 0)
                      .map(([k, n]) => `${k} ${n}`)
                      .join(', ') || '—',
                }),
                h('td', { class: 'reason-cell' }, orDash(sync.reason)),
              ]),
            ),
          ),
    ),
  );
}

const TITLES: Record<Exclude<EntityKind, 'delivery'>, string> = {
  repo: 'Repository',
  trigger: 'Trigger',
  automation: 'Automation',
  installation: 'Installation',
  trace: 'Trace',
};

let shown = '';

/** Opens an entity's page in the panel under the search box. */
export async function openEntity(kind: Exclude<EntityKind, 'delivery'>, id: string): Promise<void> {
  const key = `${kind}=${id}`;
  shown = key;
  const panel = byId('entity-panel');
  const target = byId('entity');
  panel.hidden = false;
  panel.dataset.kind = kind;
  byId('entity-title').textContent = TITLES[kind];
  fill(target, h('p', { class: 'muted' }, ['Loading ', kind, ' ', code(id), '…']));
  panel.scrollIntoView({ block: 'start' });
  if (kind === 'trace') return loadTrace(target, id);
  const path = `/api/${kind}s/${encodeURIComponent(id)}`;
  try {
    const answer = await api<unknown>(path);
    if (shown !== key) return;
    if (kind === 'repo') renderRepo(target, answer as RepoPageJson);
    else if (kind === 'trigger') renderTrigger(target, answer as TriggerPageJson);
    else if (kind === 'automation') renderAutomation(target, answer as AutomationPageJson);
    else renderInstallation(target, answer as InstallationPageJson);
  } catch (error) {
    if (error instanceof AuthNeeded || shown !== key) return;
    fill(target, h('p', { class: 'status error', text: (error as Error).message }));
  }
}

export function closeEntity(): void {
  shown = '';
  byId('entity-panel').hidden = true;
  byId('entity').replaceChildren();
}
