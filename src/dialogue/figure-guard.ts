/**
 * The figure guard: every number, date and percentage in a reply must be backed by a tool output,
 * a cited knowledge entry or — for the user's own case only — the user's messages. A reply that
 * fails is never sent.
 *
 * A figure is backed only by the same value with the same unit ("45个工作日" is not backed by 45
 * months), in the same role ("转出地5个工作日" is not backed by the destination's 5 working days),
 * with the right weekday ("2027年1月4日（周二）" fails: it is a Monday). A number the user typed backs
 * an echo of their own dates, months, base, rate or amounts, never a rule: "45个工作日" from the
 * user does not let a reply state 45 working days as the time limit. Chinese numerals of every
 * common form are read (四十五, 十五工作日, 半年, 一年半, 两年, 贰佰伍拾元, 百分之七点五, 万分之五).
 */
import { type Backing, type Provenance } from './guard/provenance.js';
import { extractQuantities, weekdayOfIso, type Quantity } from './guard/quantities.js';

export { addQuantity, addText, addToolOutput, buildProvenance, emptyProvenance, userProvenance, userQuantitiesOf, type Provenance } from './guard/provenance.js';
export { extractQuantities, type Quantity, type QuantityAspect, type QuantityRole, type QuantityUnit } from './guard/quantities.js';

/** Every figure of a text, with unit, role and weekday. Memoised: tool notes and snippets repeat. */
export function extractFigures(text: string): Quantity[] {
  if (!/[\d０-９零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟半]/.test(text)) return [];
  const known = memo.get(text);
  if (known) return known.map((q) => ({ ...q }));
  const found = extractQuantities(text);
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value!);
  memo.set(text, found);
  return found.map((q) => ({ ...q }));
}
// Bounded, so arbitrary user text cannot grow it without limit.
const memo = new Map<string, readonly Quantity[]>();
const MEMO_MAX = 20_000;

const CALENDAR_UNITS = new Set(['date', 'monthday', 'yearmonth', 'year', 'month', 'day_of_month', 'doc', 'article', 'hotline']);

function candidates(q: Quantity, sets: readonly Provenance[]): Backing[] {
  const keys = q.unit === 'count' ? [`count|${q.value}`, `none|${q.value}`] : [`${q.unit}|${q.value}`];
  const out: Backing[] = [];
  for (const set of sets) {
    for (const k of keys) out.push(...(set.byKey.get(k) ?? []));
    // A bare number the user typed ("基数5000") is their amount in whatever unit the reply echoes it.
    if (!CALENDAR_UNITS.has(q.unit) && q.unit !== 'none' && q.unit !== 'count')
      out.push(...(set.byKey.get(`none|${q.value}`) ?? []).filter((b) => b.fromUser));
  }
  return out;
}

/** Why a figure is not backed, for logs and tests; undefined when it is backed. */
export function whyUnbacked(q: Quantity, sets: readonly Provenance[]): string | undefined {
  if (q.unit === 'date' && q.weekday !== undefined && weekdayOfIso(q.value) !== q.weekday) return 'wrong_weekday';
  let list = candidates(q, sets);
  if (list.length === 0) return 'no_source';
  if (!q.attributed) {
    list = list.filter((b) => !b.superseded);
    if (list.length === 0) return 'old_or_refuted_figure_as_current';
  }
  if (q.policy) {
    list = list.filter((b) => !b.fromUser);
    if (list.length === 0) return 'user_figure_as_rule';
  }
  if (q.unit === 'monthday' && q.weekday !== undefined) {
    list = list.filter((b) => b.weekday === q.weekday);
    if (list.length === 0) return 'wrong_weekday';
  }
  // Role (whose figure) and aspect (deadline or start, waiting or gap), one after the other: a
  // source that names none backs a figure that names one only if no source gives the value another.
  for (const dim of ['role', 'aspect'] as const) {
    const wanted = q[dim];
    if (!wanted) continue;
    const same = list.filter((b) => b[dim] === wanted);
    if (same.length > 0) {
      list = same;
      continue;
    }
    const open = list.filter((b) => !b[dim]);
    if (open.length === 0 || list.some((b) => b[dim] && b[dim] !== wanted)) return `wrong_${dim}`;
    list = open;
  }
  return undefined;
}

/** True when one of the provenance sets backs this figure. */
export function holds(provenance: Provenance | readonly Provenance[], q: Quantity): boolean {
  return whyUnbacked(q, Array.isArray(provenance) ? (provenance as readonly Provenance[]) : [provenance as Provenance]) === undefined;
}

export interface GuardResult {
  ok: boolean;
  /** Figures in the reply that nothing backs, each with the reason. */
  unbacked: Array<Quantity & { reason: string }>;
  figures: Quantity[];
}

/** Checks every figure of `reply` against one or several provenance sets (together they may back a figure). */
export function checkFigures(reply: string, provenance: Provenance | readonly Provenance[]): GuardResult {
  const sets = Array.isArray(provenance) ? (provenance as readonly Provenance[]) : [provenance as Provenance];
  const figures = extractFigures(reply);
  const unbacked: GuardResult['unbacked'] = [];
  for (const f of figures) {
    const reason = whyUnbacked(f, sets);
    if (reason) unbacked.push({ ...f, reason });
  }
  return { ok: unbacked.length === 0, unbacked, figures };
}
