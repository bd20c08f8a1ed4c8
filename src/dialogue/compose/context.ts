import type { Topic } from '../../knowledge/schema.js';
import type { ProvincialCoverage } from '../../knowledge/provincial-coverage.js';
import type { KnowledgeEntry } from '../../knowledge/schema.js';
import type { RegionLookup, Region } from '../../tools/region/types.js';
import type { AnswerBuilder } from '../answer-builder.js';
import type { AnswerTable } from '../answer-table.js';
import type { ToolRunner } from '../tool-runner.js';
import type { Intent, PlaceMention, SlotName, SlotState, Understanding } from '../types.js';

export interface RetrieveOptions {
  k?: number;
  region?: { provinceCode: string; cityCode?: string } | null;
  topics?: Topic[];
}
export type RetrieveFn = (query: string, options?: RetrieveOptions) => { entry: KnowledgeEntry; score: number; bm25Rank?: number; vectorRank?: number }[];

/** Everything a composer may use to answer one turn. */
export interface ComposeContext {
  answer: AnswerBuilder;
  tools: ToolRunner;
  state: SlotState;
  understanding: Understanding;
  /** The user's message with personal data masked. */
  message: string;
  intent: Intent;
  previousIntent: Intent | undefined;
  answers: AnswerTable;
  /** Which provincial rules were read, per province and topic (see provincial-note.ts). */
  coverage: ProvincialCoverage;
  retrieve: RetrieveFn;
  regions: RegionLookup;
  today: string;
  /** Slots this message changed. */
  changed: SlotName[];
  ambiguous?: PlaceMention & { role: 'from' | 'to' };
}

export type Composer = (ctx: ComposeContext) => void;

/** "2026-05-14" → "2026年5月14日". */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** A name the resolver maps back to exactly this region (for tools that take place names). */
export function nameFor(region: Region, regions: RegionLookup): string {
  const options = [
    region.name,
    `${region.city ?? ''}${region.name}`,
    `${region.province}${region.name}`,
    `${region.province}${region.city ?? ''}${region.name}`,
    region.shortName,
  ];
  for (const name of options) {
    const r = regions.resolve(name);
    if (r.status === 'ok' && r.region.code === region.code) return name;
  }
  return region.name;
}

/** The user's place for region-aware retrieval: destination first, then origin. */
export function userRegion(state: SlotState): { provinceCode: string; cityCode?: string } | null {
  const place = state.to ?? state.from;
  if (!place) return null;
  return { provinceCode: place.provinceCode, ...(place.poolingArea ? { cityCode: place.poolingArea.code } : {}) };
}
