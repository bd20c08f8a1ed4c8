import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { KnowledgeError, validateOrThrow } from '../../knowledge/load.js';
import { knowledgeDir, projectRoot } from '../../paths.js';
import { labels } from '../nlu/corpus.js';
import { intents } from '../types.js';

/** Names of the deterministic tools a journey may call (the typed registry's keys). */
export const toolNames = ['working_days', 'transfer_timeline', 'transfer_eligibility', 'arrears', 'payout', 'retiree_credit', 'resolve_region'] as const;
export type ToolName = (typeof toolNames)[number];

/** Facts about the person the conversation is about, shared by every journey. */
export const personSlots = [
  'from',
  'to',
  'fromScheme',
  'toScheme',
  'retired',
  'died',
  'newborn',
  'emigrated',
  'enrolledAtDestination',
  'stoppedAtOrigin',
] as const;
export type PersonSlot = (typeof personSlots)[number];

/** Values that belong to one journey (kept in that journey's namespace of the session). */
export const journeySlots = [
  'acceptedDate',
  'infoSheetReceivedDate',
  'checkDate',
  'byDate',
  'startDate',
  'endDate',
  'month',
  'workingDays',
  'gapMonths',
  'base',
  'employerRate',
  'individualRate',
  'ratePercent',
  'continuousYears',
  'yearsRepaid',
  'aroundTransfer',
  'enrolledOutsidePeriod',
  'payoutSituation',
  'averagePension',
] as const;
export type JourneySlot = (typeof journeySlots)[number];
export type SlotName = PersonSlot | JourneySlot;
export const slotNames = [...personSlots, ...journeySlots] as const;

const text = z.string().min(2);

const conditionSchema = z.partialRecord(z.enum(slotNames), z.union([z.boolean(), z.string(), z.number()]));

/** Facts that hold: the `when` slots have these values and the `known` slots have some value. */
const gateFields = {
  when: conditionSchema.optional(),
  known: z.array(z.enum(slotNames)).min(1).optional(),
};
const hasGate = (g: { when?: unknown; known?: unknown }) => g.when !== undefined || g.known !== undefined;
const gateSchema = z.object(gateFields).strict().refine(hasGate, '条件至少要有 when 或 known');
export type Gate = z.output<typeof gateSchema>;

const deriveSchema = z
  .object({ ...gateFields, value: z.union([z.string(), z.number(), z.boolean()]) })
  .strict()
  .refine(hasGate, '推导规则至少要有 when 或 known');

const slotSchema = z.object({
  name: z.enum(slotNames),
  /**
   * required: asked before the journey answers; helpful: the journey answers without it and then
   * asks; optional: used when given, never asked.
   */
  need: z.enum(['required', 'helpful', 'optional']),
  /** The question, in the user's terms. */
  ask: text.optional(),
  /** Quick replies offered with the question. */
  chips: z.array(z.string().min(1).max(30)).default([]),
  /**
   * Not asked (and not required) when these facts hold: slot values (`{ retired: true }`), or
   * `{ when, known }` as for derive (`{ known: [toScheme] }`: the other end's scheme will do).
   */
  skipWhen: z.union([gateSchema, conditionSchema.transform((when): Gate => ({ when }))]).optional(),
  /**
   * The value worked out from other facts, first match wins (e.g. died → the death payout): `when`
   * slots have these values, `known` slots have any value (a base with a rate → 职工医保).
   */
  derive: z.array(deriveSchema).default([]),
  /** The value belongs to the question it was said with ("5月19号之前能好吗"): forgotten after the turn. */
  once: z.boolean().default(false),
  /** A question for a value the tool cannot take, by that value (灵活就业: 职工还是居民?). */
  reask: z.record(z.string(), text).default({}),
});
export type JourneySlotSpec = z.output<typeof slotSchema>;

/**
 * How the tool's input is built from slots: the first alternative whose `when` slots are all known
 * (and, with `whenDiffer`, whose two slots differ). Each field is a term: a slot name, `a|b` (the
 * first one known), `a+b` (their sum), `a/12` (whole twelfths), or a literal `=value`. A place
 * slot gives the place's name.
 */
