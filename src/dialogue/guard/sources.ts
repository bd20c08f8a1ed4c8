import type { KnowledgeEntry } from '../../knowledge/schema.js';
import type { Figure, ToolCallRecord } from '../response.js';
import { extractFigures, holds } from '../figure-guard.js';
import { addText, addToolOutput, emptyProvenance, jsonQuantityKeys, type Provenance } from './provenance.js';
import type { Quantity, QuantityUnit } from './quantities.js';

const SUPERSEDED_UNITS: ReadonlySet<QuantityUnit> = new Set(['working_days', 'days', 'months']);

const entryProvenanceCache = new WeakMap<KnowledgeEntry, Provenance>();
/**
 * Figures of what a citation shows: the entry's title, snippet and source lines (document numbers,
 * articles, dates). Entries never change after loading, so this is computed once.
 */
export function entryProvenance(entry: KnowledgeEntry): Provenance {
  let prov = entryProvenanceCache.get(entry);
  if (!prov) {
    const sourceLines = entry.source.map((s) => [s.title, s.docNumber, s.article, s.date].filter(Boolean).join(' '));
    prov = emptyProvenance();
    // What a source reports as a web claim or an old rule ("有些文章说…45个工作日，那是旧时限"), and
    // the time limits of a superseded procedure, are not today's rule.
    const superseded = (q: Quantity) => q.attributed || (entry.topic === 'history' && SUPERSEDED_UNITS.has(q.unit));
    for (const text of [entry.title, entry.summary]) addText(prov, text, false, {}, superseded);
    for (const line of sourceLines) addText(prov, line, false);
    entryProvenanceCache.set(entry, prov);
  }
  return prov;
}

/**
 * A tool call's figures. A number that the tool only passes through from its input, and that the
 * user typed, is the user's figure: it may be echoed, never stated as a rule.
 */
export function toolProvenance(call: Pick<ToolCallRecord, 'input' | 'output'>, user: Provenance): Provenance {
  const inputs = jsonQuantityKeys(call.input);
  const prov = emptyProvenance();
  addToolOutput(prov, call.output, (key) => inputs.has(key) && user.byKey.has(key));
  return prov;
}

export interface SourcedProvenance {
  source: string;
  prov: Provenance;
}

/** One provenance set per tool call, cited entry and the user's messages, each with its figure source. */
export function sourcedProvenance(toolCalls: readonly ToolCallRecord[], entries: readonly KnowledgeEntry[], user: Provenance): SourcedProvenance[] {
  return [
    ...toolCalls.map((c) => ({ source: `tool:${c.name}`, prov: toolProvenance(c, user) })),
    ...entries.map((e) => ({ source: `kb:${e.id}`, prov: entryProvenance(e) })),
    { source: 'user', prov: user },
  ];
}

/** Names, for each figure, the tool, entry or user message that actually holds it. */
export function resolveFigureSources(figures: Figure[], sourced: readonly SourcedProvenance[]): Figure[] {
  const out: Figure[] = [];
  for (const figure of figures) {
    const tokens = extractFigures(figure.text);
    const backs = (p: SourcedProvenance) => tokens.every((t) => holds(p.prov, t));
    const found = sourced.find((p) => p.source === figure.source && backs(p)) ?? sourced.find(backs);
    const source = found?.source ?? figure.source;
    if (!out.some((x) => x.text === figure.text && x.source === source)) out.push({ text: figure.text, source });
  }
  return out;
}
