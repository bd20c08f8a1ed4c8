import { describe, expect, it } from 'vitest';
import { formatFailures, formatSummary } from './report.js';
import { runEval } from './run.js';

// The evaluation gate of `npm test`: the whole case set, in-process, against buildApp().
describe('evaluation gate', () => {
  it('passes at least 95 % of the cases with no unbacked figure', async () => {
    const report = await runEval();
    const explanation = `${formatSummary(report)}\n\n${formatFailures(report)}`;
    expect(report.metrics.unbackedFigures, explanation).toBe(0);
    expect(report.metrics.passRate.value ?? 0, explanation).toBeGreaterThanOrEqual(0.95);
    expect(report.gate.passed, explanation).toBe(true);
  }, 600_000);
});
