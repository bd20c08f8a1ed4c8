import type { Ratio } from './metrics.js';
import type { EvalReport } from './run-eval.js';

const percent = (r: Ratio) =>
  r.value === null ? 'n/a' : `${(r.value * 100).toFixed(1)}% (${r.numerator}/${r.denominator})`;
const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);

/** Every failed turn: case id, turn, what failed, the reply. */
export function formatFailures(report: EvalReport): string {
  const lines: string[] = [];
  for (const c of report.results) {
    for (const t of c.turns) {
      if (t.passed) continue;
      lines.push(`✗ ${c.id} — turn ${t.turn} (${c.file})`);
      lines.push(`  user:  ${t.user}`);
      for (const f of t.failures) lines.push(`  - ${f}`);
      lines.push(`  reply: ${t.reply.replace(/\n/g, '\n         ')}`);
    }
  }
  return lines.join('\n');
}

/** The summary printed at the end of a run. */
export function formatSummary(report: EvalReport): string {
  const m = report.metrics;
  const byCategory = Object.entries(report.casesByCategory)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `Evaluation against ${report.target}${report.llmStub ? ' (llm stub)' : ''}: ${m.cases} cases, ${m.turns} turns, ${(report.durationMs / 1000).toFixed(1)} s`,
    `  cases by category   ${byCategory}`,
    `  pass rate           ${percent(m.passRate)}`,
    `  turn pass rate      ${percent(m.turnPassRate)}`,
    `  reply length        p50 ${m.replyChars.p50 ?? '-'}, p90 ${m.replyChars.p90 ?? '-'}, max ${m.replyChars.max ?? '-'} characters`,
    `  citations per reply ${m.citationsPerReply === null ? '-' : m.citationsPerReply.toFixed(2)}`,
    `  fact recall         ${percent(m.factRecall)}`,
    `  citation precision  ${percent(m.citationPrecision)}`,
    `  citation recall     ${percent(m.citationRecall)}`,
    `  unbacked figures    ${m.unbackedFigures} (checked against tool outputs, cited entries and the user's messages)`,
    `  internal text       ${m.repliesWithInternalText} replies`,
    `  negative rejection  ${percent(m.negativeRejection)}`,
    `  slot accuracy       ${percent(m.slotAccuracy)}`,
    `  latency per turn    p50 ${ms(m.latencyMs.p50)}, p95 ${ms(m.latencyMs.p95)}, max ${ms(m.latencyMs.max)}`,
    report.gate.passed ? 'GATE PASSED' : `GATE FAILED: ${report.gate.reasons.join('; ')}`,
  ].join('\n');
}

/** The metrics, then every failure, then the gate verdict again as the last line. */
export function formatReport(report: EvalReport): string {
  const failures = formatFailures(report);
  if (!failures) return formatSummary(report);
  const verdict = report.gate.passed ? 'GATE PASSED' : `GATE FAILED: ${report.gate.reasons.join('; ')}`;
  return `${formatSummary(report)}\n\nFailures:\n${failures}\n\n${verdict}`;
}
