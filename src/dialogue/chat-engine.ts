import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '../errors.js';
import { citationOf } from '../knowledge/citation.js';
import type { ProvincialCoverage } from '../knowledge/provincial-coverage.js';
import type { KnowledgeEntry } from '../knowledge/schema.js';
import { maskPersonalData } from '../privacy/mask.js';
import type { RegionLookup } from '../tools/region/types.js';
import type { Tool } from '../tools/tool.js';
import { figuresOf } from './figures.js';
import { asksForDetails, loadCommands, type Commands } from './commands.js';
import { chooseJourney, indexJourneys, mergeReading, publicNeed, publicSlots, switchSubject, type JourneyIndex } from './conversation.js';
import { checkFigures, userProvenance, userQuantitiesOf, type Provenance } from './figure-guard.js';
import { hasInternalText, internalTextIn } from './guard/internal-text.js';
import { resolveFigureSources, sourcedProvenance } from './guard/sources.js';
import type { RetrieveFn } from './journeys/context.js';
import { AnswerPlan } from './journeys/plan.js';
import { focusedJourney } from './journeys/focus-words.js';
import { runJourney } from './journeys/runner.js';
import type { Journey, SlotName } from './journeys/schema.js';
import { ToolRegistry } from './journeys/tool-registry.js';
import type { Label } from './nlu/corpus.js';
import type { Prediction } from './nlu/classifier.js';
import type { IntentClassifier } from './nlu/intent-classifier.js';
import type { ChatResponse, PublicSlots, ToolCallRecord } from './response.js';
import { newSession, setTurnFeedback, type Session, type SessionStore } from './session.js';
import { newConversation, subjectState, type ConversationState, type PersonState } from './state.js';
import { loadToolErrorTexts, type ToolErrorTexts } from './tool-error-text.js';
import type { Intent } from './types.js';
import type { Reader, Reading } from './understand/read.js';

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
  /** What the conversation knows about the person the turn is about, as structured input. */
  situation: PublicSlots;
  /** Entries the model may cite, by id: the rules' citations plus other retrieved entries. */
  context: { id: string; title: string; snippet: string; source: string }[];
}
export type RewriteResult =
  | { ok: true; reply: string; citedIds: string[]; toolCalls: ToolCallRecord[] }
  | { ok: false; reason: FallbackReason };

