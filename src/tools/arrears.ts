import { z } from 'zod';
import { loadTable } from '../knowledge/load.js';
import { confidenceOf, type Confidence, type Verification, verifications } from '../knowledge/schema.js';
import type { Region, RegionLookup } from './region/types.js';
import { type Basis, defineTool } from './tool.js';
import { basisSchema, insuranceTypes, matchesWhen, mergeBasis, regionCodeSchema, requireRegion } from './transfer-eligibility.js';

const yesNoUnknown = z.array(z.enum(['yes', 'no', 'unknown'])).min(1).optional();
const arrearsConditionSchema = z.strictObject({
  insuranceType: z.array(z.enum(insuranceTypes)).min(1).optional(),
  aroundTransfer: yesNoUnknown,
  switchingSystems: yesNoUnknown,
  newborn: yesNoUnknown,
});
const rangeSchema = z
  .strictObject({
    atLeast: z.number().min(0).optional(),
    atMost: z.number().min(0).optional(),
    moreThan: z.number().min(0).optional(),
  })
  .refine((r) => Object.keys(r).length > 0, '数值条件至少要有 atLeast / atMost / moreThan 之一');
type Range = z.output<typeof rangeSchema>;

export const arrearsFacts = ['gapMonths', 'gapYears', 'aroundTransfer', 'continuousYearsBefore', 'enrolledOutsidePeriod'] as const;
export type ArrearsFact = (typeof arrearsFacts)[number];
export const backPayVerdicts = ['yes', 'local_rule', 'repair', 'not_needed', 'depends'] as const;
export const resumeFroms = ['payment_month', 'after_waiting', 'no_waiting', 'birth', 'local_rule', 'depends'] as const;

const ruleSchema = z.object({
  key: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  when: arrearsConditionSchema,
  gapMonths: rangeSchema.optional(),
  continuousYearsBefore: rangeSchema.optional(),
  canBackPay: z.enum(backPayVerdicts),
  benefits: z.object({
    from: z.enum(resumeFroms),
    waitingMonths: z.union([z.number().int().min(0), z.null(), z.literal('resident-formula')]),
    maxWaitingMonths: z.number().int().positive().optional(),
    retroactive: z.boolean().nullable(),
  }),
  resume: z.string().min(4).optional(),
  text: z.string().min(4),
  scope: z.enum(['national', 'province', 'city']),
  verification: z.enum(verifications),
  basis: z.array(basisSchema).min(1),
  asks: z.array(z.enum(arrearsFacts)).default([]),
});

/** knowledge/tables/waiting-periods.yaml */
export const waitingPeriodsSchema = z
  .object({
    sources: z.array(basisSchema).default([]),
    rules: z.array(ruleSchema).min(1),
    asks: z.array(z.object({ fact: z.enum(arrearsFacts), when: arrearsConditionSchema })).default([]),
    residentWaiting: z.object({
      effectiveFromYear: z.number().int().min(2020),
      fixedMonths: z.number().int().min(0),
      monthsPerExtraGapYear: z.number().int().min(0),
      repairMonthsPerYear: z.number().int().min(0),
      floor: z.object({ fromGapYears: z.number().int().min(1), minTotalMonths: z.number().int().min(0) }),
      continuousInPeriodMonths: z.number().int().min(0),
      /** Places whose way of counting gap years is known from a local source; only there is a total computed. */
      countings: z
        .array(
          z.object({
            place: z.string().min(2),
            regions: z.array(regionCodeSchema).min(1),
            gapYearsWithoutVariable: z.number().int().min(0),
            note: z.string().min(4),
            basis: z.array(basisSchema).min(1),
          }),
        )
        .default([]),
      unknownCountingNote: z.string().includes('{place}'),
      unknownCountingTemplate: z.string().includes('{fixed}'),
      floorNote: z.string().includes('{fromGapYears}').includes('{minTotalMonths}'),
      provincesNote: z.string().min(4),
      repairNote: z.string().min(4),
      resumeTemplate: z.string().includes('{months}'),
      noWaitingText: z.string().min(4),
      basis: z.array(basisSchema).min(1),
    }),
    amount: z.object({
      formulaNote: z.string().min(4),
      missingNote: z.string().min(4),
      residentNote: z.string().min(4),
      monthsMissingNote: z.string().min(4),
      percentReading: z.string().includes('{percent}'),
      fractionReading: z.string().includes('{percent}'),
    }),
    lateFee: z.object({
      who: z.literal('employer'),
      ratePerDay: z.string().regex(/^\d+(\.\d+)?%$/),
      text: z.string().min(4),
      individualNote: z.string().min(4),
      basis: z.array(basisSchema).min(1),
    }),
    notes: z.array(z.object({ when: arrearsConditionSchema, text: z.string().min(4), basis: z.array(basisSchema) })).default([]),
  })
  .superRefine((table, ctx) => {
    // Every insurance type needs a last-resort row with no numeric condition, so a verdict always exists.
    for (const type of insuranceTypes) {
      const covered = table.rules.some(
        (r) =>
          !r.gapMonths &&
          !r.continuousYearsBefore &&
          Object.keys(r.when).every((k) => k === 'insuranceType') &&
          (r.when.insuranceType?.includes(type) ?? true),
      );
      if (!covered) ctx.addIssue({ code: 'custom', message: `缺少适用于 ${type} 的兜底规则`, path: ['rules'] });
    }
  });
