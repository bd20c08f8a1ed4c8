import { z } from 'zod';
import { DomainError } from '../errors.js';
import { loadTable } from '../knowledge/load.js';
import { confidenceOf, isoDate, sourceSchema, verifications } from '../knowledge/schema.js';
import type { Region, RegionLookup } from './region/types.js';
import { type Basis, defineTool } from './tool.js';

// ---------------------------------------------------------------------------------------------
// Pieces shared by the rule tables of the deterministic tools (transfer, arrears, payout,
// retiree credit): how a table row names its source, and how a row's `when` is matched.
// ---------------------------------------------------------------------------------------------

/** A source as written in a rule table; the same shape the chat cites (`Basis`). */
export const basisSchema = z
  .object({
    label: z.string().min(2),
    source: sourceSchema,
    scope: z.enum(['national', 'province', 'city']),
    verification: z.enum(verifications),
    entryId: z.string().optional(),
  })
  .strict()
  .transform((b) => ({ ...b, confidence: confidenceOf(b.verification) })) satisfies z.ZodType<Basis>;

/** 6-digit GB/T 2260 region code. */
export const regionCodeSchema = z.string().regex(/^\d{6}$/, '地区代码须为6位数字');

/**
 * True when every condition in `when` allows the fact of the same name; a key that `when` does
 * not list is unconstrained, so `{}` matches everything (the catch-all row of a table).
 */
export function matchesWhen(
  when: Readonly<Record<string, readonly string[] | undefined>>,
  facts: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(when).every(([key, allowed]) => {
    if (allowed === undefined) return true;
    const value = facts[key];
    return value !== undefined && allowed.includes(value);
  });
}

/** Concatenates basis lists, keeping the first of each (label, document, article). */
export function mergeBasis(...lists: ReadonlyArray<readonly Basis[]>): Basis[] {
  const seen = new Set<string>();
  const out: Basis[] = [];
  for (const basis of lists.flat()) {
    const key = [basis.label, basis.source.docNumber ?? basis.source.title, basis.source.article ?? ''].join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(basis);
  }
  return out;
}

/**
 * Resolves a place name or throws the client-facing DomainError: 409 REGION_AMBIGUOUS with the
 * candidates, 404 REGION_NOT_FOUND with suggestions.
 */
export function requireRegion(regions: RegionLookup, name: string): Region {
  const result = regions.resolve(name);
  if (result.status === 'ok') return result.region;
  if (result.status === 'ambiguous')
    throw new DomainError('REGION_AMBIGUOUS', 409, `“${name}”对应多个地区，请说明是哪一个`, {
      details: {
        name,
        candidates: result.candidates.map((c) => ({ name: c.name, city: c.city, province: c.province, code: c.code })),
      },
    });
  throw new DomainError('REGION_NOT_FOUND', 404, `没有找到地区“${name}”，请换个说法或说出所在的市`, {
    details: { name, suggestions: result.suggestions },
  });
}

// ---------------------------------------------------------------------------------------------
// Transfer eligibility
// ---------------------------------------------------------------------------------------------

export const movements = ['cross_province', 'intra_province', 'same_pooling_area'] as const;
export type Movement = (typeof movements)[number];
export const insuranceTypes = ['employee', 'resident'] as const;
export type InsuranceType = (typeof insuranceTypes)[number];
export const situations = ['employee_to_employee', 'resident_to_resident', 'cross_system'] as const;
export type Situation = (typeof situations)[number];
export const applicabilities = ['should_apply', 'may_apply', 'may_apply_next_year', 'not_applicable', 'retiree_filing'] as const;
export type Applicability = (typeof applicabilities)[number];
export const balanceOutcomes = ['moves_with_relationship', 'no_personal_account', 'local_rule', 'stays_in_place', 'unknown'] as const;
export type BalanceOutcome = (typeof balanceOutcomes)[number];
export const transferFactNames = ['retired', 'insuranceType', 'enrolledAtDestination', 'toInsuranceType'] as const;
export type TransferFactName = (typeof transferFactNames)[number];
export type TransferNeed = TransferFactName | 'fromCity' | 'toCity';

