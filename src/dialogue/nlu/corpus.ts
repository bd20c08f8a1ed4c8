import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { KnowledgeError, validateOrThrow } from '../../knowledge/load.js';
import { knowledgeDir, projectRoot } from '../../paths.js';

/**
 * What a message mostly asks or does — the classes the intent classifier learns from the labelled
 * corpus in knowledge/dialogue/nlu/ (one file per label). Finer than the HTTP contract's intents:
 * each journey file names the labels that start it and the contract intent it reports.
 */
export const labels = [
  'transfer',
  'timeline',
  'progress',
  'working_days',
  'arrears',
  'retirement_years',
  'payout',
  'retiree_credit',
  'retiree_filing',
  'materials',
  'where_to_apply',
  'hotline',
  'legal_basis',
  'smalltalk',
  'out_of_scope',
  'inform',
] as const;
export type Label = (typeof labels)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const scheme = z.enum(['employee', 'resident', 'flexible']);

/** The facts one example states, as the situation extractor should find them. */
export const annotatedSlotsSchema = z
  .object({
    from: z.string().min(1),
    to: z.string().min(1),
    places: z.array(z.string().min(1)),
    fromScheme: scheme,
    toScheme: scheme,
    retired: z.boolean(),
    person: z.enum(['parent', 'child', 'spouse', 'other']),
    died: z.literal(true),
    newborn: z.literal(true),
    emigrated: z.literal(true),
    acceptedDate: isoDate,
    infoSheetReceivedDate: isoDate,
    startDate: isoDate,
    checkDate: isoDate,
    byDate: isoDate,
    endDate: isoDate,
    workingDays: z.number(),
    dateVague: z.literal(true),
    gapMonths: z.number(),
    base: z.number(),
    employerRate: z.number(),
    individualRate: z.number(),
    ratePercent: z.number(),
    continuousYears: z.number(),
    yearsRepaid: z.number(),
    enrolledAtDestination: z.boolean(),
    stoppedAtOrigin: z.boolean(),
    aroundTransfer: z.literal(true),
  })
  .partial()
  .strict();
export type AnnotatedSlots = z.infer<typeof annotatedSlotsSchema>;
export type AnnotatedSlotName = keyof AnnotatedSlots;

const exampleSchema = z.object({
  text: z.string().min(1).max(400),
  slots: annotatedSlotsSchema.optional(),
  also: z.enum(labels).optional(),
});

const corpusFileSchema = z.object({
  label: z.enum(labels),
  /** The day the examples are said on; their relative dates are resolved against it. */
  today: isoDate,
  examples: z.array(exampleSchema).min(1),
});

export interface CorpusExample {
  text: string;
  label: Label;
  also?: Label;
  slots: AnnotatedSlots;
  today: string;
  file: string;
}

export const defaultCorpusDir = join(knowledgeDir, 'dialogue', 'nlu');

/**
 * Reads every labelled example (knowledge/dialogue/nlu/<label>.yaml), validated; a bad file stops
 * start-up naming the file and field. A file's label must match its name.
 */
export function loadCorpus(dir = defaultCorpusDir): CorpusExample[] {
  const out: CorpusExample[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const path = join(dir, name);
    const file = relative(projectRoot, path) || path;
    let data: unknown;
    try {
      data = parseYaml(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new KnowledgeError(file, '', `无法读取或解析：${(err as Error).message.split('\n')[0]}`);
    }
    const parsed = validateOrThrow(corpusFileSchema, data, path);
    if (`${parsed.label}.yaml` !== name) throw new KnowledgeError(file, 'label', `标签 ${parsed.label} 与文件名不一致`);
    for (const e of parsed.examples)
      out.push({ text: e.text, label: parsed.label, ...(e.also ? { also: e.also } : {}), slots: e.slots ?? {}, today: parsed.today, file });
  }
  return out;
}
