import { describe, expect, it } from 'vitest';
import { prepare } from './llm-stub.js';
import { formatFailures, formatSummary } from './report.js';
import { runEval } from './run.js';

// The evaluation gate of `npm test`: the whole case set, in-process, against buildApp().
describe('evaluation gate', () => {
  let rulesPassRate = 0;

  it('passes at least 95 % of the cases with no unbacked figure', async () => {
    const report = await runEval();
    const explanation = `${formatSummary(report)}\n\n${formatFailures(report)}`;
    console.log(formatSummary(report));
    rulesPassRate = report.metrics.passRate.value ?? 0;
    expect(report.metrics.unbackedFigures, explanation).toBe(0);
    expect(rulesPassRate, explanation).toBeGreaterThanOrEqual(0.95);
    expect(report.gate.passed, explanation).toBe(true);
  }, 600_000);

  it('keeps the same pass rate and no unbacked figure with a model that paraphrases and sometimes invents numbers', async () => {
    const report = await runEval({ llmStub: true, prepare });
    const explanation = `${formatSummary(report)}\n\n${formatFailures(report)}`;
    console.log(formatSummary(report));
    expect(report.metrics.unbackedFigures, explanation).toBe(0);
    expect(report.metrics.passRate.value ?? 0, explanation).toBeGreaterThanOrEqual(rulesPassRate);
    expect(report.results.some((r) => r.turns.some((t) => t.answeredBy === 'model')), explanation).toBe(true);
  }, 600_000);
});
