import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { loadEntries } from '../../src/knowledge/load.js';
import type { KnowledgeEntry } from '../../src/knowledge/schema.js';
import { createRetriever, type Retriever, type SearchHit } from '../../src/retrieval/hybrid.js';
import { loadRegionResolver } from '../../src/tools/region/load-regions.js';

/**
 * Retrieval evaluation: labelled queries → recall@1, recall@5 and MRR for BM25 alone, vectors
 * alone and the fused, region-aware ranking. A query counts as found at k when any entry in its
 * `relevant` list is in the top k (each listed entry answers the query on its own); MRR uses the
 * rank of the first relevant entry (0 when none is in the top 10).
 */

export const GATE = { fusedRecallAt5: 0.95, fusedRecallAt1: 0.8 } as const;
const MRR_DEPTH = 10;

const placeSchema = z.object({ provinceCode: z.string().regex(/^\d{6}$/), cityCode: z.string().regex(/^\d{6}$/).optional() }).strict();
export const labelledQuerySchema = z
  .object({ q: z.string().min(1), relevant: z.array(z.string().min(1)).min(1), region: placeSchema.optional() })
  .strict();
export type LabelledQuery = z.infer<typeof labelledQuerySchema>;
const queryFileSchema = z.object({ queries: z.array(labelledQuerySchema).min(1) }).strict();

export const queriesPath = join(dirname(fileURLToPath(import.meta.url)), 'queries.yaml');

export function loadLabelledQueries(path = queriesPath): LabelledQuery[] {
  const parsed = queryFileSchema.safeParse(parseYaml(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.queries;
}

export type Mode = 'bm25' | 'vector' | 'fused';
export const MODES: readonly Mode[] = ['bm25', 'vector', 'fused'];

export interface ModeMetrics {
  recallAt1: number;
  recallAt5: number;
  mrr: number;
}

export interface Miss {
  mode: Mode;
  query: string;
  expected: string[];
  got: string[];
  /** 1-based rank of the first relevant entry in the top 10, or null. */
  rank: number | null;
}

export interface RetrievalReport {
  entries: number;
  queries: number;
  /** Queries left out because none of their labelled ids exists in the knowledge base. */
  skipped: LabelledQuery[];
  /** Labelled ids that do not exist (the label is ignored; a reviewer should fix it). */
  unknownIds: string[];
  metrics: Record<Mode, ModeMetrics>;
  /** Queries whose relevant entries are not in the top 5. */
  misses: Miss[];
  /** Queries found in the top 5 but not first (fused only). */
  notFirst: Miss[];
  passed: boolean;
}

function run(retriever: Retriever, mode: Mode, q: LabelledQuery): SearchHit[] {
  if (mode === 'bm25') return retriever.searchBm25(q.q, MRR_DEPTH);
  if (mode === 'vector') return retriever.searchVector(q.q, MRR_DEPTH);
  return retriever.search(q.q, { k: MRR_DEPTH, region: q.region ?? null });
}

/** Scores every labelled query against a retriever. */
export function evaluate(retriever: Retriever, entries: readonly KnowledgeEntry[], queries: readonly LabelledQuery[]): RetrievalReport {
  const known = new Set(entries.map((e) => e.id));
  const unknownIds = new Set<string>();
  const usable: LabelledQuery[] = [];
  const skipped: LabelledQuery[] = [];
  for (const q of queries) {
    q.relevant.filter((id) => !known.has(id)).forEach((id) => unknownIds.add(id));
    const relevant = q.relevant.filter((id) => known.has(id));
    if (relevant.length === 0) skipped.push(q);
    else usable.push({ ...q, relevant });
  }

  const metrics = {} as Record<Mode, ModeMetrics>;
  const misses: Miss[] = [];
  const notFirst: Miss[] = [];
  for (const mode of MODES) {
    let at1 = 0;
    let at5 = 0;
    let rr = 0;
    for (const q of usable) {
      const got = run(retriever, mode, q).map((h) => h.entry.id);
      const relevant = new Set(q.relevant);
      const index = got.findIndex((id) => relevant.has(id));
      const rank = index < 0 ? null : index + 1;
      if (rank === 1) at1++;
      if (rank !== null && rank <= 5) at5++;
      if (rank !== null) rr += 1 / rank;
      const miss = { mode, query: q.q, expected: q.relevant, got: got.slice(0, 5), rank };
      if (rank === null || rank > 5) misses.push(miss);
      else if (mode === 'fused' && rank > 1) notFirst.push(miss);
    }
    const n = usable.length || 1;
    metrics[mode] = { recallAt1: at1 / n, recallAt5: at5 / n, mrr: rr / n };
  }
  const fused = metrics.fused;
  return {
    entries: entries.length,
    queries: usable.length,
    skipped,
    unknownIds: [...unknownIds].sort(),
    metrics,
    misses,
    notFirst,
    passed: usable.length > 0 && fused.recallAt5 >= GATE.fusedRecallAt5 && fused.recallAt1 >= GATE.fusedRecallAt1,
  };
}

/** Loads the knowledge base, the region resolver and the labelled queries, and evaluates. */
export async function evaluateRetrieval(): Promise<RetrievalReport> {
  const entries = loadEntries();
  const retriever = await createRetriever({ entries, regions: loadRegionResolver() });
  return evaluate(retriever, entries, loadLabelledQueries());
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The report as printed by `npm run eval:retrieval`. */
export function formatReport(report: RetrievalReport): string {
  const lines: string[] = [];
  lines.push(`retrieval eval: ${report.queries} queries over ${report.entries} entries`);
  lines.push('mode     recall@1  recall@5  MRR');
  for (const mode of MODES) {
    const m = report.metrics[mode];
    lines.push(`${mode.padEnd(8)} ${pct(m.recallAt1).padStart(8)}  ${pct(m.recallAt5).padStart(8)}  ${m.mrr.toFixed(3)}`);
  }
  if (report.unknownIds.length) lines.push(`labelled ids not in the knowledge base (ignored): ${report.unknownIds.join(', ')}`);
  if (report.skipped.length) lines.push(`skipped (no labelled entry exists): ${report.skipped.map((q) => q.q).join(' | ')}`);
  for (const mode of MODES) {
    const misses = report.misses.filter((m) => m.mode === mode);
    lines.push(`\nmisses@5 (${mode}): ${misses.length}`);
    for (const m of misses) lines.push(`  ${m.query} → expected ${m.expected.join(', ')} → got ${m.got.join(', ')}${m.rank ? ` (first relevant at ${m.rank})` : ''}`);
  }
  lines.push(`\nfused, relevant in top 5 but not first: ${report.notFirst.length}`);
  for (const m of report.notFirst) lines.push(`  ${m.query} → expected ${m.expected.join(', ')} → got ${m.got.join(', ')} (first relevant at ${m.rank})`);
  lines.push(
    `\ngate: fused recall@5 ≥ ${GATE.fusedRecallAt5}, recall@1 ≥ ${GATE.fusedRecallAt1} → ${report.passed ? 'PASS' : 'FAIL'}`,
  );
  return lines.join('\n');
}
