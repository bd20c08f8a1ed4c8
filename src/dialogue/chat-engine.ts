import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '../errors.js';
import { citationOf } from '../knowledge/citation.js';
import type { ProvincialCoverage } from '../knowledge/provincial-coverage.js';
import type { KnowledgeEntry } from '../knowledge/schema.js';
import { maskPersonalData } from '../privacy/mask.js';
import type { Tool } from '../tools/tool.js';
import type { RegionLookup } from '../tools/region/types.js';
import { AnswerBuilder, figuresOf } from './answer-builder.js';
import type { AnswerTable } from './answer-table.js';
import { composeFromKnowledge, composers, type ComposeContext, type RetrieveFn } from './compose/index.js';
import { userRegion } from './compose/context.js';
import type { Topic } from '../knowledge/schema.js';
import { checkFigures, userProvenance, userQuantitiesOf, type Provenance } from './figure-guard.js';
import { hasInternalText, internalTextIn } from './guard/internal-text.js';
import { resolveFigureSources, sourcedProvenance } from './guard/sources.js';
import type { ChatResponse, PublicSlots, ToolCallRecord } from './response.js';
import { newSession, setTurnFeedback, type Session, type SessionStore } from './session.js';
import { mergeUnderstanding, publicNeed, publicSlots } from './slots.js';
import { loadToolErrorTexts, type ToolErrorTexts } from './tool-error-text.js';
import { ToolRunner } from './tool-runner.js';
import type { Understander } from './understand/understand.js';
import type { Intent, SlotName, Understanding } from './types.js';

export type { Understander } from './understand/understand.js';

/** Why a model answer was not used for a turn (counted in /metrics). */
export type FallbackReason =
  | 'timeout'
  | 'http_error'
  | 'malformed'
  | 'empty'
  | 'unbacked_figure'
  | 'unknown_citation'
  | 'injection'
  | 'tool_error'
  /** The model was not done within the reply budget of an interactive channel (stream, WeChat). */
  | 'over_budget'
  /** The model's reply held internal text: English, field or tool names, codes. */
  | 'internal_text';

/**
 * The optional model path: given the rules' answer and the entries behind it, words a reply
 * (it may call the same tools). The engine then checks it with the figure guard and the
 * citation check; any failure keeps the rules' answer for the turn.
 */
export interface Rewriter {
  /** Words one answer; `signal` aborts the call when the engine stops waiting. */
  rewrite(input: RewriteInput, options?: { signal?: AbortSignal }): Promise<RewriteResult>;
}
export interface RewriteInput {
  /** The user's message, personal data masked. */
  message: string;
  history: { user: string; reply: string }[];
  /** The deterministic answer for this turn: its facts, citations and tool calls. */
  rules: ChatResponse;
  /** Entries the model may cite, by id: the rules' citations plus other retrieved entries. */
  context: { id: string; title: string; snippet: string; source: string }[];
}
export type RewriteResult =
  | { ok: true; reply: string; citedIds: string[]; toolCalls: ToolCallRecord[] }
  | { ok: false; reason: FallbackReason };

export interface ChatEngineDeps {
  understand: Understander;
  tools: readonly Tool[];
  entries: ReadonlyMap<string, KnowledgeEntry>;
  answers: AnswerTable;
  /** Which provincial rules were read (knowledge/tables/provincial-coverage.yaml). */
  coverage: ProvincialCoverage;
  retrieve: RetrieveFn;
  /** Called once per turn before any retrieval (remote query embeddings are computed here). */
  prepareRetrieval?: (query: string) => Promise<void>;
  regions: RegionLookup;
  store: SessionStore;
  /** Today's date in China (YYYY-MM-DD). */
  today?: () => string;
  rewriter?: Rewriter;
  onTurn?: (event: TurnEvent) => void;
  /** How tool refusals are told to users (knowledge/dialogue/tool-errors.yaml by default). */
  toolErrorTexts?: ToolErrorTexts;
}

export interface TurnEvent {
  intent: Intent;
  answeredBy: 'rules' | 'model';
  /** A reply the guard stopped: unbacked figures, or internal text (English, field names, codes). */
  guardRejected?: { path: 'rules' | 'model'; reason: 'unbacked_figure' | 'internal_text'; unbacked: string[] };
  modelFallback?: FallbackReason;
  latencyMs: number;
  /** The turn as the operator review records it (src/review): personal data already masked. */
  record: TurnRecordEvent;
}