const typeFact = z.array(z.enum(['employee', 'resident', 'unknown'])).min(1).optional();
/** Conditions a transfer-table row can put on the facts of a move. */
export const transferConditionSchema = z.strictObject({
  movement: z.array(z.enum(movements)).min(1).optional(),
  fromType: typeFact,
  toType: typeFact,
  retired: z.array(z.enum(['yes', 'no', 'unknown'])).min(1).optional(),
});
const provincialConditionSchema = transferConditionSchema.extend({
  fromProvince: z.array(regionCodeSchema).min(1).optional(),
  toProvince: z.array(regionCodeSchema).min(1).optional(),
});

const textWithBasis = z.object({ text: z.string().min(4), basis: z.array(basisSchema) });
const movementRow = textWithBasis.extend({ transferNeeded: z.boolean() });
const situationRow = textWithBasis.extend({ applicability: z.enum(applicabilities) });
const balanceRow = textWithBasis.extend({ when: transferConditionSchema, outcome: z.enum(balanceOutcomes) });

/** knowledge/tables/transfer-rules.yaml */
export const transferRulesSchema = z.object({
  sources: z.array(basisSchema).default([]),
  facts: z
    .array(
      z.object({
        fact: z.enum(transferFactNames),
        required: z.boolean(),
        blocksVerdict: z.boolean(),
        askWhen: transferConditionSchema.optional(),
        question: z.string().min(4),
        assumption: z.string().min(4).optional(),
      }),
    )
    .min(1),
  placeQuestions: z.object({ fromCity: z.string().min(4), toCity: z.string().min(4) }),
  movements: z.object({
    cross_province: movementRow,
    intra_province: movementRow,
    same_pooling_area: movementRow,
    undetermined: textWithBasis,
  }),
  situations: z.object({
    employee_to_employee: situationRow,
    resident_to_resident: situationRow,
    cross_system: situationRow,
  }),
  retiree: textWithBasis.extend({
    when: transferConditionSchema,
    applicability: z.literal('retiree_filing'),
    transferNeeded: z.boolean(),
  }),
  preconditions: z.object({
    items: z.array(z.object({ key: z.enum(['stoppedAtOrigin', 'enrolledAtDestination']), text: z.string().min(4) })).min(1),
    basis: z.array(basisSchema).min(1),
  }),
  balance: z
    .array(balanceRow)
    .min(1)
    .refine((rows) => Object.keys(rows.at(-1)?.when ?? { x: 1 }).length === 0, '最后一行须是 when: {} 的兜底规则'),
  contributionYears: textWithBasis,
});
export type TransferRules = z.output<typeof transferRulesSchema>;

/** knowledge/tables/provincial-rules.yaml */
export const provincialRulesSchema = z.object({
  sources: z.array(basisSchema).default([]),
  rules: z.array(
    z
      .object({
        id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
        province: z.string().min(2),
        provinceCode: regionCodeSchema,
        when: provincialConditionSchema,
        text: z.string().min(4),
        validFrom: isoDate.nullable(),
        validTo: isoDate.nullable(),
        currentStatus: z.enum(['in_force', 'expired', 'unknown']),
        balance: z
          .object({ when: transferConditionSchema, outcome: z.enum(balanceOutcomes), text: z.string().min(4) })
          .optional(),
        /**
         * The province pools this insurance type province-wide, so a move between its cities stays
         * in one pooling area: the verdict is same_pooling_area and `text` replaces the movement text.
         */
        onePoolingArea: z.boolean().default(false),
        basis: z.array(basisSchema).min(1),
      })
      .refine((r) => r.basis.some((b) => b.scope === 'province' && b.verification !== 'draft'), '省级规定须有本省正式文件作依据'),
  ),
});
export type ProvincialRules = z.output<typeof provincialRulesSchema>;

export const loadTransferRules = (dir?: string): TransferRules => loadTable('transfer-rules', transferRulesSchema, dir);
export const loadProvincialRules = (dir?: string): ProvincialRules => loadTable('provincial-rules', provincialRulesSchema, dir);

export const transferEligibilityInputSchema = z.object({
  from: z.string().trim().min(1).max(50).describe('转出地（原参保地），如“烟台”“南京玄武区”'),
  to: z.string().trim().min(1).max(50).describe('转入地（新参保地）'),
  insuranceType: z.enum(insuranceTypes).optional().describe('转出地险种：employee 职工医保 / resident 居民医保'),
  toInsuranceType: z.enum(insuranceTypes).optional().describe('转入地险种，与转出地不同时填写'),
  retired: z.boolean().optional().describe('是否已退休（享受职工医保退休人员待遇）'),
  enrolledAtDestination: z.boolean().optional().describe('是否已在转入地参保'),
  stoppedAtOrigin: z.boolean().optional().describe('是否已在转出地中止参保（停保）'),
});
export type TransferEligibilityInput = z.output<typeof transferEligibilityInputSchema>;

