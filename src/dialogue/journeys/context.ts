import type { ProvincialCoverage } from '../../knowledge/provincial-coverage.js';
import type { KnowledgeEntry, Topic } from '../../knowledge/schema.js';
import type { RegionLookup } from '../../tools/region/types.js';
import type { Label } from '../nlu/corpus.js';
import type { ConversationState, JourneyValues, PersonState } from '../state.js';
import type { ToolErrorTexts } from '../tool-error-text.js';
import type { Reading } from '../understand/read.js';
import type { AnswerPlan } from './plan.js';
import type { Journey, JourneySlotSpec } from './schema.js';
import type { ToolRegistry } from './tool-registry.js';

export interface RetrieveOptions {
  k?: number;
  region?: { provinceCode: string; cityCode?: string } | null;
  topics?: Topic[];
}
export interface RetrievedEntry {
  entry: KnowledgeEntry;
  score: number;
  bm25Rank?: number;
  vectorRank?: number;
}
export type RetrieveFn = (query: string, options?: RetrieveOptions) => RetrievedEntry[];

/** Everything a renderer may use to answer one turn of one journey. */
export interface JourneyContext {
  journey: Journey;
  /** The person the turn is about, and this journey's values for them. */
  person: PersonState;
  values: JourneyValues;
  conversation: ConversationState;
  reading: Reading;
  /** The user's message, personal data masked. */
  message: string;
  /**
   * The question being answered: the message, or — when it only answers the bot's question
   * ("职工医保") — the question before it and this answer together.
   */
  question: string;
  label: Label;
  plan: AnswerPlan;
  tools: ToolRegistry;
  errorTexts: ToolErrorTexts;
  regions: RegionLookup;
  entries: ReadonlyMap<string, KnowledgeEntry>;
  retrieve: RetrieveFn;
  coverage?: ProvincialCoverage;
  today: string;
  /** Set when the runner is about to ask for this slot: the renderer may answer what it can first. */
  missing?: JourneySlotSpec;
}

/** A journey file's entry by role, one id (the first when the role lists several). */
export function entryId(ctx: JourneyContext, role: string): string | undefined {
  const value = ctx.journey.entries[role];
  return Array.isArray(value) ? value[0] : value;
}

/** A journey file's entries by role, as a list. */
export function entryIds(ctx: JourneyContext, role: string): string[] {
  const value = ctx.journey.entries[role];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