/** One finished turn, for the operator review: what was asked, understood, answered and cited. */
export interface TurnRecordEvent {
  sessionId: string;
  turn: number;
  /** ISO time the turn finished. */
  at: string;
  /** The user's message, ID and phone numbers masked. */
  question: string;
  reply: string;
  /** The previous message of this session (masked), to tell a re-asked question. */
  previousQuestion?: string;
  /** What the message alone was understood as, before the conversation's topic was applied. */
  understood: { intent: Intent; confidence: number };
  /** Slots the user corrected ("不对，是杭州"). */
  corrections: SlotName[];
  /** Slots this message set, and whether it answered a yes/no question: a bare answer, not a new question. */
  changedSlots: SlotName[];
  answeredYesNo: boolean;
  citations: string[];
  /** The journey state after the turn, as the HTTP contract shows it. */
  slots: PublicSlots;
  needs: string[];
}

export interface HandleOptions {
  /**
   * Receives the reply in small pieces (for SSE). Only text that has passed the figure guard is
   * ever passed here: a model answer is checked whole before its first piece is sent.
   */
  onDelta?: (text: string) => void;
  /**
   * How long this channel can wait for the model (WeChat's 5-second window, the widget's patience);
   * when the model is not done by then, the rules' answer (already computed) is sent instead.
   */
  modelBudgetMs?: number;
}

// One formatter for the process: each Intl.DateTimeFormat holds native memory that is slow to free.
const chinaDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
/** Today's date in China (YYYY-MM-DD). */
export const chinaToday = (): string => chinaDate.format(new Date());

const isFollowUp = /^(那|那么|那如果|还有|另外|再问|为什么|为啥|可以|能不能|能否|要是|如果)/;
const asksSomethingNew = /[？?]|吗|呢|怎么|多久|哪|能不能|是否|如何|什么|多少/;

/**
 * Keeps the conversation on its topic when a message only answers the bot's question ("职工医保",
 * "是换城市的时候断的") or is a short follow-up ("那转入地呢？") that matches no intent of its own.
 */
export function continueTopic(intent: Intent, u: Understanding, message: string, session: Session, changed: SlotName[]): Intent {
  const current = session.currentIntent;
  if (!current || current === 'greeting' || current === 'out_of_scope') return intent;
  const answersAsked = session.lastAsked.some((s) => changed.includes(s)) || (u.yesNo !== undefined && session.lastAsked.length > 0);
  if (answersAsked && (!asksSomethingNew.test(message) || intent === 'out_of_scope' || intent === 'greeting')) return current;
  // Nothing in the message matched any intent rule (an explicit off-topic cue scores higher).
  if (intent === 'out_of_scope' && u.confidence < WEAK) return current;
  if (intent === 'greeting' && (changed.length > 0 || isFollowUp.test(message.trim()))) return current;
  // "那…呢？" with only a weak match elsewhere stays on the topic it follows.
  if (isFollowUp.test(message.trim()) && message.length <= 24 && u.confidence < FOLLOW_UP_WEAK) return current;
  return intent;
}

/** Understanding confidences below which a message is taken as a follow-up of the current topic. */
const WEAK = 0.3;
const FOLLOW_UP_WEAK = 0.4;
/** Understanding confidence from which a message's intent is not overridden by an off-topic entry. */
const CLEAR_INTENT = 0.75;

/** The year of the conversation's latest date, for dates the user writes without a year. */
function contextYearOf(state: Session['state']): { contextYear?: number } {
  const dates = [state.acceptedDate, state.infoSheetReceivedDate, state.startDate, state.endDate].filter((d): d is string => Boolean(d));
  if (dates.length === 0) return {};
  return { contextYear: Number(dates.sort().at(-1)!.slice(0, 4)) };
}

/** Splits a finished reply into small pieces for `delta` events. */
export function chunkReply(reply: string): string[] {
  return reply.match(/[^。！？；\n]+[。！？；]?\n?|\n/g) ?? [reply];
}