export type WaitingPeriods = z.output<typeof waitingPeriodsSchema>;

export const loadWaitingPeriods = (dir?: string): WaitingPeriods => loadTable('waiting-periods', waitingPeriodsSchema, dir);

export const arrearsInputSchema = z.object({
  insuranceType: z.enum(insuranceTypes).describe('要补缴或重新参保的险种：employee 职工医保 / resident 居民医保'),
  gapMonths: z.number().int().min(0).max(600).optional().describe('断缴月数'),
  gapYears: z.number().int().min(0).max(50).optional().describe('居民医保断保年数（未参保的年度数）'),
  aroundTransfer: z.boolean().optional().describe('断缴是否发生在跨统筹地区转移接续前后'),
  continuousYearsBefore: z.number().min(0).max(80).optional().describe('断缴前连续参保年数'),
  switchingSystems: z.boolean().optional().describe('是否在职工医保和居民医保之间切换'),
  newborn: z.boolean().optional().describe('是否为新生儿参保'),
  yearsRepaid: z.number().int().min(0).max(50).optional().describe('居民医保：为修复等待期多缴的年数'),
  place: z.string().trim().min(1).max(50).optional().describe('参保地（市或省），居民医保等待期只在当地计数方法已核实时才算出总月数'),
  enrolledOutsidePeriod: z.boolean().optional().describe('居民医保：是否在集中参保期之外参保'),
  // A monthly contribution base below 100 yuan is no wage anywhere: asked again, never computed.
  base: z.number().min(100).max(1_000_000).optional().describe('缴费基数（元/月），用户提供'),
  rate: z.number().positive().max(100).optional().describe('费率：7.5 表示 7.5%，0.075 也表示 7.5%'),
  months: z.number().int().min(1).max(600).optional().describe('补缴月数，默认等于断缴月数'),
  payer: z.enum(['employer', 'individual']).optional().describe('由单位还是个人补缴'),
});
export type ArrearsInput = z.output<typeof arrearsInputSchema>;

export interface ResidentWaiting {
  /** First year the 38号 waiting periods apply. */
  effectiveFromYear: number;
  /** The place whose counting of gap years was used. */
  countedAs: string;
  gapYears: number;
  fixedMonths: number;
  /** Gap years that add variable months under the place's counting. */
  countedGapYears: number;
  variableMonthsBeforeRepair: number;
  yearsRepaid: number;
  reductionMonths: number;
  variableMonths: number;
  floorApplied: boolean;
  totalMonths: number;
  /** e.g. "3（固定等待期）+ 3（变动等待期…）− 1（修复1年）= 5个月；…按6个月" */
  formula: string;
}

export interface BackPayAmount {
  months: number;
  base: number;
  ratePercent: number;
  /** How the given rate was read, e.g. "费率0.075按小数理解，即7.5%". */
  rateReading: string;
  /** Yuan, rounded to cents. */
  total: number;
  /** e.g. "4 × 5000 × 7.5% = 1500" */
  formula: string;
}

