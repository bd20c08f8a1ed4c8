import { z } from 'zod';
import { loadTable } from '../knowledge/load.js';
import { confidenceOf, type Confidence, isoDate, type Verification, verifications } from '../knowledge/schema.js';
import type { Region, RegionLookup } from './region/types.js';
import { type Basis, defineTool } from './tool.js';
import { basisSchema, mergeBasis, regionCodeSchema, requireRegion } from './transfer-eligibility.js';

export const payoutSituations = [
  'in_service_job_change',
  'death',
  'emigration',
  'destination_cannot_receive',
  'employee_to_resident',
  'resettled_retiree',
  'guangdong_intra_province',
  'other',
] as const;
export type PayoutSituation = (typeof payoutSituations)[number];
export const payoutVerdicts = ['no', 'yes_inherited', 'local_rule', 'unknown_local'] as const;
export type PayoutVerdict = (typeof payoutVerdicts)[number];

// A payout claim names its sources; a rule found only in web articles has none and is not written here.
const citedBasis = z.array(basisSchema).min(1);

const situationRow = z.object({
  verdict: z.enum(payoutVerdicts),
  text: z.string().min(4),
  advice: z.string().min(4).optional(),
  scope: z.enum(['national', 'province', 'city']),
  verification: z.enum(verifications),
  validity: z
    .object({ from: isoDate, to: isoDate, currentStatus: z.enum(['in_force', 'expired', 'unknown']) })
    .optional(),
  basis: citedBasis,
});

/** knowledge/tables/payout-rules.yaml */
export const payoutRulesSchema = z.object({
  sources: z.array(basisSchema).default([]),
  advice: z.string().min(4),
  noLocalRecord: z.string().includes('{place}'),
  situations: z.object(Object.fromEntries(payoutSituations.map((s) => [s, situationRow])) as Record<PayoutSituation, typeof situationRow>),
  localExamples: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
        place: z.string().min(2),
        regions: z.array(regionCodeSchema).min(1),
        situations: z.array(z.enum(payoutSituations)).min(1),
        text: z.string().min(4),
        basis: citedBasis,
      }),
    )
    .default([]),
});
export type PayoutRules = z.output<typeof payoutRulesSchema>;

export const loadPayoutRules = (dir?: string): PayoutRules => loadTable('payout-rules', payoutRulesSchema, dir);

export const payoutInputSchema = z.object({
  situation: z
    .enum(payoutSituations)
    .describe(
      'in_service_job_change 在职换工作 / death 参保人去世 / emigration 出国（境）定居 / destination_cannot_receive 转入地无法接收余额 / employee_to_resident 职工医保转居民医保 / resettled_retiree 跨省异地安置退休人员 / guangdong_intra_province 广东省内跨市 / other 其他',
    ),
  city: z.string().trim().min(1).max(50).optional().describe('参保地（转出地），用于只给出该地的做法'),
});
export type PayoutInput = z.output<typeof payoutInputSchema>;

export interface PayoutExample {
  place: string;
  text: string;
  basis: Basis[];
}

export interface PayoutResult {
  situation: PayoutSituation;
  verdict: PayoutVerdict;
  text: string;
  scope: 'national' | 'province' | 'city';
  verification: Verification;
  confidence: Confidence;
  validity?: { from: string; to: string; currentStatus: 'in_force' | 'expired' | 'unknown' };
  /** The place asked about, when a city was given. */
  place: Region | null;
  /** Local practice: for the place asked about only, or every recorded place when none was given. */
  localExamples: PayoutExample[];
  advice: string;
  basis: Basis[];
}

export interface PayoutDeps {
  rules: PayoutRules;
  regions?: RegionLookup;
}

const coversPlace = (codes: readonly string[], place: Region) =>
  codes.includes(place.code) || codes.includes(place.provinceCode) || (place.poolingArea !== null && codes.includes(place.poolingArea.code));

/**
 * Whether the personal-account balance can be paid out in a given situation, with the rule's
 * scope and confidence, local examples and where to ask. Never states a rule that only web
 * articles make (e.g. resettled retirees' balance to a bank account).
 *
 * @example checkPayout({ situation: 'death' }, deps) // → verdict 'yes_inherited'
 */
export function checkPayout(input: PayoutInput, deps: PayoutDeps): PayoutResult {
  const row = deps.rules.situations[input.situation];
  let place: Region | null = null;
  if (input.city !== undefined) {
    if (!deps.regions) throw new Error('payout: a city was given but no region lookup is configured');
    place = requireRegion(deps.regions, input.city);
  }
  const examples = deps.rules.localExamples.filter(
    (ex) => ex.situations.includes(input.situation) && (place === null || coversPlace(ex.regions, place)),
  );
  const adviceParts = [row.advice ?? deps.rules.advice];
  if (place !== null && examples.length === 0) adviceParts.unshift(deps.rules.noLocalRecord.replace('{place}', place.name));

  return {
    situation: input.situation,
    verdict: row.verdict,
    text: row.text,
    scope: row.scope,
    verification: row.verification,
    confidence: confidenceOf(row.verification),
    ...(row.validity ? { validity: row.validity } : {}),
    place,
    localExamples: examples.map((ex) => ({ place: ex.place, text: ex.text, basis: ex.basis })),
    advice: adviceParts.join(''),
    basis: mergeBasis(row.basis, ...examples.map((ex) => ex.basis)),
  };
}

/** The `payout` tool; the table is read once when the tool is created. */
export function createPayoutTool(deps: { regions: RegionLookup; rules?: PayoutRules }) {
  const resolved: PayoutDeps = { regions: deps.regions, rules: deps.rules ?? loadPayoutRules() };
  return defineTool({
    name: 'payout',
    route: 'payout-eligibility',
    description:
      '判断职工医保个人账户余额在某种情形下能否支取到本人银行账户（在职换工作、去世继承、出国定居、转入地无法接收、职工转居民、异地安置退休、广东省内跨市等），给出依据、适用范围和地方做法。',
    input: payoutInputSchema,
    run: (input) => checkPayout(input, resolved),
  });
}