/**
 * One conversation turn: understand the message, merge it into the session, compose the answer
 * from tools and knowledge entries, check every figure, and remember the turn.
 */
export class ChatEngine {
  private readonly runner: ToolRunner;
  private readonly today: () => string;

  constructor(private readonly deps: ChatEngineDeps) {
    this.runner = new ToolRunner(deps.tools, deps.toolErrorTexts ?? loadToolErrorTexts());
    this.today = deps.today ?? chinaToday;
  }

  async handle(request: { sessionId?: string; message: string }, options: HandleOptions = {}): Promise<ChatResponse & { replace?: boolean }> {
    const started = performance.now();
    const sessionId = request.sessionId ?? randomUUID();
    const session: Session = (await this.deps.store.get(sessionId)) ?? newSession(sessionId);
    const { text: masked, found } = maskPersonalData(request.message);

    await this.deps.prepareRetrieval?.(masked);
    const understanding = this.deps.understand(masked, {
      today: this.today(),
      ...(session.currentIntent ? { currentIntent: session.currentIntent } : {}),
      lastAsked: session.lastAsked,
      ...(session.lastSetPlaceRole ? { lastSetPlaceRole: session.lastSetPlaceRole } : {}),
      known: { ...(session.state.from ? { from: session.state.from } : {}), ...(session.state.to ? { to: session.state.to } : {}) },
      ...contextYearOf(session.state),
    });
    if (found.idNumbers + found.phones > 0) understanding.containsPersonalData = true;

    let intent = understanding.intent;
    const merged = mergeUnderstanding(session.state, understanding, {
      lastAsked: session.lastAsked,
      ...(session.lastSetPlaceRole ? { lastSetPlaceRole: session.lastSetPlaceRole } : {}),
      ...(session.pendingPlace ? { pendingPlace: session.pendingPlace } : {}),
    });
    intent = continueTopic(intent, understanding, masked, session, merged.changed);
    if (merged.lastSetPlaceRole) session.lastSetPlaceRole = merged.lastSetPlaceRole;

    const answer = new AnswerBuilder(this.deps.entries, this.today());
    // Figures the user typed, accumulated turn by turn rather than re-read from the history.
    session.userQuantities = rememberUserQuantities(session.userQuantities, masked);
    const userProv = userProvenance(session.userQuantities);
    // Places named in this message were resolved with the region resolver: show those calls.
    for (const place of understanding.places) {
      if (place.region && this.runner.has('resolve_region')) this.runner.run(answer, 'resolve_region', { name: place.text });
    }
    const ctx: ComposeContext = {
      answer,
      tools: this.runner,
      state: session.state,
      understanding,
      message: masked,
      intent,
      answers: this.deps.answers,
      coverage: this.deps.coverage,
      retrieve: this.deps.retrieve,
      regions: this.deps.regions,
      today: this.today(),
      changed: merged.changed,
      ...(merged.ambiguous ? { ambiguous: merged.ambiguous } : {}),
      previousIntent: session.currentIntent,
    };
    // Short follow-ups ("那按国家规定呢？") lean on the conversation, not on their own wording.
    const leansOnContext = merged.changed.length > 0 || understanding.yesNo !== undefined || (isFollowUp.test(masked.trim()) && masked.length <= 14);
    const offTopic = leansOnContext ? undefined : this.offTopicEntry(intent, understanding, masked, session);
    if (offTopic) composeFromKnowledge(ctx, offTopic);
    else composers[intent](ctx);

    let built = answer.build();
    const sourced = sourcedProvenance(answer.toolCalls, answer.citedEntries(), userProv);
    const guard = checkFigures(built.reply, sourced.map((s) => s.prov));
    const internal = internalTextIn(built.reply);
    let guardRejected: TurnEvent['guardRejected'];
    if (!guard.ok) guardRejected = { path: 'rules', reason: 'unbacked_figure', unbacked: guard.unbacked.map((f) => f.raw) };
    else if (internal.length > 0) guardRejected = { path: 'rules', reason: 'internal_text', unbacked: internal };
    if (guardRejected) {
      built = this.safeAnswer();
      built.figures = resolveFigureSources(built.figures, sourcedProvenance([], this.safeEntries(), userProv));
    } else built.figures = resolveFigureSources(built.figures, sourced);

    let response: ChatResponse & { replace?: boolean } = {
      sessionId,
      turn: session.turnCount + 1,
      reply: built.reply,
      intent,
      slots: publicSlots(session.state),
      needs: built.needs.map(publicNeed) as SlotName[],
      citations: built.citations,
      figures: built.figures,
      toolCalls: built.toolCalls,
      suggestions: built.suggestions,
      answeredBy: 'rules',
    };

    let modelFallback: FallbackReason | undefined;
    if (this.deps.rewriter && intent !== 'greeting') {
      const outcome = await this.modelTurn(response, understanding, masked, session, userProv, options.modelBudgetMs);
      if (outcome.ok) response = outcome.response;
      else {
        modelFallback = outcome.reason;
        if (outcome.unbacked) guardRejected = { path: 'model', reason: 'unbacked_figure', unbacked: outcome.unbacked };
      }
    }
    // Every piece streamed is part of a reply that has passed the guard.
    if (options.onDelta) for (const piece of chunkReply(response.reply)) options.onDelta(piece);

    session.currentIntent = intent;
    session.lastAsked = built.needs;
    if (merged.ambiguous) session.pendingPlace = merged.ambiguous;
    else delete session.pendingPlace;
    const previousQuestion = session.turns.at(-1)?.user;
    session.turnCount += 1;
    session.updatedAt = new Date().toISOString();
    session.turns.push({ id: randomBytes(8).toString('hex'), turn: session.turnCount, at: session.updatedAt, user: masked, reply: response.reply, intent, answeredBy: response.answeredBy });
    await this.deps.store.save(session);

    this.deps.onTurn?.({
      intent,
      answeredBy: response.answeredBy,
      latencyMs: performance.now() - started,
      ...(guardRejected ? { guardRejected } : {}),
      ...(modelFallback ? { modelFallback } : {}),
      record: {
        sessionId,
        turn: session.turnCount,
        at: session.updatedAt,
        question: masked,
        reply: response.reply,
        ...(previousQuestion !== undefined ? { previousQuestion } : {}),
        understood: { intent: understanding.intent, confidence: understanding.confidence },
        corrections: understanding.corrections,
        changedSlots: merged.changed,
        answeredYesNo: understanding.yesNo !== undefined,
        citations: response.citations.map((c) => c.id),
        slots: response.slots,
        needs: response.needs.map(String),
      },
    });
    return response;
  }

