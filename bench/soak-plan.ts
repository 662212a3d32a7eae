import { examplePayload } from '../test/support/webhook-samples.js';

// What the soak run sends, and what the reconciler must end with: pure, no I/O. Each
// installation is an ordered stream (GitHub sends one installation's events in order, and the
// soak sender keeps that order even across crashes), so the expected state follows from
// replaying each stream in order, here, without the service.

type Json = Record<string, unknown>;

export interface PlannedDelivery {
  id: string;
  event: string;
  body: string;
  /** How the worker must finish it. */
  expect: 'applied' | 'ignored';
  /** Whether it wakes its installation's trigger (pushes and pull requests to repo 0). */
  wakes: boolean;
}

export interface ExpectedRow {
  repoId: number;
  fullName: string;
  installationId: number | null;
}

export interface SoakStream {
  installationId: number;
  owner: string;
  userId: string;
  triggerId: string;
  /** The repo the trigger listens on: never removed or renamed, so every push to it wakes. */
  triggerRepoId: number;
  deliveries: PlannedDelivery[];
  /** Base rows of the stream's user once every delivery is applied. */
  rows: ExpectedRow[];
}

export interface SoakPlanOptions {
  deliveries: number;
  installations: number;
  seed: number;
}

/** mulberry32: a small seeded generator, so a run can be repeated exactly. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Repo {
  id: number;
  name: string;
}

const shortEntry = (owner: string, repo: Repo): Json => ({
  id: repo.id,
  node_id: `R_${repo.id}`,
  name: repo.name,
  full_name: `${owner}/${repo.name}`,
  private: true,
});

function withRepository(example: Json, owner: string, repo: Repo, installationId: number): Json {
  const repository = example.repository as Json;
  return {
    ...example,
    repository: {
      ...repository,
      id: repo.id,
      name: repo.name,
      full_name: `${owner}/${repo.name}`,
      owner: { ...(repository.owner as Json), login: owner },
      default_branch: 'main',
    },
    installation: { id: installationId, node_id: `I_${installationId}` },
  };
}

const EXAMPLES = {
  installation: examplePayload('installation', 'created'),
  added: examplePayload('installation_repositories', 'added'),
  removed: examplePayload('installation_repositories', 'removed'),
  renamed: examplePayload('repository', 'renamed'),
  push: examplePayload('push', undefined, (e) => Array.isArray(e.commits) && e.commits.length > 0),
  pullRequest: examplePayload('pull_request', 'opened'),
};

function planStream(index: number, count: number, random: () => number): SoakStream {
  const installationId = index + 1;
  const owner = `soak-org-${installationId}`;
  const repoId = (k: number) => installationId * 10_000 + k;
  const rows = new Map<number, ExpectedRow>();
  const names = new Map<number, string>();
  const deliveries: PlannedDelivery[] = [];
  let next = 0;
  const add = (event: string, payload: Json, expect: PlannedDelivery['expect'], wakes = false) =>
    deliveries.push({
      id: `soak-${installationId}-${deliveries.length}`,
      event,
      body: JSON.stringify(payload),
      expect,
      wakes,
    });
  const repo = (k: number): Repo => ({ id: repoId(k), name: names.get(k) ?? `repo-${k}` });
  const cover = (k: number) =>
    rows.set(repoId(k), { repoId: repoId(k), fullName: `${owner}/${repo(k).name}`, installationId });
  const fresh = (): number => {
    const k = next++;
    names.set(k, `repo-${k}`);
    return k;
  };

  const first = [fresh(), fresh(), fresh()];
  const example = EXAMPLES.installation;
  const installation = example.installation as Json;
  add(
    'installation',
    {
      ...example,
      installation: {
        ...installation,
        id: installationId,
        account: { ...(installation.account as Json), login: owner, id: 50_000 + installationId, type: 'Organization' },
      },
      repositories: first.map((k) => shortEntry(owner, repo(k))),
    },
    'applied',
  );
  first.forEach(cover);

  // Repos other than the trigger's, by their current coverage.
  const others = (covered: boolean) =>
    [...names.keys()].filter((k) => k !== 0 && (rows.get(repoId(k))?.installationId === installationId) === covered);
  const pick = (ks: number[]): number | undefined => ks[Math.floor(random() * ks.length)];
  const scope = (action: 'added' | 'removed', k: number): Json => ({
    ...(action === 'added' ? EXAMPLES.added : EXAMPLES.removed),
    installation: {
      ...((action === 'added' ? EXAMPLES.added : EXAMPLES.removed).installation as Json),
      id: installationId,
    },
    repositories_added: action === 'added' ? [shortEntry(owner, repo(k))] : [],
    repositories_removed: action === 'removed' ? [shortEntry(owner, repo(k))] : [],
  });

  while (deliveries.length < count) {
    const roll = random();
    const covered = pick(others(true));
    if (roll < 0.12) {
      // A new repo, or one removed earlier, joins the installation.
      const k = random() < 0.5 ? (pick(others(false)) ?? fresh()) : fresh();
      add('installation_repositories', { ...scope('added', k), action: 'added' }, 'applied');
      cover(k);
    } else if (roll < 0.22 && covered !== undefined) {
      add('installation_repositories', { ...scope('removed', covered), action: 'removed' }, 'applied');
      const row = rows.get(repoId(covered));
      if (row) row.installationId = null;
    } else if (roll < 0.35 && names.size > 1) {
      // Renamed, covered or not: the row keeps its id and takes the new name.
      const k = pick([...names.keys()].filter((key) => key !== 0)) ?? 1;
      names.set(k, `repo-${k}-v${deliveries.length}`);
      add(
        'repository',
        { ...withRepository(EXAMPLES.renamed, owner, repo(k), installationId), action: 'renamed' },
        'applied',
      );
      const row = rows.get(repoId(k));
      if (row) row.fullName = `${owner}/${repo(k).name}`;
    } else if (roll < 0.65) {
      add('push', withRepository(EXAMPLES.push, owner, repo(0), installationId), 'applied', true);
    } else if (roll < 0.75) {
      // No trigger listens there: nothing to route to, and push changes no model.
      const k = pick([...names.keys()].filter((key) => key !== 0)) ?? 1;
      add('push', withRepository(EXAMPLES.push, owner, repo(k), installationId), 'ignored');
    } else {
      add(
        'pull_request',
        { ...withRepository(EXAMPLES.pullRequest, owner, repo(0), installationId), action: 'opened' },
        'applied',
        true,
      );
    }
  }
  return {
    installationId,
    owner,
    userId: `soak-user-${installationId}`,
    triggerId: `soak-trigger-${installationId}`,
    triggerRepoId: repoId(0),
    deliveries,
    rows: [...rows.values()].sort((a, b) => a.repoId - b.repoId),
  };
}

/** `deliveries` split over `installations` ordered streams, each starting with installation.created. */
export function planSoak(options: SoakPlanOptions): SoakStream[] {
  const random = seeded(options.seed);
  const base = Math.floor(options.deliveries / options.installations);
  const extra = options.deliveries % options.installations;
  return Array.from({ length: options.installations }, (_, i) => planStream(i, base + (i < extra ? 1 : 0), random));
}
