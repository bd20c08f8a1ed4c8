import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { KnowledgeError, validateOrThrow } from '../../knowledge/load.js';
import { intents, payoutSituations } from '../types.js';
import { knowledgeDir, projectRoot } from '../../paths.js';

/**
 * Schemas and loader for the dialogue rule files under knowledge/dialogue/. The rules are data
 * (cue words, patterns, weights); the modules beside this one compile and interpret them.
 */

const nonEmpty = z.string().min(1);
const wordList = z.array(nonEmpty);

/** A regular expression given as a string; checked at load so a bad pattern stops start-up. */
const regexSource = nonEmpty.refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, '不是有效的正则表达式');

const intentName = z.enum(intents);

export const intentCueSchema = z
  .object({
    words: wordList.min(1).optional(),
    regex: regexSource.optional(),
    all: z.array(wordList.min(1)).min(1).optional(),
    unless: wordList.optional(),
    minPlaces: z.number().int().min(1).optional(),
    weight: z.number().positive(),
  })
  .strict()
  .refine((cue) => cue.words || cue.regex || cue.all || cue.minPlaces, '至少需要 words、regex、all 或 minPlaces 之一');

export const intentRulesSchema = z
  .object({
    scoring: z
      .object({
        halfScore: z.number().positive(),
        strongScore: z.number().positive(),
        answerMaxLength: z.number().int().positive(),
        continuationConfidence: z.number().min(0).max(1),
        continuationConfidenceWeak: z.number().min(0).max(1),
        fallbackConfidence: z.number().min(0).max(1),
        caps: z.partialRecord(intentName, z.number().positive()).default({}),
      })
      .strict(),
    priority: z
      .array(intentName)
      .refine((list) => new Set(list).size === intents.length && list.length === intents.length, '须恰好列出每个意图一次'),
    intents: z.partialRecord(intentName, z.array(intentCueSchema).min(1)),
  })
  .strict();

export const normalizeRulesSchema = z
  .object({
    replacements: z.record(nonEmpty, z.string()),
    numeralUnits: wordList.min(1),
    keepWords: wordList,
  })
  .strict();

export const placeRulesSchema = z
  .object({
    before: z.object({ from: wordList, to: wordList }).strict(),
    after: z.object({ from: wordList }).strict(),
    weakFromBefore: wordList,
    pairWindow: z.number().int().min(0),
  })
  .strict();

export const correctionRulesSchema = z
  .object({
    atStart: wordList.min(1),
    anywhere: wordList,
    leadingFiller: wordList,
    negations: wordList.min(1),
    notNegations: wordList,
    negationWindow: z.number().int().min(0),
  })
  .strict();

export const answerRulesSchema = z
  .object({
    yes: wordList.min(1),
    no: wordList.min(1),
    neither: wordList,
    particles: wordList,
    questionMarkers: wordList,
    maxLength: z.number().int().positive(),
  })
  .strict();

export const injectionRulesSchema = z
  .object({
    words: wordList.min(1),
    patterns: z.array(regexSource),
  })
  .strict();

const booleanRuleSchema = z
  .object({
    value: z.boolean(),
    words: wordList.optional(),
    patterns: z.array(regexSource).optional(),
  })
  .strict()
  .refine((rule) => rule.words?.length || rule.patterns?.length, '需要 words 或 patterns');

const insuranceType = z.enum(['employee', 'resident']);
const payoutSituation = z.enum(payoutSituations);

const numberCues = z
  .object({
    before: wordList.optional(),
    after: wordList.optional(),
    monthsOnlyBefore: wordList.optional(),
    percentOnlyBefore: wordList.optional(),
  })
  .strict();