export interface ChatEngineDeps {
  /** Reads a message as the situation it tells (places with roles, schemes, dates, amounts …). */
  read: Reader;
  /** What a message mostly asks, learnt from the labelled corpus. */
  classifier: IntentClassifier;
  journeys: readonly Journey[];
  tools: readonly Tool[];
  entries: ReadonlyMap<string, KnowledgeEntry>;
  /** Which provincial rules were read (knowledge/tables/provincial-coverage.yaml). */
  coverage?: ProvincialCoverage;
  retrieve: RetrieveFn;
  /** Called once per turn before any retrieval (remote query embeddings are computed here). */
  prepareRetrieval?: (query: string) => Promise<void>;
  regions: RegionLookup;
  /** The words that ask for the rest of the last answer (knowledge/dialogue/commands.yaml). */
  commands?: Commands;
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



/** Splits a finished reply into small pieces for `delta` events. */
export function chunkReply(reply: string): string[] {
  return reply.match(/[^。！？；\n]+[。！？；]?\n?|\n/g) ?? [reply];
}

// A second question in the same message starts after one of these ("要多久，带什么材料").
const QUESTION_BREAK = /[,，。?？；;!！\s]+|还有|另外|以及|顺便|再问/;
const ASKS = /[?？]|吗|呢|怎么|咋|啥|什么|多少|多久|多长|几[个天号月年]|哪|能不能|可不可以|是不是|要不要|有没有|如何|不$/;
/** How sure the classifier must be of a clause to answer it as a second question. */
const SECOND_QUESTION_CONFIDENCE = 0.55;
/** Characters up to which a later part of a message may be an elliptical follow-on ("要等多久"). */
const ELLIPTICAL_PART = 5;
/** Confidence at which such a part is a question of its own all the same ("去哪办"). */
const STANDS_ALONE = 0.9;
/** Journeys that answer the conversation itself, not a question about 医保. */
const CONVERSATIONAL_JOURNEYS = new Set(['smalltalk', 'out_of_scope']);
/** Below this the turn is listed for review as low confidence (see src/review). */
const HOTLINE_ENTRY = 'hotline-12393-medical-insurance';
/** A masked ID or phone number with the words that introduce it ("我的身份证号是110101********1234"). */
const PERSONAL_DATA_MENTION = /(?:我的?|本人)?(?:身份证|手机|电话|联系方式)?(?:号码|号)?(?:是|为)?[:：]?\s*\+?[0-9０-９]{2,}[*＊]{3,}[0-9０-９Xx]{2,}[，,。；;]?/g;
/** A classifier at least this sure is not overruled by the knowledge base's vote. */
const VOTE_OVERRULES = 0.85;
/** The knowledge base's vote counts only for a label the classifier gave at least this weight, */
const VOTE_FLOOR = 0.05;
/** and at least this share of its first label's: a generic word shared with an entry does not outvote it. */
const VOTE_SHARE = 0.25;

/** The year of the conversation's dates, for a month and day written without a year. */
function contextYearOf(state: ConversationState): { contextYear?: number } {
  const dates: string[] = [];
  for (const values of Object.values(subjectState(state).journeys)) for (const [k, v] of Object.entries(values ?? {})) if (/Date$/.test(k) && typeof v === 'string') dates.push(v);
  return dates.length ? { contextYear: Number(dates.sort().at(-1)!.slice(0, 4)) } : {};
}

/** The acceptance date the person's journeys hold, for "从受理那天…". */
function acceptedDateOf(person: PersonState): { acceptedDate?: string } {
  const date = Object.values(person.journeys).find((v) => v?.acceptedDate)?.acceptedDate;
  return date ? { acceptedDate: date } : {};
}

/**
 * One conversation turn: read the message as a situation and classify what it asks, merge it into
 * the person the conversation is about, run the journey (and a second question's journey) with
 * the one generic runner, check every figure, and remember the turn.
 */
export class ChatEngine {
  private readonly registry: ToolRegistry;
  private readonly errorTexts: ToolErrorTexts;
  private readonly index: JourneyIndex;
  private readonly today: () => string;
  private readonly commands: Commands;
  /** The journeys whose own entries are on each topic. */
  private readonly journeysByTopic = new Map<string, Journey[]>();

  constructor(private readonly deps: ChatEngineDeps) {
    this.registry = new ToolRegistry(deps.tools);
    this.errorTexts = deps.toolErrorTexts ?? loadToolErrorTexts();
    this.index = indexJourneys(deps.journeys);
    this.today = deps.today ?? chinaToday;
    this.commands = deps.commands ?? loadCommands();
    for (const [id, js] of this.index.byEntry) {
      const topic = deps.entries.get(id)?.topic;
      if (!topic) continue;
      const list = this.journeysByTopic.get(topic) ?? [];
      for (const j of js) if (!list.includes(j)) list.push(j);
      this.journeysByTopic.set(topic, list);
    }
  }