  /**
   * Asks the model to word the answer, then holds it to the same standard as the rules: every
   * figure backed (tool outputs, including the model's own tool calls, cited snippets, the
   * user's messages) and every cited id one that was given to it.
   */
  private async modelTurn(
    rules: ChatResponse,
    understanding: Understanding,
    masked: string,
    session: Session,
    userProv: Provenance,
    budgetMs?: number,
  ): Promise<{ ok: true; response: ChatResponse } | { ok: false; reason: FallbackReason; unbacked?: string[] }> {
    if (understanding.injection) return { ok: false, reason: 'injection' };
    const context = rules.citations.map((c) => ({ id: c.id, title: c.title, snippet: c.snippet, source: c.source }));
    for (const hit of this.deps.retrieve(masked, { k: 4 })) {
      if (!context.some((c) => c.id === hit.entry.id))
        context.push({ id: hit.entry.id, title: hit.entry.title, snippet: hit.entry.summary, source: hit.entry.source.map((x) => x.docNumber ?? x.title).join('；') });
    }
    let result: RewriteResult;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      const work = this.deps.rewriter!.rewrite(
        { message: masked, history: session.turns.slice(-4).map((t) => ({ user: t.user, reply: t.reply })), rules, context },
        { signal: controller.signal },
      );
      const late =
        budgetMs === undefined
          ? undefined
          : new Promise<RewriteResult>((resolve) => {
              timer = setTimeout(() => resolve({ ok: false, reason: 'over_budget' }), budgetMs);
            });
      result = late ? await Promise.race([work, late]) : await work;
    } catch {
      return { ok: false, reason: 'http_error' };
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    if (!result.ok) return result;
    const reply = result.reply.trim();
    if (!reply) return { ok: false, reason: 'empty' };
    if (hasInternalText(reply)) return { ok: false, reason: 'internal_text' };
    const allowed = new Map(context.map((c) => [c.id, c]));
    if (result.citedIds.some((id) => !allowed.has(id))) return { ok: false, reason: 'unknown_citation' };
    const citedIds = [...new Set([...rules.citations.map((c) => c.id), ...result.citedIds])];
    const entries = citedIds.map((id) => this.deps.entries.get(id)).filter((e): e is KnowledgeEntry => e !== undefined);
    const toolCalls = [...rules.toolCalls, ...result.toolCalls];
    const sourced = sourcedProvenance(toolCalls, entries, userProv);
    const guard = checkFigures(reply, sourced.map((x) => x.prov));
    if (!guard.ok) return { ok: false, reason: 'unbacked_figure', unbacked: guard.unbacked.map((f) => f.raw) };
    const extraCitations = result.citedIds
      .filter((id) => !rules.citations.some((c) => c.id === id))
      .map((id) => this.deps.entries.get(id))
      .filter((e): e is KnowledgeEntry => e !== undefined)
      .map((e) => citationOf(e, this.today()));
    const figures = resolveFigureSources(figuresOf([{ text: reply }]), sourced);
    return { ok: true, response: { ...rules, reply, answeredBy: 'model', citations: [...rules.citations, ...extraCitations], toolCalls, figures } };
  }

