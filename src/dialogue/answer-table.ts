import { z } from 'zod';
import { KnowledgeError, loadTable } from '../knowledge/load.js';
import type { KnowledgeEntry } from '../knowledge/schema.js';
import { topics } from '../knowledge/schema.js';
import { intents } from './types.js';

export const answerTableSchema = z
  .object({
    entries: z.record(z.string(), z.string().min(3)),
    intents: z.partialRecord(z.enum(intents), z.array(z.string().min(3)).min(1)),
    chips: z.record(z.string(), z.array(z.string().min(2).max(30)).min(1)),
    questions: z.record(z.string(), z.string().min(4)).default({}),
    intentTopics: z.partialRecord(z.enum(intents), z.array(z.enum(topics)).min(1)).default({}),
  })
  .strict();

/** Every key the composers use; each must name an existing entry. */
const requiredKeys = [
  'hotline', 'scope', 'transfer_situations', 'preconditions', 'same_area', 'years_cumulate', 'apply_online', 'apply_offline',
  'retiree_outside', 'retiree_filing', 'origin_limit', 'destination_limit', 'credit_no_limit', 'working_days_meaning',
  'covered_years', 'provisional_dates', 'old_procedure', 'gap_up_to_3', 'gap_over_3', 'late_fee', 'amount_formula', 'resident_fixed',
  'gap_years_count', 'no_cash', 'retiree_credit', 'retiree_credit_city', 'resident_floor',
] as const;
const requiredChips = ['journeys', 'insuranceType', 'payoutSituation', 'afterTransfer', 'afterTimeline', 'afterArrears', 'afterPayout', 'afterInfo'] as const;

export type AnswerTable = Omit<z.output<typeof answerTableSchema>, 'entries' | 'chips'> & {
  entries: Record<(typeof requiredKeys)[number], string>;
  chips: Record<(typeof requiredChips)[number], string[]>;
};

/** Loads knowledge/tables/answers.yaml and checks that every entry it names exists. */
export function loadAnswerTable(entries: ReadonlyMap<string, KnowledgeEntry>, dir?: string): AnswerTable {
  const table = loadTable('answers', answerTableSchema, dir);
  const file = 'knowledge/tables/answers.yaml';
  for (const key of requiredKeys) if (!table.entries[key]) throw new KnowledgeError(file, `entries.${key}`, '缺少必需的键');
  for (const key of requiredChips) if (!table.chips[key]) throw new KnowledgeError(file, `chips.${key}`, '缺少必需的快捷回复');
  for (const [key, id] of Object.entries(table.entries))
    if (!entries.has(id)) throw new KnowledgeError(file, `entries.${key}`, `知识条目 ${id} 不存在`);
  for (const [intent, ids] of Object.entries(table.intents))
    ids?.forEach((id, i) => {
      if (!entries.has(id)) throw new KnowledgeError(file, `intents.${intent}[${i}]`, `知识条目 ${id} 不存在`);
    });
  return table as AnswerTable;
}
