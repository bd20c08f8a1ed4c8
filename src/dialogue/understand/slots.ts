import type { InsuranceType, PayoutSituation, SlotState } from '../types.js';
import type { SlotRules } from './dialogue-rules.js';
import { alternation, wordMatcher, type WordMatcher } from './patterns.js';
import { roundNumber } from './numbers.js';

/** The non-place, non-date slots a message can state. */
export type StatedSlots = Omit<Partial<SlotState>, 'from' | 'to' | 'acceptedDate' | 'infoSheetReceivedDate' | 'startDate' | 'endDate'>;

type BooleanSlot = keyof SlotRules['booleans'];

interface CompiledRule<V> {
  value: V;
  test: (text: string) => boolean;
}

interface CompiledNumberSlot {
  /** Any cue word of this slot; the regexes only run when one is present. */
  cues: WordMatcher;
  before: RegExp[];
  after: RegExp[];
}

export interface CompiledSlotRules {
  typeWords: WordMatcher;
  typeWord: RegExp;
  typeOf: ReadonlyMap<string, InsuranceType>;
  typeIgnore: RegExp;
  typeSwitch: RegExp;
  typeNegation: RegExp;
  switchSituations: SlotRules['switchSituations'];
  booleans: ReadonlyArray<readonly [BooleanSlot, ReadonlyArray<CompiledRule<boolean>>]>;
  payout: ReadonlyArray<CompiledRule<PayoutSituation>>;
  gapMonths: CompiledNumberSlot;
  base: CompiledNumberSlot;
  ratePercent: CompiledNumberSlot;
  yearsRepaid: CompiledNumberSlot;
  continuousYearsBefore: CompiledNumberSlot;
  averagePension: CompiledNumberSlot;
  workingDays: CompiledNumberSlot;
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
/** "4个月", "3个多月", "1个半月", "2年", "1年半", "两年多"(→"2年多"), "半年", "半个月". */
const DURATION = String.raw`((?:\d+(?:\.\d+)?)个半?多?月|(?:\d+(?:\.\d+)?)个?多?年半?多?|半个?月|半年)`;
const LINK = String.raw`(?:是|为|:|了|有|大概|大约|约|按|共)*`;

function compileRule<V>(rule: { value: V; words?: string[] | undefined; patterns?: string[] | undefined }): CompiledRule<V> {
  const words = rule.words?.length ? wordMatcher(rule.words) : undefined;
  const patterns = (rule.patterns ?? []).map((p) => new RegExp(p));
  return { value: rule.value, test: (text) => Boolean(words?.test(text)) || patterns.some((p) => p.test(text)) };
}

/** Precompiles knowledge/dialogue/slots.yaml (once, at load). */
export function compileSlotRules(rules: SlotRules): CompiledSlotRules {
  const { insuranceTypes: types, numbers } = rules;
  const typeOf = new Map<string, InsuranceType>();
  for (const w of types.employee) typeOf.set(w, 'employee');
  for (const w of types.resident) typeOf.set(w, 'resident');
  const gap = `[^\\d,。?!;]{0,${numbers.gap}}?`;
  const before = (cues: string[] | undefined, value: string) => (cues?.length ? [new RegExp(`${alternation(cues)}${LINK}${gap}${value}`)] : []);
  const after = (cues: string[] | undefined, value: string, unit = '') => (cues?.length ? [new RegExp(`${value}${unit}${gap}${alternation(cues)}`)] : []);
  const cuesOf = (cues: { before?: string[] | undefined; after?: string[] | undefined; monthsOnlyBefore?: string[] | undefined; percentOnlyBefore?: string[] | undefined }) =>
    wordMatcher([...(cues.before ?? []), ...(cues.after ?? []), ...(cues.monthsOnlyBefore ?? []), ...(cues.percentOnlyBefore ?? [])]);
  return {
    typeWords: wordMatcher([...typeOf.keys()]),
    typeWord: new RegExp(alternation([...typeOf.keys()]), 'g'),
    typeOf,
    typeIgnore: new RegExp(alternation(types.ignore.length ? types.ignore : ['\u0000']), 'g'),
    // The switch cue may sit after a clause ("居民医保我连续交了5年，换到职工医保").
    typeSwitch: new RegExp(`^[^。?!;]{0,16}${alternation(types.switchCues)}[^,。?!;]{0,3}$`),
    typeNegation: new RegExp(`${alternation(types.negations.length ? types.negations : ['\u0000'])}.{0,1}$`),
    switchSituations: rules.switchSituations,
    booleans: (Object.keys(rules.booleans) as BooleanSlot[]).map((slot) => [slot, rules.booleans[slot].map(compileRule)] as const),
    payout: rules.payoutSituations.map(compileRule),
    gapMonths: {
      cues: cuesOf(numbers.gapMonths),
      before: [...before(numbers.gapMonths.before, DURATION), ...before(numbers.gapMonths.monthsOnlyBefore, String.raw`(\d+个半?多?月)`)],
      after: after(numbers.gapMonths.after, DURATION, '(?:都|也|一直|完全)?'),
    },
    base: { cues: cuesOf(numbers.base), before: before(numbers.base.before, NUMBER), after: after(numbers.base.after, NUMBER, '(?:元|块)?') },
    ratePercent: {
      cues: cuesOf(numbers.ratePercent),
      // A number with another unit ("总共要45个工作日", "一共3000元") is not a rate.
      before: [...before(numbers.ratePercent.before, `${NUMBER}\\s*(%)?${NOT_ANOTHER_UNIT}`), ...before(numbers.ratePercent.percentOnlyBefore, `${NUMBER}\\s*(%)`)],
      after: after(numbers.ratePercent.after, `${NUMBER}\\s*(%)?`),
    },
    yearsRepaid: { cues: cuesOf(numbers.yearsRepaid), before: before(numbers.yearsRepaid.before, String.raw`(\d+)个?年`), after: [] },
    continuousYearsBefore: { cues: cuesOf(numbers.continuousYearsBefore), before: before(numbers.continuousYearsBefore.before, String.raw`(\d+)个?多?年`), after: [] },
    averagePension: { cues: cuesOf(numbers.averagePension), before: before(numbers.averagePension.before, NUMBER), after: [] },
    workingDays: {
      cues: cuesOf(numbers.workingDays),
      before: before(numbers.workingDays.before, String.raw`(\d+)个?工作日`),
      after: after(numbers.workingDays.after, String.raw`(\d+)个?工作日`),
    },
  };
}

/**
 * Months in a duration as users write it (after numeral normalisation).
 * @example durationMonths('1年半') // 18
 */
export function durationMonths(text: string): number | undefined {
  if (/^半个?月$/.test(text)) return 0.5;
  if (text === '半年') return 6;
  const months = /^(\d+(?:\.\d+)?)个(半)?多?月$/.exec(text);
  if (months) return roundNumber(Number(months[1]) + (months[2] ? 0.5 : 0));
  const years = /^(\d+(?:\.\d+)?)个?多?年(半)?多?$/.exec(text);
  if (years) return roundNumber((Number(years[1]) + (years[2] ? 0.5 : 0)) * 12);
  return undefined;
}

/** What may not follow a rate written without a percent sign: more digits or another unit. */
const NOT_ANOTHER_UNIT = String.raw`(?![\d.]|\s*(?:个|天|年|月|元|块|号|日|岁|万|千|周|小时|工作日))`;

function firstMatch(text: string, slot: CompiledNumberSlot): RegExpExecArray | undefined {
  if (!slot.cues.test(text)) return undefined;
  let best: RegExpExecArray | undefined;
  for (const re of [...slot.before, ...slot.after]) {
    const m = re.exec(text);
    if (m && (!best || m.index < best.index)) best = m;
  }
  return best;
}

/** Rate as a percent: "7.5%" → 7.5, "0.075" → 7.5, "7.5" → 7.5. */
export function ratePercentOf(value: number, hasPercentSign: boolean): number {
  return roundNumber(!hasPercentSign && value > 0 && value < 1 ? value * 100 : value, 4);
}

function insuranceTypes(text: string, rules: CompiledSlotRules): Pick<StatedSlots, 'insuranceType' | 'toInsuranceType'> {
  if (!rules.typeWords.test(text)) return {};
  const scrubbed = text.replace(rules.typeIgnore, (w) => '\u0000'.repeat(w.length));
  const found: Array<{ type: InsuranceType; start: number; end: number }> = [];
  rules.typeWord.lastIndex = 0;
  for (let m = rules.typeWord.exec(scrubbed); m; m = rules.typeWord.exec(scrubbed)) {
    const negated = rules.typeNegation.test(scrubbed.slice(Math.max(0, m.index - 4), m.index));
    if (!negated) found.push({ type: rules.typeOf.get(m[0])!, start: m.index, end: m.index + m[0].length });
  }
  const first = found[0];
  if (!first) return {};
  for (let i = 0; i + 1 < found.length; i++) {
    const [a, b] = [found[i]!, found[i + 1]!];
    if (a.type !== b.type && rules.typeSwitch.test(scrubbed.slice(a.end, b.start))) return { insuranceType: a.type, toInsuranceType: b.type };
  }
  return { insuranceType: first.type };
}

/**
 * Reads the slots a normalised message states, apart from places and dates: insurance type (and
 * a switch "职工转居民"), retired / enrolled / stopped / newborn, payout situation, gap months,
 * contribution base and rate, years repaid, average pension, working days to add.
 */
export function extractSlots(text: string, rules: CompiledSlotRules): StatedSlots {
  const slots: StatedSlots = { ...insuranceTypes(text, rules) };
  for (const [slot, slotRules] of rules.booleans) {
    const rule = slotRules.find((r) => r.test(text));
    if (rule) slots[slot] = rule.value;
  }

  const fromRules = rules.payout.find((r) => r.test(text))?.value;
  const switched = rules.switchSituations.find((s) => s.from === slots.insuranceType && s.to === slots.toInsuranceType)?.situation;
  const situation = switched && (!fromRules || fromRules === 'in_service_job_change') ? switched : fromRules;
  if (situation) slots.payoutSituation = situation;

  // Every number slot needs a digit or 半 ("半年"); most messages have neither.
  if (!/[\d半]/.test(text)) return slots;
  const gap = firstMatch(text, rules.gapMonths);
  const months = gap?.[1] === undefined ? undefined : durationMonths(gap[1]);
  if (months !== undefined) slots.gapMonths = months;

  const base = firstMatch(text, rules.base);
  if (base?.[1]) slots.base = Number(base[1]);

  const rate = firstMatch(text, rules.ratePercent);
  if (rate?.[1]) slots.ratePercent = ratePercentOf(Number(rate[1]), rate[2] === '%');

  const repaid = firstMatch(text, rules.yearsRepaid);
  if (repaid?.[1]) slots.yearsRepaid = Number(repaid[1]);
  const continuous = firstMatch(text, rules.continuousYearsBefore);
  if (continuous?.[1]) slots.continuousYearsBefore = Number(continuous[1]);

  const pension = firstMatch(text, rules.averagePension);
  if (pension?.[1]) slots.averagePension = Number(pension[1]);

  const days = firstMatch(text, rules.workingDays);
  if (days?.[1]) slots.workingDays = Number(days[1]);
  return slots;
}
