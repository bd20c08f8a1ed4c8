import type { KnowledgeEntry } from '../../knowledge/schema.js';
import { figuresOf, type Line } from '../figures.js';
import type { Figure, ToolCallRecord } from '../response.js';

export type { Line } from '../figures.js';

/**
 * The shape of every answer, whatever the journey (the clerk at the window): the first sentence
 * answers the exact question; then at most three points the person needs now; then, only when
 * the answer depends on local rules or is uncertain, where to confirm. Everything else — legal
 * basis, history, corrections, other places' practice — goes to the details, shown on request.
 */
export class AnswerPlan {
  private headline: Line | undefined;
  private readonly assumed: string[] = [];
  private readonly points: Line[] = [];
  private question: Line | undefined;
  private questionNeed: string | undefined;
  private confirmLine: Line | undefined;
  private confirmPinned = false;
  private readonly detailLines: Line[] = [];
  private readonly citedInReply = new Map<string, KnowledgeEntry>();
  private readonly citedInDetails = new Map<string, KnowledgeEntry>();
  readonly toolCalls: ToolCallRecord[] = [];
  readonly needs: string[] = [];
  private readonly chips: string[] = [];
  /** Sentences already said (in reply or details): nothing is stated twice. */
  private readonly said = new Set<string>();

  constructor(private readonly entries: ReadonlyMap<string, KnowledgeEntry>) {}

  static readonly MAX_POINTS = 3;

  /** The first sentence: the answer to the exact question. Replaces an earlier one, unless pinned. */
  answer(text: string, source?: string): this {
    if (this.headlinePinned) return this.point(text, source);
    this.headline = line(text, source);
    this.said.add(norm(text));
    return this;
  }

  /** A first sentence nothing replaces (what the assistant will not do); later answers become points. */
  pinAnswer(text: string, source?: string): this {
    this.answer(text, source);
    this.headlinePinned = true;
    return this;
  }
  private headlinePinned = false;

  /** What the answer took from the person's words ("上个月20号"按2026年10月20日算), said with the answer. */
  assume(text: string): this {
    if (text && !this.assumed.includes(text)) this.assumed.push(text);
    return this;
  }

  /** Whether the first sentence or a point already says these words (a document number, say). */
  says(words: string): boolean {
    return [this.headline, ...this.points].some((l) => l !== undefined && l.text.includes(words));
  }

  get hasAnswer(): boolean {
    return this.headline !== undefined;
  }

  /** A point the person needs now; beyond three, or already said, it goes to the details. */
  point(text: string, source?: string): this {
    if (!text.trim() || this.said.has(norm(text))) return this;
    this.said.add(norm(text));
    if (this.points.length < AnswerPlan.MAX_POINTS) this.points.push(line(text, source));
    else this.detailLines.push(line(text, source));
    return this;
  }

  /**
   * A point that rests on entries: they are cited with the reply when the point is in it, with the
   * details when it went there (three points said already).
   */
  pointCiting(text: string, source: string | undefined, ids: ReadonlyArray<string | undefined>): this {
    const before = this.points.length;
    this.point(text, source);
    const inReply = this.points.length > before;
    for (const id of ids) {
      if (id && inReply) this.cite(id);
      else if (id) this.citeInDetails(id);
    }
    return this;
  }

  /** A point stated from an entry's snippet (its first paragraph), citing it. */
  pointFrom(id: string, prefix = ''): this {
    const entry = this.entry(id);
    if (this.citedInReply.has(id) && this.said.has(norm(`${prefix}${entry.summary}`))) return this;
    const before = this.points.length;
    this.point(`${prefix}${entry.summary}`, `kb:${id}`);
    if (this.points.length > before) this.citedInReply.set(id, entry);
    else this.citedInDetails.set(id, entry);
    return this;
  }

  /**
   * Where to confirm, for an answer that depends on local rules or is uncertain. One line only: the
   * first said wins (the province's own "not verified" line before a general one).
   */
  confirm(text: string, source?: string): this {
    if (!this.confirmPinned) this.confirmLine ??= line(text, source);
    return this;
  }

  /** The one where-to-confirm line whatever else is said (the province's own rule was not verified). */
  confirmInstead(text: string, source?: string): this {
    this.confirmLine = line(text, source);
    this.confirmPinned = true;
    return this;
  }