export const slotRulesSchema = z
  .object({
    insuranceTypes: z
      .object({
        employee: wordList.min(1),
        resident: wordList.min(1),
        switchCues: wordList.min(1),
        negations: wordList,
        ignore: wordList,
      })
      .strict(),
    switchSituations: z.array(z.object({ from: insuranceType, to: insuranceType, situation: payoutSituation }).strict()),
    booleans: z
      .object({
        retired: z.array(booleanRuleSchema),
        enrolledAtDestination: z.array(booleanRuleSchema),
        stoppedAtOrigin: z.array(booleanRuleSchema),
        newborn: z.array(booleanRuleSchema),
        aroundTransfer: z.array(booleanRuleSchema),
        enrolledOutsidePeriod: z.array(booleanRuleSchema).default([]),
      })
      .strict(),
    payoutSituations: z.array(
      z
        .object({ value: payoutSituation, words: wordList.optional(), patterns: z.array(regexSource).optional() })
        .strict()
        .refine((rule) => rule.words?.length || rule.patterns?.length, '需要 words 或 patterns'),
    ),
    numbers: z
      .object({
        gap: z.number().int().min(0),
        gapMonths: numberCues,
        base: numberCues,
        ratePercent: numberCues,
        yearsRepaid: numberCues,
        continuousYearsBefore: numberCues.default({}),
        averagePension: numberCues,
        workingDays: numberCues,
      })
      .strict(),
  })
  .strict();

export const dateRulesSchema = z
  .object({
    relativeDays: z.record(nonEmpty, z.number().int()),
    relativeYears: z.record(nonEmpty, z.number().int()),
    relativeMonths: z.record(nonEmpty, z.number().int()),
    relativeWeeks: z.record(nonEmpty, z.number().int()),
    weekdays: z.record(nonEmpty, z.number().int().min(0).max(6)),
    kinds: z
      .object({
        infoSheetReceivedDate: wordList,
        acceptedDate: wordList,
        questioned: wordList,
        confirmed: wordList,
        check: wordList,
        start: wordList,
      })
      .strict(),
    tense: z.object({ future: wordList, past: wordList }).strict(),
    vague: wordList,
    cueWindow: z.number().int().min(1),
  })
  .strict();

export type IntentCue = z.output<typeof intentCueSchema>;
export type IntentRules = z.output<typeof intentRulesSchema>;
export type NormalizeRules = z.output<typeof normalizeRulesSchema>;
export type PlaceRules = z.output<typeof placeRulesSchema>;
export type CorrectionRules = z.output<typeof correctionRulesSchema>;
export type AnswerRules = z.output<typeof answerRulesSchema>;
export type InjectionRules = z.output<typeof injectionRulesSchema>;
export type SlotRules = z.output<typeof slotRulesSchema>;
export type DateRules = z.output<typeof dateRulesSchema>;

/** Every dialogue rule file, validated. */
export interface DialogueRules {
  normalize: NormalizeRules;
  intents: IntentRules;
  places: PlaceRules;
  corrections: CorrectionRules;
  answers: AnswerRules;
  injection: InjectionRules;
  slots: SlotRules;
  dates: DateRules;
}

export const defaultDialogueDir = join(knowledgeDir, 'dialogue');

function readYaml<S extends z.ZodType>(dir: string, name: string, schema: S): z.output<S> {
  const path = join(dir, `${name}.yaml`);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(relative(projectRoot, path) || path, '', `无法读取或解析：${(err as Error).message.split('\n')[0]}`);
  }
  return validateOrThrow(schema, data, path);
}

/**
 * Reads and validates every rule file in knowledge/dialogue (once, at start-up).
 * Throws KnowledgeError naming the file and field on the first problem.
 */
export function loadDialogueRules(dir = defaultDialogueDir): DialogueRules {
  return {
    normalize: readYaml(dir, 'normalize', normalizeRulesSchema),
    intents: readYaml(dir, 'intents', intentRulesSchema),
    places: readYaml(dir, 'places', placeRulesSchema),
    corrections: readYaml(dir, 'corrections', correctionRulesSchema),
    answers: readYaml(dir, 'answers', answerRulesSchema),
    injection: readYaml(dir, 'injection', injectionRulesSchema),
    slots: readYaml(dir, 'slots', slotRulesSchema),
    dates: readYaml(dir, 'dates', dateRulesSchema),
  };
}