  async handle(request: { sessionId?: string; message: string }, options: HandleOptions = {}): Promise<ChatResponse & { replace?: boolean }> {
    const started = performance.now();
    const sessionId = request.sessionId ?? randomUUID();
    const session: Session = (await this.deps.store.get(sessionId)) ?? newSession(sessionId);
    const state: ConversationState = session.conversation ?? newConversation();
    const { text: masked, found } = maskPersonalData(request.message);
    await this.deps.prepareRetrieval?.(masked);
    const today = this.today();

    const before = subjectState(state);
    const reading = this.deps.read(masked, {
      today,
      ...(state.asked ? { asked: state.asked.slot } : {}),
      known: { ...(before.facts.from ? { from: before.facts.from } : {}), ...(before.facts.to ? { to: before.facts.to } : {}) },
      ...(state.lastSetPlaceRole ? { lastSetPlaceRole: state.lastSetPlaceRole } : {}),
      ...contextYearOf(state),
      ...(state.lastDate ? { lastDate: state.lastDate } : {}),
      ...acceptedDateOf(before),
    });
    if (found.idNumbers + found.phones > 0) reading.containsPersonalData = true;
    if (asksForDetails(masked, this.commands)) return this.detailsTurn(session, state, masked, started);
    switchSubject(state, reading);
    // What the message asks, read without the personal data it carries ("我身份证1101…" is not a question).
    const asked = masked.replace(PERSONAL_DATA_MENTION, ' ').trim() || masked;
    let prediction = this.withEntryVote(this.deps.classifier.classify(asked), asked);
    // Several questions read as one off-topic message ("要多久 带什么材料"): the first in-scope one leads.
    const byLabel = this.index.byLabel.get(prediction.label);
    if (!byLabel || CONVERSATIONAL_JOURNEYS.has(byLabel.id)) {
      const first = this.questionsIn(asked)[0];
      if (first) prediction = { label: first.label, confidence: 1, ranked: [{ label: first.label, p: 1 }, ...prediction.ranked.filter((r) => r.label !== first.label)] };
    }
    // The journey a date with no cue belongs to: the one the message asks about, or the one under way.
    const provisional = this.index.byLabel.get(prediction.label) ?? (state.journey ? this.index.byId.get(state.journey) : undefined);
    const merged = mergeReading(state, reading, this.index, provisional, masked);
    const previousQuestion = session.turns.at(-1)?.user;
    const choice = chooseJourney(state, reading, prediction, this.index, merged.changed, masked, {
      classify: (text) => this.deps.classifier.classify(text),
      ...(previousQuestion !== undefined ? { previousQuestion } : {}),
    });
    if (choice.journey.id !== provisional?.id && reading.date) mergeReading(state, { ...reading, places: [], facts: {}, values: {} }, this.index, choice.journey, masked);
    const second = this.secondQuestion(asked, choice.journey);

    // This message only answers what the bot asked (the journey continues): the question is the one before.
    const answering = state.asked !== undefined && choice.journey.id === state.asked.journey && !ASKS.test(masked);
    session.userQuantities = rememberUserQuantities(session.userQuantities, masked);
    const userProv = userProvenance(session.userQuantities);
    const plan = new AnswerPlan(this.deps.entries);
    const person = subjectState(state);
    const run = (journey: Journey, label: Label, target: AnswerPlan) =>
      runJourney({
        journey,
        person,
        values: (person.journeys[journey.id] ??= {}),
        conversation: state,
        reading,
        message: masked,
        question: answering && previousQuestion !== undefined ? `${previousQuestion} ${masked}` : masked,
        label,
        plan: target,
        tools: this.registry,
        errorTexts: this.errorTexts,
        regions: this.deps.regions,
        entries: this.deps.entries,
        retrieve: this.deps.retrieve,
        ...(this.deps.coverage ? { coverage: this.deps.coverage } : {}),
        today,
      });
    let result = merged.ambiguous ? this.askWhichPlace(plan, merged.ambiguous) : run(choice.journey, choice.label, plan);
    if (second) {
      // The second question's answer: its first sentence and what it asks, after the first answer.
      const extra = new AnswerPlan(this.deps.entries);
      run(second.journey, second.label, extra);
      // A second "question" that can only be asked back ("不是只有5个工作日吗？") adds nothing.
      if (!extra.onlyAsks) plan.appendAnswer(extra);
    }

    let built = plan.build();
    const cited = plan.citedEntries();
    const sourced = sourcedProvenance(plan.toolCalls, [...cited.reply, ...cited.details], userProv);
    const shown = built.details ? `${built.reply}\n${built.details}` : built.reply;
    const guard = checkFigures(shown, sourced.map((s) => s.prov));
    const internal = internalTextIn(shown);
    let guardRejected: TurnEvent['guardRejected'];
    if (!guard.ok) guardRejected = { path: 'rules', reason: 'unbacked_figure', unbacked: guard.unbacked.map((f) => f.raw) };
    else if (internal.length > 0) guardRejected = { path: 'rules', reason: 'internal_text', unbacked: internal };
    let citations = cited.reply.map((e) => citationOf(e, today));
    let detailsCitations = cited.details.map((e) => citationOf(e, today));
    let toolCalls = plan.toolCalls;
    if (guardRejected) {
      const safe = this.safeAnswer();
      built = safe.plan.build();
      citations = safe.plan.citedEntries().reply.map((e) => citationOf(e, today));
      detailsCitations = [];
      toolCalls = [];
      built.figures = resolveFigureSources(built.figures, sourcedProvenance([], safe.plan.citedEntries().reply, userProv));
      result = {};
    } else built.figures = resolveFigureSources(built.figures, sourced);

    const intent: Intent = choice.journey.intent;
    let response: ChatResponse & { replace?: boolean } = {
      sessionId,
      turn: session.turnCount + 1,
      reply: built.reply,
      intent,
      slots: publicSlots(state),
      needs: built.needs.map(publicNeed) as ChatResponse['needs'],
      citations,
      figures: built.figures,
      toolCalls,
      suggestions: built.suggestions,
      answeredBy: 'rules',
      ...(built.details ? { details: built.details, detailsCitations } : {}),
    };

    let modelFallback: FallbackReason | undefined;
    // Small talk is answered as it is; an injection attempt is never sent to the model (and counted).
    if (this.deps.rewriter && (intent !== 'greeting' || reading.injection)) {
      const outcome = await this.modelTurn(response, reading, masked, session, userProv, options.modelBudgetMs);
      if (outcome.ok) response = outcome.response;
      else {
        modelFallback = outcome.reason;
        if (outcome.unbacked) guardRejected = { path: 'model', reason: 'unbacked_figure', unbacked: outcome.unbacked };
      }
    }
    // Every piece streamed is part of a reply that has passed the guard.
    if (options.onDelta) for (const piece of chunkReply(response.reply)) options.onDelta(piece);

    // Values said for one question only ("…之前能好吗") do not carry over to the next.
    for (const journey of [choice.journey, second?.journey]) {
      const values = journey ? (person.journeys[journey.id] as Record<string, unknown> | undefined) : undefined;
      if (journey && values) for (const slot of journey.slots) if (slot.once) delete values[slot.name];
    }
    state.journey = choice.journey.id;
    state.label = choice.label;
    if (result.asked) state.asked = { journey: choice.journey.id, slot: result.asked };
    else delete state.asked;
    if (merged.ambiguous) state.pendingPlace = merged.ambiguous;
    else delete state.pendingPlace;
    if (built.details)
      state.details = {
        text: built.details,
        citations: (detailsCitations.length ? detailsCitations : citations).map((c) => c.id),
        figures: built.figures.filter((f) => built.details.includes(f.text)),
      };
    else delete state.details;
    session.conversation = state;
    session.turnCount += 1;
    session.updatedAt = new Date().toISOString();
    session.turns.push({ id: randomBytes(8).toString('hex'), turn: session.turnCount, at: session.updatedAt, user: masked, reply: response.reply, intent, answeredBy: response.answeredBy });
    await this.deps.store.save(session);

    const understood = this.index.byLabel.get(prediction.label)?.intent ?? intent;
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
        // A bare answer ("职工医保") is understood through the conversation, not on its own.
        understood: { intent: understood, confidence: prediction.label === 'inform' ? 1 : Math.round(prediction.confidence * 100) / 100 },
        corrections: reading.corrections,
        changedSlots: merged.changed,
        answeredYesNo: reading.yesNo !== undefined,
        citations: response.citations.map((c) => c.id),
        slots: response.slots,
        needs: response.needs.map(String),
      },
    });
    return response;
  }

  /**
   * "详细" / "继续": the rest of the last answer (checked with it when it was given), with the
   * entries it relies on; nothing left, a short line of what to ask instead.
   */
  private async detailsTurn(session: Session, state: ConversationState, masked: string, started: number): Promise<ChatResponse> {
    const today = this.today();
    const details = state.details;
    const previousQuestion = session.turns.at(-1)?.user;
    const journey = state.journey ? this.index.byId.get(state.journey) : undefined;
    const intent: Intent = journey?.intent ?? 'greeting';
    const citations = (details?.citations ?? []).flatMap((id) => {
      const entry = this.deps.entries.get(id);
      return entry ? [citationOf(entry, today)] : [];
    });
    const response: ChatResponse = {
      sessionId: session.id,
      turn: session.turnCount + 1,
      reply: details ? `${this.commands.details.lead}\n${details.text}` : this.commands.details.none,
      intent,
      slots: publicSlots(state),
      needs: [],
      citations,
      figures: details?.figures ?? [],
      toolCalls: [],
      suggestions: journey?.chips ?? [],
      answeredBy: 'rules',
    };
    delete state.details;
    session.conversation = state;
    session.turnCount += 1;
    session.updatedAt = new Date().toISOString();
    session.turns.push({ id: randomBytes(8).toString('hex'), turn: session.turnCount, at: session.updatedAt, user: masked, reply: response.reply, intent, answeredBy: 'rules' });
    await this.deps.store.save(session);
    this.deps.onTurn?.({
      intent,
      answeredBy: 'rules',
      latencyMs: performance.now() - started,
      record: {
        sessionId: session.id,
        turn: session.turnCount,
        at: session.updatedAt,
        question: masked,
        reply: response.reply,
        ...(previousQuestion !== undefined ? { previousQuestion } : {}),
        understood: { intent, confidence: 1 },
        corrections: [],
        changedSlots: [],
        answeredYesNo: false,
        citations: response.citations.map((c) => c.id),
        slots: response.slots,
        needs: [],
      },
    });
    return response;
  }

  /**
   * A second opinion from the knowledge base: when one entry plainly answers the wording (first in
   * both rankings) and only one journey states it, that journey's label wins over a classifier
   * that is not sure (below VOTE_OVERRULES) and gave it some weight (at least VOTE_FLOOR).
   */
  private withEntryVote(prediction: Prediction<Label>, message: string): Prediction<Label> {
    if (prediction.confidence >= VOTE_OVERRULES) return prediction;
    const top = this.deps.retrieve(message, { k: 3, region: null })[0];
    if (!top || (top.bm25Rank ?? 99) !== 1 || (top.vectorRank ?? 99) !== 1) return prediction;
    // The journey that states the entry, else the one journey whose own entries share its topic
    // (a city's waiting-period rule → the back-pay journey).
    const journeys = this.index.byEntry.get(top.entry.id) ?? this.journeysByTopic.get(top.entry.topic) ?? [];
    if (journeys.length !== 1) return prediction;
    const floor = Math.max(VOTE_FLOOR, prediction.confidence * VOTE_SHARE);
    const label = journeys[0]!.labels.find((l) => (prediction.ranked.find((r) => r.label === l)?.p ?? 0) >= floor);
    if (!label || label === prediction.label) return prediction;
    const p = prediction.ranked.find((r) => r.label === label)!.p;
    return { label, confidence: p, ranked: [{ label, p }, ...prediction.ranked.filter((r) => r.label !== label)] };
  }

  /** A second question of another journey in the same message ("要多久，带什么材料"), when the classifier is sure of it. */
  private secondQuestion(message: string, first: Journey): { journey: Journey; label: Label } | undefined {
    for (const q of this.questionsIn(message)) if (q.journey.id !== first.id) return q;
    return undefined;
  }

  /** The in-scope questions of a message asking more than one, each with its journey, in order. */
  private questionsIn(message: string): Array<{ journey: Journey; label: Label }> {
    const parts = message.split(QUESTION_BREAK).map((p) => p.trim()).filter((p) => [...p].length >= 3 && ASKS.test(p));
    if (parts.length < 2) return [];
    const found: Array<{ journey: Journey; label: Label }> = [];
    let previous: { part: string; journey: Journey | undefined } | undefined;
    for (const part of parts) {
      // A short part with no subject of its own ("有没有等待期，要等多久") goes on with the part
      // before it when, read together, they are that part's question; one that stands alone
      // ("…能转过来不 去哪办") is a question of its own.
      if (previous?.journey && [...part].length <= ELLIPTICAL_PART && this.deps.classifier.classify(part).confidence < STANDS_ALONE) {
        const together = this.withEntryVote(this.deps.classifier.classify(`${previous.part}${part}`), `${previous.part}${part}`);
        if (this.index.byLabel.get(together.label)?.id === previous.journey.id) continue;
      }
      // Each part as a question of its own: the classifier with the knowledge base's vote, or the
      // one journey whose narrower-question words it uses.
      const raw = this.deps.classifier.classify(part);
      const p = this.withEntryVote(raw, part);
      const sure = p.confidence >= SECOND_QUESTION_CONFIDENCE || p.label !== raw.label;
      const journey = sure ? this.index.byLabel.get(p.label) : focusedJourney(this.index.byId.values(), part, p.ranked);
      if (journey && !CONVERSATIONAL_JOURNEYS.has(journey.id) && !found.some((f) => f.journey.id === journey.id))
        found.push({ journey, label: journey.labels.includes(p.label) ? p.label : journey.labels[0]! });
      previous = { part, journey };
    }
    return found;
  }

  /** Asks which of several places with the same name the user means. */
  private askWhichPlace(plan: AnswerPlan, place: NonNullable<ReturnType<typeof mergeReading>['ambiguous']>): { asked?: SlotName } {
    const options = (place.candidates ?? []).slice(0, 4).map((c) => `${c.province === c.city || !c.city ? '' : c.province}${c.city && c.city !== c.name ? c.city : ''}${c.name}`);
    plan.ask(place.role, `“${place.text}”有好几个地方：${options.join('、')}。请问是哪一个？`);
    plan.suggest(...options);
    return { asked: place.role };
  }
  /**
   * Asks the model to word the answer, then holds it to the same standard as the rules: every
   * figure backed (tool outputs, including the model's own tool calls, cited snippets, the
   * user's messages) and every cited id one that was given to it.
   */
  private async modelTurn(
    rules: ChatResponse,
    reading: Reading,
    masked: string,
    session: Session,
    userProv: Provenance,
    budgetMs?: number,
  ): Promise<{ ok: true; response: ChatResponse } | { ok: false; reason: FallbackReason; unbacked?: string[] }> {
    if (reading.injection) return { ok: false, reason: 'injection' };
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
        { message: masked, history: session.turns.slice(-4).map((t) => ({ user: t.user, reply: t.reply })), rules, situation: rules.slots, context },
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

  /** What is said when a composed reply fails the guard: no figures but the hotline's own entry. */
  private safeAnswer(): { plan: AnswerPlan } {
    const plan = new AnswerPlan(this.deps.entries);
    plan.answer('抱歉，这个问题我暂时给不出有依据的具体数字，为避免误导就不作推算了。');
    plan.pointFrom(HOTLINE_ENTRY, '建议向当地医保经办机构咨询：');
    plan.suggest(...(this.index.byId.get('smalltalk')?.chips.slice(0, 3) ?? []));
    return { plan };
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