  /** Something the person may read on request (basis, history, other places' practice). */
  detail(text: string, source?: string): this {
    if (!text.trim() || this.said.has(norm(text))) return this;
    this.said.add(norm(text));
    this.detailLines.push(line(text, source));
    return this;
  }

  /** A detail stated from an entry's snippet, cited with the details. */
  detailFrom(id: string, prefix = ''): this {
    const entry = this.entry(id);
    if (this.citedInReply.has(id)) return this;
    this.detail(`${prefix}${entry.summary}`, `kb:${id}`);
    this.citedInDetails.set(id, entry);
    return this;
  }

  /** Cites an entry the reply's own wording relies on. */
  cite(id: string): this {
    this.citedInReply.set(id, this.entry(id));
    this.citedInDetails.delete(id);
    return this;
  }

  /** Cites an entry only the details rely on. */
  citeInDetails(id: string): this {
    if (!this.citedInReply.has(id)) this.citedInDetails.set(id, this.entry(id));
    return this;
  }

  hasCited(id: string): boolean {
    return this.citedInReply.has(id) || this.citedInDetails.has(id);
  }

  /** Asks for a fact (recorded in `needs` by its public name). */
  ask(need: string, question: string): this {
    if (!this.needs.includes(need)) this.needs.push(need);
    this.question = line(question);
    this.questionNeed = need;
    return this;
  }

  /** Whether the answer is only the question back (nothing answered yet). */
  get onlyAsks(): boolean {
    return this.question !== undefined && (this.headline === undefined || this.headline.text === this.question.text) && this.points.length === 0;
  }

  get asks(): boolean {
    return this.question !== undefined;
  }

  /** The fact the reply's question asks for. */
  get askedFor(): string | undefined {
    return this.questionNeed;
  }

  tool(name: string, input: unknown, output: unknown): this {
    this.toolCalls.push({ name, input, output });
    return this;
  }

  suggest(...chips: string[]): this {
    for (const chip of chips) if (chip && !this.chips.includes(chip)) this.chips.push(chip);
    return this;
  }

  /**
   * Adds a second question's answer after this one: its first sentence becomes a point, what it
   * asks stays a question (when this answer asks nothing), its citations and tool calls join.
   */
  appendAnswer(other: AnswerPlan): this {
    if (other.headline) this.point(other.headline.text, other.headline.source);
    for (const p of other.points) this.detail(p.text, p.source);
    for (const d of other.detailLines) this.detail(d.text, d.source);
    if (!this.question && other.question) {
      this.question = other.question;
      this.questionNeed = other.questionNeed;
      for (const need of other.needs) if (!this.needs.includes(need)) this.needs.push(need);
    }
    if (!this.confirmLine && other.confirmLine) this.confirmLine = other.confirmLine;
    for (const [id, entry] of other.citedInReply) if (!this.citedInReply.has(id)) this.citedInReply.set(id, entry);
    for (const [id, entry] of other.citedInDetails) if (!this.citedInReply.has(id)) this.citedInDetails.set(id, entry);
    this.toolCalls.push(...other.toolCalls);
    this.suggest(...other.chips);
    return this;
  }

  entry(id: string): KnowledgeEntry {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`知识条目 ${id} 不存在`);
    return entry;
  }

  /** The reply's lines in order: answer, points, question, where to confirm. */
  replyLines(): Line[] {
    const assumed = this.assumed.length ? { text: `（${this.assumed.join('；')}）` } : undefined;
    return [this.headline, assumed, ...this.points, this.question, this.confirmLine].filter((l): l is Line => l !== undefined);
  }

  detailsLines(): Line[] {
    return [...this.detailLines];
  }

  citedEntries(): { reply: KnowledgeEntry[]; details: KnowledgeEntry[] } {
    return { reply: [...this.citedInReply.values()], details: [...this.citedInDetails.values()] };
  }

  build(): { reply: string; details: string; figures: Figure[]; suggestions: string[]; needs: string[] } {
    const reply = this.replyLines();
    const details = this.detailsLines();
    return {
      reply: reply.map((l) => l.text).join('\n'),
      details: details.map((l) => l.text).join('\n'),
      figures: figuresOf([...reply, ...details]),
      suggestions: [...this.chips],
      needs: [...this.needs],
    };
  }
}

const norm = (text: string) => text.replace(/\s+/g, '').replace(/[。，、；：！？,.;:!?]$/, '');
const line = (text: string, source?: string): Line => (source === undefined ? { text } : { text, source });