export interface TextWithBasis {
  text: string;
  basis: Basis[];
}

export interface ProvincialNote extends TextWithBasis {
  id: string;
  province: string;
  provinceCode: string;
  validFrom: string | null;
  validTo: string | null;
  currentStatus: 'in_force' | 'expired' | 'unknown';
}

export interface TransferEligibility {
  from: Region;
  to: Region;
  /** Null only when both places are in one province and one of them is given as the province. */
  movement: Movement | null;
  movementText: string;
  transferNeeded: boolean | null;
  situation: Situation | null;
  situationText: string | null;
  applicability: Applicability | null;
  /** The official checks before a transfer is accepted. */
  preconditions: string[];
  /** Preconditions the user said are not met yet. */
  outstanding: string[];
  /** Preconditions not yet known to be met (all but those the user said are done). */
  remaining: string[];
  balance: TextWithBasis & { outcome: BalanceOutcome };
  contributionYears: TextWithBasis;
  provincialNotes: ProvincialNote[];
  retireeAdvice?: TextWithBasis;
  /** Facts still missing, in the order to ask them; `questions` holds the matching wording. */
  needs: TransferNeed[];
  questions: string[];
  /** What was assumed for a fact the user did not give. */
  assumptions: string[];
  basis: Basis[];
}

export interface TransferEligibilityDeps {
  regions: RegionLookup;
  rules: TransferRules;
  provincial: ProvincialRules;
}

function movementBetween(from: Region, to: Region): Movement | null {
  if (from.provinceCode !== to.provinceCode) return 'cross_province';
  if (!from.poolingArea || !to.poolingArea) return null;
  return from.poolingArea.code === to.poolingArea.code ? 'same_pooling_area' : 'intra_province';
}

function situationOf(fromType: InsuranceType | undefined, toType: InsuranceType | undefined): Situation | null {
  if (!fromType || !toType) return null;
  if (fromType !== toType) return 'cross_system';
  return fromType === 'employee' ? 'employee_to_employee' : 'resident_to_resident';
}

const yesNo = (value: boolean | undefined) => (value === undefined ? 'unknown' : value ? 'yes' : 'no');

/**
 * Says whether a move between two places needs a 医保 transfer, which of the three national
 * situations applies, what happens to the personal-account balance and which facts are still
 * missing. Every rule comes from the transfer and provincial tables.
 *
 * @example checkTransferEligibility({ from: '烟台', to: '苏州', insuranceType: 'employee', retired: false }, deps)
 *   // → movement 'cross_province', applicability 'should_apply', balance 'moves_with_relationship'
 */