export interface ArrearsResult {
  insuranceType: 'employee' | 'resident';
  /** Key of the table row that applied. */
  rule: string;
  ruleText: string;
  canBackPay: (typeof backPayVerdicts)[number];
  benefitsResume: {
    text: string;
    waitingMonths: number | null;
    maxWaitingMonths?: number;
    /** Known lower bound when the total cannot be computed (fixed period, or the floor after a long gap). */
    minWaitingMonths?: number;
    from: (typeof resumeFroms)[number];
    retroactive: boolean | null;
  };
  waiting: ResidentWaiting | null;
  amount: BackPayAmount | null;
  amountNote: string;
  lateFee: {
    who: 'employer';
    ratePerDay: string;
    text: string;
    note: string;
    /** Whether the late fee concerns the payer the user named (null when not said). */
    appliesToPayer: boolean | null;
    basis: Basis[];
  };
  needs: ArrearsFact[];
  notes: string[];
  scope: 'national' | 'province' | 'city';
  verification: Verification;
  confidence: Confidence;
  basis: Basis[];
}

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));

function inRange(value: number | undefined, range: Range | undefined): boolean {
  if (!range) return true;
  if (value === undefined) return false;
  return (
    (range.atLeast === undefined || value >= range.atLeast) &&
    (range.atMost === undefined || value <= range.atMost) &&
    (range.moreThan === undefined || value > range.moreThan)
  );
}

type Counting = WaitingPeriods['residentWaiting']['countings'][number];

/** The recorded way of counting gap years for a place (its city's, else its province's), if any. */
export function countingFor(place: Region | null, cfg: WaitingPeriods['residentWaiting']): Counting | undefined {
  if (!place) return undefined;
  const codes = [place.code, place.poolingArea?.code, place.provinceCode];
  return cfg.countings.find((c) => c.regions.some((code) => codes.includes(code)));
}

/**
 * 居民医保 waiting period under 国办发〔2024〕38号 for a place whose counting of gap years is
 * known; every number comes from the table.
 */
export function residentWaitingPeriod(
  gapYears: number,
  yearsRepaid: number,
  cfg: WaitingPeriods['residentWaiting'],
  counting: Counting,
): ResidentWaiting {
  const countedGapYears = Math.max(0, gapYears - counting.gapYearsWithoutVariable);
  const variableMonthsBeforeRepair = countedGapYears * cfg.monthsPerExtraGapYear;
  const reductionMonths = Math.min(variableMonthsBeforeRepair, yearsRepaid * cfg.repairMonthsPerYear);
  const variableMonths = variableMonthsBeforeRepair - reductionMonths;
  const sum = cfg.fixedMonths + variableMonths;
  const floorApplies = gapYears >= cfg.floor.fromGapYears && sum < cfg.floor.minTotalMonths;
  const totalMonths = floorApplies ? cfg.floor.minTotalMonths : sum;

  const parts = [`${cfg.fixedMonths}（固定等待期）`];
  parts.push(
    `+ ${variableMonthsBeforeRepair}（变动等待期：断保${gapYears}年，计入${countedGapYears}年 × 每年${cfg.monthsPerExtraGapYear}个月）`,
  );
  if (reductionMonths > 0) parts.push(`− ${reductionMonths}（修复缴费${yearsRepaid}年，每年减${cfg.repairMonthsPerYear}个月）`);
  let formula = `${parts.join(' ')} = ${sum}个月`;
  if (floorApplies)
    formula += `；断保${cfg.floor.fromGapYears}年及以上的，合计原则上不少于${cfg.floor.minTotalMonths}个月，按${totalMonths}个月`;

  return {
    effectiveFromYear: cfg.effectiveFromYear,
    countedAs: counting.place,
    gapYears,
    fixedMonths: cfg.fixedMonths,
    countedGapYears,
    variableMonthsBeforeRepair,
    yearsRepaid,
    reductionMonths,
    variableMonths,
    floorApplied: floorApplies,
    totalMonths,
    formula,
  };
}

