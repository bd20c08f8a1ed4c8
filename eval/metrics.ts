import type { Category } from './case-schema.js';
import type { TurnResult } from './check-turn.js';

export interface CaseResult {
  id: string;
  category: Category;
  title: string;
  file: string;
  passed: boolean;
  turns: TurnResult[];
}

/** A share with what it was computed from; `value` is null when nothing was counted. */
export interface Ratio {
  numerator: number;
  denominator: number;
  value: number | null;
}

export interface Metrics {
  cases: number;
  turns: number;
  /** Cases with every expectation of every turn met. */
  passRate: Ratio;
  /** Turns with every expectation met. */
  turnPassRate: Ratio;
  /** Characters per answered reply (issue 15: p50 ≤ 180, p90 ≤ 320). */
  replyChars: { p50: number | null; p90: number | null; max: number | null };
  /** Entries cited per answered reply (mean; issue 15: ≤ 3). */
  citationsPerReply: number | null;
  /** Facts matched ÷ facts expected. */
  factRecall: Ratio;
  /** Over turns with a `citations` list: cited ids that are relevant ÷ all cited ids. */
  citationPrecision: Ratio;
  /** Over turns with a `citations` list: turns citing at least one expected id ÷ those turns. */
  citationRecall: Ratio;
  /** Figures in replies that no tool output, cited entry or user message backs (gate: 0). */
  unbackedFigures: number;
  /** Replies holding internal text: English, field or tool names, codes, undefined/null/NaN (gate: 0). */
  repliesWithInternalText: number;
  /** Negative turns handled correctly ÷ negative turns. */
  negativeRejection: Ratio;
  /** Expected slot values found ÷ expected slot values. */
  slotAccuracy: Ratio;
  latencyMs: { p50: number | null; p95: number | null; max: number | null };
}

export function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

/** Nearest-rank percentile (p in 0..100) of `values`; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Aggregates the case results into the report's metrics. */
export function computeMetrics(results: readonly CaseResult[]): Metrics {
  const turns = results.flatMap((r) => r.turns);
  const sum = (f: (t: TurnResult) => number) => turns.reduce((acc, t) => acc + f(t), 0);
  const withCitations = turns.filter((t) => t.citations !== null);
  const negatives = turns.filter((t) => t.negative);
  const latencies = turns.map((t) => t.latencyMs);
  const lengths = turns.flatMap((t) => (t.replyChars === null ? [] : [t.replyChars]));
  const cited = turns.flatMap((t) => (t.cited === null ? [] : [t.cited]));
  return {
    cases: results.length,
    turns: turns.length,
    passRate: ratio(results.filter((r) => r.passed).length, results.length),
    turnPassRate: ratio(turns.filter((t) => t.passed).length, turns.length),
    replyChars: { p50: percentile(lengths, 50), p90: percentile(lengths, 90), max: lengths.length ? Math.max(...lengths) : null },
    citationsPerReply: cited.length ? cited.reduce((a, b) => a + b, 0) / cited.length : null,
    factRecall: ratio(sum((t) => t.facts.matched), sum((t) => t.facts.expected)),
    citationPrecision: ratio(
      withCitations.reduce((acc, t) => acc + t.citations!.relevant, 0),
      withCitations.reduce((acc, t) => acc + t.citations!.cited, 0),
    ),
    citationRecall: ratio(withCitations.filter((t) => t.citations!.expectedHit).length, withCitations.length),
    unbackedFigures: sum((t) => t.unbacked.length),
    repliesWithInternalText: turns.filter((t) => t.internalText.length > 0).length,
    negativeRejection: ratio(negatives.filter((t) => t.passed).length, negatives.length),
    slotAccuracy: ratio(sum((t) => t.slots.matched), sum((t) => t.slots.expected)),
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: latencies.length ? Math.max(...latencies) : null,
    },
  };
}

/** The CI gate: pass rate at least 0.95, no unbacked figure, no reply with internal text. */
export const GATE = {
  minPassRate: 0.95,
  maxUnbackedFigures: 0,
  maxRepliesWithInternalText: 0,
  /** Replies a person reads in ten seconds. */
  maxReplyCharsP50: 180,
  maxReplyCharsP90: 320,
  maxCitationsPerReply: 3,
  minCitationPrecision: 0.85,
} as const;

export function evaluateGate(metrics: Metrics): { passed: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const passRate = metrics.passRate.value ?? 0;
  if (passRate < GATE.minPassRate)
    reasons.push(`pass rate ${(passRate * 100).toFixed(1)}% < ${GATE.minPassRate * 100}%`);
  if (metrics.unbackedFigures > GATE.maxUnbackedFigures)
    reasons.push(`unbacked figures ${metrics.unbackedFigures} > ${GATE.maxUnbackedFigures}`);
  if (metrics.repliesWithInternalText > GATE.maxRepliesWithInternalText)
    reasons.push(`replies with internal text ${metrics.repliesWithInternalText} > ${GATE.maxRepliesWithInternalText}`);
  const { p50, p90 } = metrics.replyChars;
  if (p50 !== null && p50 > GATE.maxReplyCharsP50) reasons.push(`reply length p50 ${p50} > ${GATE.maxReplyCharsP50}`);
  if (p90 !== null && p90 > GATE.maxReplyCharsP90) reasons.push(`reply length p90 ${p90} > ${GATE.maxReplyCharsP90}`);
  if (metrics.citationsPerReply !== null && metrics.citationsPerReply > GATE.maxCitationsPerReply)
    reasons.push(`citations per reply ${metrics.citationsPerReply.toFixed(2)} > ${GATE.maxCitationsPerReply}`);
  const precision = metrics.citationPrecision.value;
  if (precision !== null && precision < GATE.minCitationPrecision)
    reasons.push(`citation precision ${(precision * 100).toFixed(1)}% < ${GATE.minCitationPrecision * 100}%`);
  return { passed: reasons.length === 0, reasons };
}
