import type { DiagnosisJson } from '../../api-shapes.js';
import { api, AuthNeeded } from './api.js';
import { badge, byId, code, fill, h } from './dom.js';

// The troubleshooting order for one user and one repo (R10), from GET /api/diagnose.

function renderDiagnosis(answer: DiagnosisJson): void {
  const { steps } = answer;
  const problems = steps.filter((s) => s.status === 'problem').length;
  const unknown = steps.filter((s) => s.status === 'unknown').length;
  fill(
    byId('diagnose-result'),
    h('p', { class: 'diagnose-head' }, [
      h('strong', {}, ['User ', code(answer.userId), ' · ', code(answer.repo)]),
      ' — ',
      problems === 0 && unknown === 0
        ? 'every step is ok'
        : `${problems}${problems === 1 ? ' problem' : ' problems'}, ${unknown} unknown`,
    ]),
    h(
      'ol',
      { class: 'steps', id: 'diagnose-steps' },
      steps.map((step) =>
        h('li', { class: `step status-${step.status}`, 'data-step': step.step, 'data-status': step.status }, [
          h('div', { class: 'step-head' }, [
            badge(step.status),
            ' ',
            h('strong', { text: `${step.step}. ${step.name}` }),
          ]),
          h('p', { class: 'evidence', text: step.evidence }),
          step.next ? h('p', { class: 'next' }, [h('strong', { text: 'Next: ' }), step.next]) : null,
        ]),
      ),
    ),
  );
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
  fill(result, h('p', { class: 'muted', text: 'Diagnosing…' }));
  try {
    renderDiagnosis(await api<DiagnosisJson>(`/api/diagnose?${new URLSearchParams({ userId, repo }).toString()}`));
  } catch (error) {
    if (error instanceof AuthNeeded) return;
    fill(result, h('p', { class: 'status error', text: (error as Error).message }));
  }
}
