import { describe, expect, it } from 'vitest';
import type { TurnResult } from './check-turn.js';
import { computeMetrics, evaluateGate, percentile, type CaseResult } from './metrics.js';

function turnResult(overrides: Partial<TurnResult> = {}): TurnResult {
  return {
    turn: 1,
    user: 'q',
    status: 200,
    reply: 'a',
    latencyMs: 10,
    passed: true,
    failures: [],
    facts: { expected: 0, matched: 0 },
    slots: { expected: 0, matched: 0 },
    citations: null,
    unbacked: [],
    internalText: [],
    negative: false,
    replyChars: 1,
    cited: 0,
    ...overrides,
  };
}

const caseResult = (id: string, turns: TurnResult[]): CaseResult => ({
  id,
  category: 'transfer',
  title: id,
  file: 'eval/cases/x.yaml',
  passed: turns.every((t) => t.passed),
  turns,
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('computeMetrics', () => {
  const results = [
    caseResult('a', [
      turnResult({ facts: { expected: 2, matched: 2 }, citations: { cited: 2, relevant: 1, expectedHit: true }, latencyMs: 5 }),
      turnResult({ negative: true, slots: { expected: 2, matched: 1 }, latencyMs: 20 }),
    ]),
    caseResult('b', [
      turnResult({
        passed: false,
        facts: { expected: 2, matched: 1 },
        citations: { cited: 0, relevant: 0, expectedHit: false },
        negative: true,
        unbacked: [{ kind: 'number', value: '250', raw: '250' }],
        latencyMs: 40,
      }),
    ]),
  ];
  const m = computeMetrics(results);

  it('counts cases, turns and the pass rate', () => {
    expect(m.cases).toBe(2);
    expect(m.turns).toBe(3);
    expect(m.passRate.value).toBe(0.5);
  });

  it('computes fact recall, citation precision and recall', () => {
    expect(m.factRecall).toEqual({ numerator: 3, denominator: 4, value: 0.75 });
    expect(m.citationPrecision).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(m.citationRecall).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
  });

  it('computes negative rejection, slot accuracy, unbacked figures and latency', () => {
    expect(m.negativeRejection.value).toBe(0.5);
    expect(m.slotAccuracy.value).toBe(0.5);
    expect(m.unbackedFigures).toBe(1);
    expect(m.latencyMs).toEqual({ p50: 20, p95: 40, max: 40 });
  });

  it('fails the gate on a low pass rate, on any unbacked figure and on imprecise citations', () => {
    expect(evaluateGate(m)).toEqual({
      passed: false,
      reasons: ['pass rate 50.0% < 95%', 'unbacked figures 1 > 0', 'citation precision 50.0% < 85%'],
    });
  });

  it('reports no precision when nothing was cited', () => {
    const none = computeMetrics([caseResult('c', [turnResult()])]);
    expect(none.citationPrecision.value).toBeNull();
    expect(evaluateGate(none).passed).toBe(true);
  });
});

describe('reading load', () => {
  it('reports reply length percentiles and citations per reply, and gates on them', () => {
    const long = Array.from({ length: 10 }, (_, i) => turnResult({ replyChars: 100 + i * 40, cited: i < 5 ? 2 : 5 }));
    const metrics = computeMetrics([caseResult('a', long)]);
    expect(metrics.replyChars).toEqual({ p50: 260, p90: 420, max: 460 });
    expect(metrics.citationsPerReply).toBe(3.5);
    const gate = evaluateGate(metrics);
    expect(gate.reasons).toEqual(expect.arrayContaining(['reply length p50 260 > 180', 'reply length p90 420 > 320', 'citations per reply 3.50 > 3']));
    const short = computeMetrics([caseResult('b', [turnResult({ replyChars: 120, cited: 2 }), turnResult({ replyChars: null, cited: null, status: 400 })])]);
    expect(short.replyChars).toEqual({ p50: 120, p90: 120, max: 120 });
    expect(evaluateGate(short).reasons.filter((r) => /length|per reply/.test(r))).toEqual([]);
  });
});
