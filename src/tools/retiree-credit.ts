import { z } from 'zod';
import { loadTable } from '../knowledge/load.js';
import { confidenceOf, type Confidence, isoDate, type Verification, verifications } from '../knowledge/schema.js';
import type { Region, RegionLookup } from './region/types.js';
import { type Basis, defineTool } from './tool.js';
import { basisSchema, mergeBasis, regionCodeSchema, requireRegion } from './transfer-eligibility.js';

const textWithBasis = z.object({ text: z.string().min(4), basis: z.array(basisSchema) });

const localFigureSchema = z
  .object({
    place: z.string().min(2),
    regions: z.array(regionCodeSchema).min(1),
    amountYuanPerMonth: z.number().positive().optional(),
    percent: z.number().positive().max(100).optional(),
    effective: isoDate.nullable().default(null),
    text: z.string().min(4),
    basis: z.array(basisSchema).min(1),
  })
  .refine((f) => f.amountYuanPerMonth !== undefined || f.percent !== undefined, '须给出金额或比例')
  // A yuan figure is shown only for the place whose own document gives it.
  .refine((f) => f.basis.every((b) => b.verification !== 'not-found' && b.verification !== 'draft'), '城市金额须有正式来源')
  .refine((f) => f.basis.every((b) => b.scope !== 'national'), '城市金额须有当地来源');

/** knowledge/tables/retiree-credit.yaml */
export const retireeCreditSchema = z.object({
  sources: z.array(basisSchema).default([]),
  rule: textWithBasis.extend({
    percent: z.number().positive().max(100),
    percentWording: z.string().min(2),
    wordingNote: z.string().min(4),
    scope: z.literal('national'),
    verification: z.enum(verifications),
  }),
  draftNote: textWithBasis,
  estimate: z.object({
    formulaTemplate: z.string().includes('{averagePension}').includes('{value}'),
    label: z.string().min(4),
    missingNote: z.string().min(4),
  }),
  advice: z.string().min(4),
  noLocalFigure: z.string().includes('{place}'),
  localFigures: z.array(localFigureSchema).default([]),
});
export type RetireeCreditTable = z.output<typeof retireeCreditSchema>;

export const loadRetireeCredit = (dir?: string): RetireeCreditTable => loadTable('retiree-credit', retireeCreditSchema, dir);

export const retireeCreditInputSchema = z.object({
  city: z.string().trim().min(1).max(50).optional().describe('参保地'),
  averagePension: z
    .number()
    .positive()
    .max(100_000)
    .optional()
    .describe('用户给出的当地改革当年月平均基本养老金（元），仅用于按国家基准估算'),
});
export type RetireeCreditInput = z.output<typeof retireeCreditInputSchema>;

export interface RetireeCreditResult {
  /** The national rule in words. */
  rule: string;
  percent: number;
  percentWording: string;
  wordingNote: string;
  scope: 'national';
  verification: Verification;
  confidence: Confidence;
  /** Only when the user gave an average pension: an estimate of the national benchmark. */
  estimate: { formula: string; value: number; label: string } | null;
  estimateNote: string | null;
  place: Region | null;
  /** A cited local figure for the place asked about; null unless the table holds one. */
  localFigure: { place: string; amountYuanPerMonth?: number; percent?: number; effective: string | null; text: string; basis: Basis[] } | null;
  draftNote: string;
  advice: string;
  basis: Basis[];
}

export interface RetireeCreditDeps {
  table: RetireeCreditTable;
  regions?: RegionLookup;
}

const yuan = (n: number) => {
  const cents = Math.round(n * 100);
  return cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
};

/**
 * The monthly credit into retirees' personal accounts: the national rule of 国办发〔2021〕14号, an
 * estimate of the national benchmark from the user's own average-pension figure, and a local
 * figure only where a cited local source gives one.
 *
 * @example retireeCredit({ averagePension: 3000 }, deps).estimate?.formula // '3000 × 2% ≈ 60'
 */
export function retireeCredit(input: RetireeCreditInput, deps: RetireeCreditDeps): RetireeCreditResult {
  const { table } = deps;
  let place: Region | null = null;
  if (input.city !== undefined) {
    if (!deps.regions) throw new Error('retiree-credit: a city was given but no region lookup is configured');
    place = requireRegion(deps.regions, input.city);
  }
  const at = place;
  const figure = at
    ? table.localFigures.find((f) => f.regions.some((code) => code === at.code || code === at.poolingArea?.code)) ?? null
    : null;

  let estimate: RetireeCreditResult['estimate'] = null;
  if (input.averagePension !== undefined) {
    const value = Math.round(input.averagePension * table.rule.percent) / 100;
    const formula = table.estimate.formulaTemplate
      .replace('{averagePension}', yuan(input.averagePension))
      .replace('{percent}', String(table.rule.percent))
      .replace('{value}', yuan(value));
    estimate = { formula, value, label: table.estimate.label };
  }

  const advice = [at && !figure ? table.noLocalFigure.replace('{place}', at.name) : '', table.advice].join('');
  return {
    rule: table.rule.text,
    percent: table.rule.percent,
    percentWording: table.rule.percentWording,
    wordingNote: table.rule.wordingNote,
    scope: table.rule.scope,
    verification: table.rule.verification,
    confidence: confidenceOf(table.rule.verification),
    estimate,
    estimateNote: estimate ? null : table.estimate.missingNote,
    place,
    localFigure: figure
      ? {
          place: figure.place,
          ...(figure.amountYuanPerMonth === undefined ? {} : { amountYuanPerMonth: figure.amountYuanPerMonth }),
          ...(figure.percent === undefined ? {} : { percent: figure.percent }),
          effective: figure.effective,
          text: figure.text,
          basis: figure.basis,
        }
      : null,
    draftNote: table.draftNote.text,
    advice,
    basis: mergeBasis(table.rule.basis, table.draftNote.basis, figure?.basis ?? []),
  };
}

/** The `retiree_credit` tool; the table is read once when the tool is created. */
export function createRetireeCreditTool(deps: { regions: RegionLookup; table?: RetireeCreditTable }) {
  const resolved: RetireeCreditDeps = { regions: deps.regions, table: deps.table ?? loadRetireeCredit() };
  return defineTool({
    name: 'retiree_credit',
    route: 'retiree-credit',
    description:
      '退休人员职工医保个人账户每月划入多少：说明国办发〔2021〕14号的国家规则（统筹基金定额划入，约为当地改革当年平均基本养老金的2%），用户给出平均养老金时按国家基准估算；只有在有当地正式来源时才给出城市金额。',
    input: retireeCreditInputSchema,
    run: (input) => retireeCredit(input, resolved),
  });
}
