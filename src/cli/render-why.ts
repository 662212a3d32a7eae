// The `why` command's text: the delivery story and the troubleshooting answers, as the API gives
// them, laid out for a terminal. Pure: JSON in, lines out.

import type { ApiAnswer } from '../client/api-client.js';

type DeliveryStoryJson = ApiAnswer<'/api/deliveries/{deliveryId}', 'get'>;
type DiagnosisJson = ApiAnswer<'/api/diagnose', 'get'>;

const MARK: Record<string, string> = { ok: '✔', problem: '✘', unknown: '?', woken: '✔', not_woken: '✘' };

export function renderStory(story: DeliveryStoryJson): string {
  const d = story.delivery;
  const lines = [
    `delivery ${d.id}: ${d.action === null ? d.event : `${d.event}.${d.action}`}`,
    `  ${story.summary}`,
    '',
    `  state        ${d.state} after ${d.attempts} attempt(s)${d.error ? ` — ${d.error}` : ''}`,
    `  received     ${d.receivedAt}${d.processedAt ? `, processed ${d.processedAt}` : ''}`,
    `  installation ${d.installationId ?? '-'}   repo ${d.repoId ?? '-'}   trace ${story.traceId ?? '-'}`,
    ...(d.replayOf ? [`  replay of    ${d.replayOf}`] : []),
    `  outcome      ${story.outcome}`,
  ];
  if (story.candidates.length > 0) {
    lines.push('', 'candidates:');
    for (const c of story.candidates) {
      const automation = c.automationId ? ` (automation ${c.automationId})` : '';
      lines.push(
        `  ${MARK[c.outcome] ?? ' '} ${c.triggerId}${automation}: ${c.outcome === 'woken' ? 'woken' : c.reason}`,
      );
      if (c.detail) lines.push(`      ${c.detail}`);
      if (c.fix) lines.push(`      fix: ${c.fix}`);
    }
  }
  lines.push('', `audit (${story.audit.length}${story.auditTruncated ? ', more with GET /api/audit' : ''}):`);
  for (const r of story.audit) lines.push(`  #${r.seq} ${r.kind} ${r.decision}${r.reason ? ` — ${r.reason}` : ''}`);
  return `${lines.join('\n')}\n`;
}

export function renderDiagnosis(diagnosis: DiagnosisJson): string {
  const lines = [`why ${diagnosis.repo} may not wake user ${diagnosis.userId}'s triggers:`];
  for (const s of diagnosis.steps) {
    lines.push('', `${MARK[s.status] ?? ' '} ${s.step}. ${s.name}: ${s.status}`, `    ${s.evidence}`);
    if (s.next) lines.push(`    next: ${s.next}`);
  }
  return `${lines.join('\n')}\n`;
}