const trimNumber = (n: number) => String(Number(n.toFixed(6)));

/** months × base × rate, from figures the user gave; the rate is read as a percent when ≥ 1, as a fraction when < 1. */
export function backPayAmount(months: number, base: number, rate: number, cfg: WaitingPeriods['amount']): BackPayAmount {
  const asFraction = rate < 1;
  const ratePercent = Number((asFraction ? rate * 100 : rate).toFixed(6));
  const cents = Math.round(Number((months * base * ratePercent).toFixed(6)));
  const total = cents / 100;
  const money = cents % 100 === 0 ? String(cents / 100) : total.toFixed(2);
  const rateReading = fill(asFraction ? cfg.fractionReading : cfg.percentReading, {
    input: trimNumber(rate),
    percent: trimNumber(ratePercent),
  });
  return {
    months,
    base,
    ratePercent,
    rateReading,
    total,
    formula: `${months} × ${trimNumber(base)} × ${trimNumber(ratePercent)}% = ${money}`,
  };
}

const yesNo = (value: boolean | undefined) => (value === undefined ? 'unknown' : value ? 'yes' : 'no');

/**
 * Back-payment and waiting period after a gap: which rule applies, whether and how benefits
 * resume, the 居民医保 waiting period under 国办发〔2024〕38号, the amount from the user's own base
 * and rate, and who owes the late fee.
 *
 * @example assessArrears({ insuranceType: 'employee', gapMonths: 2, aroundTransfer: true }, table)
 *   // → rule 'employee-transfer-short-gap', benefits from the month of payment, retroactive
 */