const inputSchema = z.object({
  when: z.array(z.enum(slotNames)).default([]),
  whenDiffer: z.tuple([z.enum(slotNames), z.enum(slotNames)]).optional(),
  input: z.record(z.string(), z.string().regex(/^(=.+|[a-zA-Z]+(\/12|\+[a-zA-Z]+)?(\|[a-zA-Z]+(\/12|\+[a-zA-Z]+)?)*)$/, '输入项须为槽位名、a|b、a+b、a/12 或 =字面值')),
});

export const journeySchema = z
  .object({
    id: z.string().regex(/^[a-z_]+$/),
    /** The contract intent reported for turns of this journey. */
    intent: z.enum(intents),
    /** Classifier labels that start it. */
    labels: z.array(z.enum(labels)).min(1),
    slots: z.array(slotSchema).default([]),
    tool: z.enum(toolNames).optional(),
    inputs: z.array(inputSchema).default([]),
    /** The renderer that turns the tool's output (or, without a tool, the entries) into an answer. */
    render: z.string().regex(/^[a-z_]+$/),
    /** Knowledge entries the answer states or cites, by role (for knowledge renderers). */
    entries: z.record(z.string(), z.union([z.string().min(3), z.array(z.string().min(3))])).default({}),
    /** The answer's own wording, by role, with {placeholders} the renderer fills (figures only from tools). */
    texts: z.record(z.string(), text).default({}),
    /**
     * Narrower questions inside the journey, by the words that ask them (words joined by "+" must all
     * appear in that order; see focus-words.ts) ("那几年还算吗" → the years
     * count; "会自动转吗" → it must be applied for): the renderer answers with the text (by key) or
     * the entry first. First match wins. `withAnswer`: the journey's own answer follows as a point
     * (the law asked for, then the measures that apply it).
     */
    focus: z
      .array(z.object({ name: z.string().regex(/^[a-z_]+$/), words: z.array(z.string().min(1)).min(1), entry: z.string().min(3).optional(), withAnswer: z.boolean().default(false) }))
      .default([]),
    /** Short replies chosen by the words of the message, first match wins (small talk). */
    replies: z.array(z.object({ words: z.array(z.string().min(1)).min(1), text })).default([]),
    /** Each question states its own values: a message that gives some drops the journey's older ones. */
    replaceValues: z.boolean().default(false),
    /** The slot a date with no cue word fills in this journey ("4月28号" in a timeline question). */
    date: z.enum(slotNames).optional(),
    /**
     * Another journey answers for a person whose facts match (a retiree asking where to apply is
     * asking about 备案; materials for someone who died are the payout's), first match wins.
     */
    redirects: z.array(z.object({ when: conditionSchema, to: z.string().regex(/^[a-z_]+$/) })).default([]),
    /** Quick replies after an answer. */
    chips: z.array(z.string().min(2).max(30)).default([]),
  })
  .strict()
  .superRefine((j, ctx) => {
    if (j.inputs.length > 0 && !j.tool) ctx.addIssue({ code: 'custom', message: '有 inputs 的旅程必须指定 tool', path: ['inputs'] });
    for (const [i, s] of j.slots.entries())
      if (s.need !== 'optional' && !s.ask) ctx.addIssue({ code: 'custom', message: '需要询问的槽位必须有 ask 问句', path: ['slots', i, 'ask'] });
  });
export type Journey = z.output<typeof journeySchema>;

export const defaultJourneysDir = join(knowledgeDir, 'dialogue', 'journeys');

/**
 * Reads every journey file (knowledge/dialogue/journeys/<id>.yaml), validated; a bad file stops
 * start-up naming the file and field. Each classifier label may start at most one journey, and a
 * journey's id must match its file name.
 */
export function loadJourneys(dir = defaultJourneysDir): Journey[] {
  const journeys: Journey[] = [];
  const owner = new Map<string, string>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const path = join(dir, name);
    const file = relative(projectRoot, path) || path;
    let data: unknown;
    try {
      data = parseYaml(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new KnowledgeError(file, '', `无法读取或解析：${(err as Error).message.split('\n')[0]}`);
    }
    const journey = validateOrThrow(journeySchema, data, path);
    if (`${journey.id}.yaml` !== name) throw new KnowledgeError(file, 'id', `旅程 id ${journey.id} 与文件名不一致`);
    for (const label of journey.labels) {
      const other = owner.get(label);
      if (other) throw new KnowledgeError(file, 'labels', `标签 ${label} 已由旅程 ${other} 使用`);
      owner.set(label, journey.id);
    }
    journeys.push(journey);
  }
  return journeys;
}