  /** Records thumbs up/down on one turn of a session. */
  async feedback(input: { sessionId: string; turn: number; rating: 'up' | 'down'; comment?: string }): Promise<void> {
    const session = await this.deps.store.get(input.sessionId);
    if (!session) throw new DomainError('NOT_FOUND', 404, '没有找到这个会话，可能已过期。');
    const comment = input.comment ? maskPersonalData(input.comment).text : undefined;
    const feedback = { rating: input.rating, at: new Date().toISOString(), ...(comment ? { comment } : {}) };
    if (!setTurnFeedback(session, input.turn, feedback)) throw new DomainError('NOT_FOUND', 404, `会话中没有第${input.turn}轮回答。`);
    await this.deps.store.save(session);
  }

  /**
   * The topic of the entry that clearly answers this wording when it is not one the intent's
   * composer covers (BM25 and vectors both rank it near the top); undefined otherwise.
   */
  private offTopicEntry(intent: Intent, u: Understanding, message: string, session: Session): Topic | undefined {
    const covered = this.deps.answers.intentTopics[intent];
    // A question its own words clearly classify ("…要多久办完？") is answered by its intent, even
    // when the condition it mentions ("单位申请的话") is what best matches an entry.
    if (!covered || u.injection || (u.intent === intent && u.confidence >= CLEAR_INTENT)) return undefined;
    const top = this.deps.retrieve(message, { k: 1, region: userRegion(session.state) })[0];
    if (!top || top.entry.topic === 'correction' || top.entry.topic === 'scope') return undefined;
    const strong = (top.bm25Rank ?? 99) <= 2 && (top.vectorRank ?? 99) <= 2;
    return strong && !covered.includes(top.entry.topic) ? top.entry.topic : undefined;
  }

  private safeEntries(): KnowledgeEntry[] {
    const hotline = this.deps.entries.get(this.deps.answers.entries.hotline);
    return hotline ? [hotline] : [];
  }

  /** What is said when a composed reply fails the figure guard: no figures but the hotline's own entry. */
  private safeAnswer() {
    const answer = new AnswerBuilder(this.deps.entries, this.today());
    answer.say('抱歉，这个问题我暂时给不出有依据的具体数字，为避免误导就不作推算了。');
    answer.fact(this.deps.answers.entries.hotline, '建议向当地医保经办机构咨询：');
    answer.suggest(...this.deps.answers.chips.journeys.slice(0, 3));
    return answer.build();
  }
}

/** Most quantities remembered per conversation from what the user typed. */
const MAX_USER_QUANTITIES = 200;

/** The user's quantities so far plus this message's, newest kept when over the bound. */
function rememberUserQuantities(stored: Session['userQuantities'], message: string): string[] {
  const known = Array.isArray(stored) ? stored : [];
  const all = [...new Set([...known, ...userQuantitiesOf(message)])];
  return all.length > MAX_USER_QUANTITIES ? all.slice(-MAX_USER_QUANTITIES) : all;
}