export function checkTransferEligibility(input: TransferEligibilityInput, deps: TransferEligibilityDeps): TransferEligibility {
  const { rules } = deps;
  const from = requireRegion(deps.regions, input.from);
  const to = requireRegion(deps.regions, input.to);
  const toType = input.toInsuranceType ?? input.insuranceType;
  const byCity = movementBetween(from, to);
  const baseFacts = {
    movement: byCity ?? 'unknown',
    fromType: input.insuranceType ?? 'unknown',
    toType: toType ?? 'unknown',
    retired: yesNo(input.retired),
    fromProvince: from.provinceCode,
    toProvince: to.provinceCode,
  };
  // A province that pools this insurance type province-wide makes its cities one pooling area.
  const provincePool = deps.provincial.rules.find((rule) => rule.onePoolingArea && matchesWhen(rule.when, baseFacts));
  const movement: Movement | null = provincePool ? 'same_pooling_area' : byCity;
  const facts = { ...baseFacts, movement: movement ?? 'unknown' };

  const samePool = movement === 'same_pooling_area';
  const retiree = !samePool && matchesWhen(rules.retiree.when, facts);
  const needs: TransferNeed[] = [];
  if (movement === null) {
    if (!from.poolingArea) needs.push('fromCity');
    if (!to.poolingArea) needs.push('toCity');
  }
  let verdictBlocked = movement === null;
  if (!samePool && !retiree) {
    for (const fact of rules.facts) {
      const missing = input[fact.fact] === undefined;
      const relevant = !fact.askWhen || matchesWhen(fact.askWhen, facts);
      if (!missing || !relevant) continue;
      if (fact.required) needs.push(fact.fact);
      if (fact.blocksVerdict) verdictBlocked = true;
    }
  }
  const questions = needs.map((need) =>
    need === 'fromCity' || need === 'toCity' ? rules.placeQuestions[need] : rules.facts.find((f) => f.fact === need)!.question,
  );

  const movementRow = movement ? rules.movements[movement] : rules.movements.undetermined;
  const transferNeeded = retiree ? rules.retiree.transferNeeded : movement ? rules.movements[movement].transferNeeded : null;
  const situation = samePool || retiree ? null : situationOf(input.insuranceType, toType);
  const situationRow = situation ? rules.situations[situation] : null;
  let applicability: Applicability | null = null;
  if (samePool) applicability = 'not_applicable';
  else if (retiree) applicability = rules.retiree.applicability;
  else if (!verdictBlocked && situationRow) applicability = situationRow.applicability;

  const assumptions: string[] = [];
  if (situation && input.toInsuranceType === undefined) {
    const assumption = rules.facts.find((f) => f.fact === 'toInsuranceType')?.assumption;
    if (assumption) assumptions.push(assumption);
  }

  const listPreconditions = !samePool && !retiree;
  const preconditions = listPreconditions ? rules.preconditions.items.map((item) => item.text) : [];
  const outstanding = listPreconditions
    ? rules.preconditions.items.filter((item) => input[item.key] === false).map((item) => item.text)
    : [];
  const remaining = listPreconditions ? rules.preconditions.items.filter((item) => input[item.key] !== true).map((item) => item.text) : [];

  const provincial = deps.provincial.rules.filter((rule) => rule !== provincePool && matchesWhen(rule.when, facts));
  const nationalBalance = rules.balance.find((row) => matchesWhen(row.when, facts))!;
  const override = provincial.find((rule) => rule.balance && matchesWhen(rule.balance.when, facts));
  const balance =
    override?.balance !== undefined
      ? { outcome: override.balance.outcome, text: override.balance.text, basis: override.basis }
      : { outcome: nationalBalance.outcome, text: nationalBalance.text, basis: nationalBalance.basis };

  const provincialNotes: ProvincialNote[] = provincial.map((rule) => ({
    id: rule.id,
    province: rule.province,
    provinceCode: rule.provinceCode,
    text: rule.text,
    validFrom: rule.validFrom,
    validTo: rule.validTo,
    currentStatus: rule.currentStatus,
    basis: rule.basis,
  }));
  const retireeAdvice = retiree ? { text: rules.retiree.text, basis: rules.retiree.basis } : undefined;

  return {
    from,
    to,
    movement,
    movementText: provincePool?.text ?? movementRow.text,
    transferNeeded,
    situation,
    situationText: situationRow?.text ?? null,
    applicability,
    preconditions,
    outstanding,
    remaining,
    balance,
    contributionYears: rules.contributionYears,
    provincialNotes,
    ...(retireeAdvice ? { retireeAdvice } : {}),
    needs,
    questions,
    assumptions,
    basis: mergeBasis(
      provincePool?.basis ?? [],
      movementRow.basis,
      situationRow?.basis ?? [],
      listPreconditions ? rules.preconditions.basis : [],
      balance.basis,
      rules.contributionYears.basis,
      retireeAdvice?.basis ?? [],
      ...provincialNotes.map((note) => note.basis),
    ),
  };
}

/** The `transfer_eligibility` tool; tables are read once when the tool is created. */
export function createTransferEligibilityTool(
  deps: { regions: RegionLookup } & Partial<Omit<TransferEligibilityDeps, 'regions'>>,
) {
  const resolved: TransferEligibilityDeps = {
    regions: deps.regions,
    rules: deps.rules ?? loadTransferRules(),
    provincial: deps.provincial ?? loadProvincialRules(),
  };
  return defineTool({
    name: 'transfer_eligibility',
    route: 'transfer-eligibility',
    description:
      '判断医保关系从转出地到转入地是否需要办理转移接续（跨省、省内跨统筹地区或同一统筹地区），属于哪种情形，前提条件，个人账户余额如何处理，缴费年限是否累计，以及还需要用户补充哪些信息。退休人员提示办理异地安置/长期居住备案。',
    input: transferEligibilityInputSchema,
    run: (input) => checkTransferEligibility(input, resolved),
  });
}
