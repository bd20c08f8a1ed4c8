import { citationOf } from '../knowledge/citation.js';
import type { KnowledgeEntry } from '../knowledge/schema.js';
import { extractFigures } from './figure-guard.js';
import type { Citation, Figure, ToolCallRecord } from './response.js';
import type { SlotName } from './types.js';

interface Line {
  text: string;
  /** Provenance of the figures in this line: `tool:<name>` or `kb:<id>`. */
  source?: string;
}

/** Every figure of the given lines as written with its unit ("10个工作日") and the line's declared source. */
export function figuresOf(lines: readonly Line[]): Figure[] {
  const figures: Figure[] = [];
  for (const line of lines) {
    for (const f of extractFigures(line.text)) {
      const text = f.raw.trim();
      const source = line.source ?? 'user';
      if (!figures.some((x) => x.text === text && x.source === source)) figures.push({ text, source });
    }
  }
  return figures;
}

/** Builds one reply: its lines, the entries it cites, the tools it called and what it asks for. */
export class AnswerBuilder {
  private readonly lines: Line[] = [];
  private readonly cited = new Map<string, KnowledgeEntry>();
  readonly toolCalls: ToolCallRecord[] = [];
  readonly needs: SlotName[] = [];
  private readonly suggestions: string[] = [];

  /** `today` (YYYY-MM-DD) decides whether a cited measure's term has ended. */
  constructor(
    private readonly entries: ReadonlyMap<string, KnowledgeEntry>,
    private readonly today: string,
  ) {}

  /** A line of our own wording; `source` names where its figures come from. */
  say(text: string, source?: string): this {
    // The same sentence can come from two places (a tool note and an entry); say it once.
    if (text.trim() && !this.lines.some((l) => l.text === text || l.text.endsWith(text.trim())))
      this.lines.push(source === undefined ? { text } : { text, source });
    return this;
  }

  /** States an entry's fact in its own words (its first paragraph) and cites it. */
  fact(id: string, prefix = ''): this {
    const entry = this.entry(id);
    this.cite(entry.id);
    return this.say(`${prefix}${entry.summary}`, `kb:${entry.id}`);
  }

  /** Cites an entry whose content a line above relies on. */
  cite(id: string): this {
    const entry = this.entry(id);
    this.cited.set(entry.id, entry);
    return this;
  }

  hasCited(id: string): boolean {
    return this.cited.has(id);
  }

  /** Whether a line already said this text (a hotline number, a document number …). */
  hasSaid(text: string): boolean {
    return text !== '' && this.lines.some((l) => l.text.includes(text));
  }

  tool(name: string, input: unknown, output: unknown): this {
    this.toolCalls.push({ name, input, output });
    return this;
  }

  ask(slot: SlotName, question: string): this {
    if (!this.needs.includes(slot)) this.needs.push(slot);
    return this.say(question);
  }

  suggest(...chips: string[]): this {
    for (const chip of chips) if (chip && !this.suggestions.includes(chip)) this.suggestions.push(chip);
    return this;
  }

  get isEmpty(): boolean {
    return this.lines.length === 0;
  }

  citedEntries(): KnowledgeEntry[] {
    return [...this.cited.values()];
  }

  entry(id: string): KnowledgeEntry {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`知识条目 ${id} 不存在`);
    return entry;
  }

  build(): { reply: string; citations: Citation[]; figures: Figure[]; toolCalls: ToolCallRecord[]; needs: SlotName[]; suggestions: string[] } {
    const reply = this.lines.map((l) => l.text).join('\n');
    const figures = figuresOf(this.lines);
    const citations: Citation[] = this.citedEntries().map((e) => citationOf(e, this.today));
    return { reply, citations, figures, toolCalls: this.toolCalls, needs: [...this.needs], suggestions: [...this.suggestions] };
  }
}
