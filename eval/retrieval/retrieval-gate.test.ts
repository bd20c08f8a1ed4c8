import { describe, expect, it } from 'vitest';
import { evaluateRetrieval, formatReport, GATE } from './evaluate.js';

describe('retrieval evaluation gate', () => {
  it('keeps fused recall@5 and recall@1 above the gate on the labelled queries', async () => {
    const report = await evaluateRetrieval();
    expect(report.queries).toBeGreaterThanOrEqual(120);
    expect(report.unknownIds, 'every labelled id exists in the knowledge base').toEqual([]);
    const summary = formatReport(report);
    expect(report.metrics.fused.recallAt5, summary).toBeGreaterThanOrEqual(GATE.fusedRecallAt5);
    expect(report.metrics.fused.recallAt1, summary).toBeGreaterThanOrEqual(GATE.fusedRecallAt1);
  });
});