export function assessArrears(input: ArrearsInput, table: WaitingPeriods, deps: { regions?: RegionLookup } = {}): ArrearsResult {
  let place: Region | null = null;
  if (input.place !== undefined) {
    if (!deps.regions) throw new Error('arrears: a place was given but no region lookup is configured');
    place = requireRegion(deps.regions, input.place);
  }
  const facts = {
    insuranceType: input.insuranceType,
    aroundTransfer: yesNo(input.aroundTransfer),
    switchingSystems: yesNo(input.switchingSystems),
    newborn: yesNo(input.newborn),
  };
  // A gap given in years is still a gap in months for the 3-month rules.
  const gapMonths = input.gapMonths ?? (input.gapYears === undefined ? undefined : input.gapYears * 12);
  const rule = table.rules.find(
    (r) =>
      matchesWhen(r.when, facts) &&
      inRange(gapMonths, r.gapMonths) &&
      inRange(input.continuousYearsBefore, r.continuousYearsBefore),
  );
  if (!rule) throw new Error(`waiting-periods: no rule for ${JSON.stringify(facts)}`); // the schema guarantees one

  const provided: Record<ArrearsFact, unknown> = {
    gapMonths,
    gapYears: input.gapYears,
    aroundTransfer: input.aroundTransfer,
    continuousYearsBefore: input.continuousYearsBefore,
    enrolledOutsidePeriod: input.enrolledOutsidePeriod,
  };
  const needs = new Set<ArrearsFact>();
  for (const ask of table.asks) if (matchesWhen(ask.when, facts) && provided[ask.fact] === undefined) needs.add(ask.fact);
  for (const fact of rule.asks) if (provided[fact] === undefined) needs.add(fact);

  const notes: string[] = [];
  let basis: Basis[] = rule.basis;
  let waiting: ResidentWaiting | null = null;
  let waitingMonths: number | null = rule.benefits.waitingMonths === 'resident-formula' ? null : rule.benefits.waitingMonths;
  let minWaitingMonths: number | undefined;
  let from = rule.benefits.from;
  let resumeText = rule.resume ?? rule.text;

  if (rule.benefits.waitingMonths === 'resident-formula') {
    const cfg = table.residentWaiting;
    basis = mergeBasis(basis, cfg.basis);
    notes.push(cfg.provincesNote);
    const counting = countingFor(place, cfg);
    if (input.gapYears !== undefined && input.gapYears > 0 && counting) {
      waiting = residentWaitingPeriod(input.gapYears, input.yearsRepaid ?? 0, cfg, counting);
      waitingMonths = waiting.totalMonths;
      basis = mergeBasis(basis, counting.basis);
      notes.push(counting.note, cfg.repairNote);
    } else if (input.gapYears !== undefined && input.gapYears > 0) {
      // The counting of gap years is the province's: state the rule and its bounds, not a total.
      // Repair only shortens the variable part, so after a long gap the floor bounds it unrepaired too.
      const longGap = input.gapYears >= cfg.floor.fromGapYears;
      minWaitingMonths = longGap ? Math.max(cfg.fixedMonths, cfg.floor.minTotalMonths) : cfg.fixedMonths;
      resumeText = fill(cfg.unknownCountingTemplate, { fixed: cfg.fixedMonths });
      notes.push(fill(cfg.unknownCountingNote, { place: place?.name ?? '您所在地' }), cfg.repairNote);
      if (longGap) notes.push(fill(cfg.floorNote, cfg.floor));
    } else if (input.gapYears === 0) {
      if (input.enrolledOutsidePeriod === undefined) needs.add('enrolledOutsidePeriod');
      else waitingMonths = input.enrolledOutsidePeriod ? cfg.fixedMonths : cfg.continuousInPeriodMonths;
    }
    if (waitingMonths === 0) {
      from = 'no_waiting';
      resumeText = cfg.noWaitingText;
    } else if (waitingMonths !== null) {
      resumeText = fill(cfg.resumeTemplate, { months: waitingMonths });
    }
  }

  let amount: BackPayAmount | null = null;
  let amountNote: string;
  const months = input.months ?? input.gapMonths;
  if (input.insuranceType === 'resident') amountNote = table.amount.residentNote;
  else if (input.base === undefined || input.rate === undefined) amountNote = table.amount.missingNote;
  else if (months === undefined || months === 0) amountNote = table.amount.monthsMissingNote;
  else {
    amount = backPayAmount(months, input.base, input.rate, table.amount);
    amountNote = table.amount.formulaNote;
    notes.push(amount.rateReading);
  }

  const matchedNotes = table.notes.filter((n) => matchesWhen(n.when, facts));
  notes.push(...matchedNotes.map((n) => n.text));
  const lateFee = {
    who: table.lateFee.who,
    ratePerDay: table.lateFee.ratePerDay,
    text: table.lateFee.text,
    note: table.lateFee.individualNote,
    appliesToPayer: input.payer === undefined ? null : input.payer === table.lateFee.who,
    basis: table.lateFee.basis,
  };

  return {
    insuranceType: input.insuranceType,
    rule: rule.key,
    ruleText: rule.text,
    canBackPay: rule.canBackPay,
    benefitsResume: {
      text: resumeText,
      waitingMonths,
      ...(rule.benefits.maxWaitingMonths === undefined ? {} : { maxWaitingMonths: rule.benefits.maxWaitingMonths }),
      ...(minWaitingMonths === undefined ? {} : { minWaitingMonths }),
      from,
      retroactive: rule.benefits.retroactive,
    },
    waiting,
    amount,
    amountNote,
    lateFee,
    needs: arrearsFacts.filter((f) => needs.has(f)),
    notes,
    scope: rule.scope,
    verification: rule.verification,
    confidence: confidenceOf(rule.verification),
    basis: mergeBasis(basis, lateFee.basis, ...matchedNotes.map((n) => n.basis)),
  };
}

/** The `arrears` tool; the table is read once when the tool is created. */
export function createArrearsTool(deps: { table?: WaitingPeriods; regions?: RegionLookup } = {}) {
  const table = deps.table ?? loadWaitingPeriods();
  const regions = deps.regions;
  return defineTool({
    name: 'arrears',
    route: 'arrears',
    description:
      '医保断缴后能否补缴、何时恢复待遇、居民医保待遇等待期（国办发〔2024〕38号）怎么算；只在用户给出缴费基数和费率时按“月数×基数×费率”计算补缴金额；说明滞纳金由用人单位承担。',
    input: arrearsInputSchema,
    run: (input) => assessArrears(input, table, regions ? { regions } : {}),
  });
}
