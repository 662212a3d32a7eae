import type { DiagnosisJson, DiagnosisStepJson, StepActionJson } from '../../api-shapes.js';
import { api, AuthNeeded } from './api.js';
import { badge, byId, code, fill, h } from './dom.js';

// The troubleshooting order for one user and one repo (R10), from GET /api/diagnose. A step's
// fix is a button that makes the request, with the same request as a command to copy.

function actionControl(action: StepActionJson, after: () => void): HTMLElement {
  const status = h('span', { class: 'status', role: 'status' });
  const button = h('button', {
    type: 'button',
    class: 'step-action',
    'data-method': action.method,
    'data-path': action.path,
    text: action.label,
  });
  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = 'Working…';
    api<unknown>(action.path, action.method, action.body ?? undefined)
      .then(() => {
        status.textContent = 'Done.';
        status.classList.remove('error');
        after();
      })
      .catch((error: unknown) => {
        if (error instanceof AuthNeeded) return;
        status.textContent = (error as Error).message;
        status.classList.add('error');
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  const copy = h('button', { type: 'button', class: 'quiet copy-command', text: 'Copy command' });
  copy.addEventListener('click', () => {
    void navigator.clipboard?.writeText(action.command).then(
      () => (copy.textContent = 'Copied'),
      () => (copy.textContent = 'Select and copy the command'),
    );
  });
  return h('div', { class: 'step-fix' }, [
    h('div', { class: 'actions' }, [button, ' ', copy, ' ', status]),
    h('pre', { class: 'command', text: action.command }),
  ]);
}

function stepItem(step: DiagnosisStepJson, again: () => void): HTMLElement {
  const actions = step.actions ?? (step.action ? [step.action] : []);
  return h('li', { class: `step status-${step.status}`, 'data-step': step.step, 'data-status': step.status }, [
    h('div', { class: 'step-head' }, [badge(step.status), ' ', h('strong', { text: `${step.step}. ${step.name}` })]),
    h('p', { class: 'evidence', text: step.evidence }),
    step.next ? h('p', { class: 'next' }, [h('strong', { text: 'Next: ' }), step.next]) : null,
    actions.map((action) => actionControl(action, again)),
  ]);
}

function renderDiagnosis(target: HTMLElement, answer: DiagnosisJson, again: () => void): void {
  const steps = answer.steps as DiagnosisStepJson[];
  const problems = steps.filter((s) => s.status === 'problem').length;
  const unknown = steps.filter((s) => s.status === 'unknown').length;
  fill(
    target,
    h('p', { class: 'diagnose-head' }, [
      h('strong', {}, ['User ', code(answer.userId), ' · ', code(answer.repo)]),
      ' — ',
      problems === 0 && unknown === 0
        ? 'every step is ok'
        : `${problems}${problems === 1 ? ' problem' : ' problems'}, ${unknown} unknown`,
    ]),
    h(
      'ol',
      { class: 'steps diagnose-steps', id: target.id === 'diagnose-result' ? 'diagnose-steps' : null },
      steps.map((step) => stepItem(step, again)),
    ),
  );
}

/** Diagnoses into `target`; after a fix is applied the diagnosis is read again. */
export async function diagnoseInto(target: HTMLElement, userId: string, repo: string): Promise<void> {
  fill(target, h('p', { class: 'muted', text: 'Diagnosing…' }));
  try {
    const answer = await api<DiagnosisJson>(`/api/diagnose?${new URLSearchParams({ userId, repo }).toString()}`);
    renderDiagnosis(target, answer, () => void diagnoseInto(target, userId, repo));
  } catch (error) {
    if (error instanceof AuthNeeded) return;
    fill(target, h('p', { class: 'status error', text: (error as Error).message }));
  }
}

/** The diagnose form at the top: filled and run from a story's or a repo page's button too. */
export function diagnoseAtTop(userId: string, repo: string): void {
  byId<HTMLInputElement>('diagnose-user').value = userId;
  byId<HTMLInputElement>('diagnose-repo').value = repo;
  const result = byId('diagnose-result');
  void diagnoseInto(result, userId, repo).then(() => byId('diagnose-panel').scrollIntoView({ block: 'start' }));
}

export async function runDiagnosis(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const userId = byId<HTMLInputElement>('diagnose-user').value.trim();
  const repo = byId<HTMLInputElement>('diagnose-repo').value.trim();
  const result = byId('diagnose-result');
  if (!/^[^/\s]+\/[^/\s]+$/.test(repo)) {
    fill(result, h('p', { class: 'status error', text: 'Repository must be owner/name.' }));
    return;
  }
  await diagnoseInto(result, userId, repo);
}
