import { randomUUID } from 'node:crypto';
import { DomainError } from '../errors.js';
import type { KnowledgeEntry } from '../knowledge/schema.js';
import { maskPersonalData } from '../privacy/mask.js';
import type { Tool } from '../tools/tool.js';
import type { RegionLookup } from '../tools/region/types.js';
import { AnswerBuilder } from './answer-builder.js';
import type { AnswerTable } from './answer-table.js';
import { composers, type ComposeContext, type RetrieveFn } from './compose/index.js';
import { buildProvenance, checkFigures, type FigureToken } from './figure-guard.js';
import type { ChatResponse, Figure } from './response.js';
import { newSession, type Session, type SessionStore } from './session.js';
import { mergeUnderstanding, publicNeed, publicSlots } from './slots.js';
import { ToolRunner } from './tool-runner.js';
import type { Intent, SlotName, Understanding } from './types.js';

export type Understander = (
  message: string,
  context: { today: string; currentIntent?: Intent; lastAsked?: SlotName[]; lastSetPlaceRole?: 'from' | 'to' },
) => Understanding;

/** Called with the rules' answer; may return a reworded one (the model path). */
export interface Rewriter {
  rewrite(input: RewriteInput, onDelta?: (text: string) => void): Promise<RewriteResult>;
}
export interface RewriteInput {
  message: string;
  history: { user: string; reply: string }[];
  rules: ChatResponse;
  provenance: { toolOutputs: unknown[]; snippets: string[]; userMessages: string[] };
  retrievedIds: string[];
}
export type RewriteResult = { ok: true; reply: string } | { ok: false; reason: string };

export interface ChatEngineDeps {
  understand: Understander;
  tools: readonly Tool[];
  entries: ReadonlyMap<string, KnowledgeEntry>;
  answers: AnswerTable;
  retrieve: RetrieveFn;
  regions: RegionLookup;
  store: SessionStore;
  /** Today's date in China (YYYY-MM-DD). */
  today?: () => string;
  rewriter?: Rewriter;
  onTurn?: (event: TurnEvent) => void;
}

export interface TurnEvent {
  intent: Intent;
  answeredBy: 'rules' | 'model';
  guardRejected?: { path: 'rules' | 'model'; unbacked: string[] };
  modelFallback?: string;
  latencyMs: number;
}

export interface HandleOptions {
  onDelta?: (text: string) => void;
}

export const chinaToday = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

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
    this.runner = new ToolRunner(deps.tools);
    this.today = deps.today ?? chinaToday;
  }

  async handle(request: { sessionId?: string; message: string }, options: HandleOptions = {}): Promise<ChatResponse & { replace?: boolean }> {
    const started = performance.now();
    const sessionId = request.sessionId ?? randomUUID();
    const session: Session = (await this.deps.store.get(sessionId)) ?? newSession(sessionId);
    const { text: masked, found } = maskPersonalData(request.message);

    const understanding = this.deps.understand(masked, {
      today: this.today(),
      ...(session.currentIntent && session.lastAsked.length > 0 ? { currentIntent: session.currentIntent } : {}),
      lastAsked: session.lastAsked,
      ...(session.lastSetPlaceRole ? { lastSetPlaceRole: session.lastSetPlaceRole } : {}),
    });
    if (found.idNumbers + found.phones > 0) understanding.containsPersonalData = true;

    let intent = understanding.intent;
    const merged = mergeUnderstanding(session.state, understanding, {
      lastAsked: session.lastAsked,
      ...(session.lastSetPlaceRole ? { lastSetPlaceRole: session.lastSetPlaceRole } : {}),
      ...(session.pendingPlace ? { pendingPlace: session.pendingPlace } : {}),
    });
    // A reply that only fills in what the bot asked for continues the ongoing topic.
    if ((intent === 'out_of_scope' || intent === 'greeting') && session.currentIntent && merged.changed.length > 0) intent = session.currentIntent;
    if (merged.lastSetPlaceRole) session.lastSetPlaceRole = merged.lastSetPlaceRole;

    const answer = new AnswerBuilder(this.deps.entries);
    const userMessages = [...session.turns.map((t) => t.user), masked];
    const ctx: ComposeContext = {
      answer,
      tools: this.runner,
      state: session.state,
      understanding,
      message: masked,
      intent,
      answers: this.deps.answers,
      retrieve: this.deps.retrieve,
      regions: this.deps.regions,
      today: this.today(),
      changed: merged.changed,
      ...(merged.ambiguous ? { ambiguous: merged.ambiguous } : {}),
      previousIntent: session.currentIntent,
    };
    composers[intent](ctx);

    let built = answer.build();
    const provenanceSources = {
      toolOutputs: answer.toolCalls.map((c) => c.output),
      snippets: answer.citedEntries().map((e) => e.summary),
      userMessages,
    };
    const provenance = buildProvenance(provenanceSources);
    const guard = checkFigures(built.reply, provenance);
    let guardRejected: TurnEvent['guardRejected'];
    if (!guard.ok) {
      guardRejected = { path: 'rules', unbacked: guard.unbacked.map((f) => f.raw) };
      built = this.safeAnswer();
    }
    built.figures = resolveFigureSources(built.figures, provenanceSources, answer);

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

    let modelFallback: string | undefined;
    if (this.deps.rewriter && intent !== 'greeting') {
      const result = await this.deps.rewriter.rewrite(
        {
          message: masked,
          history: session.turns.slice(-4).map((t) => ({ user: t.user, reply: t.reply })),
          rules: response,
          provenance: provenanceSources,
          retrievedIds: response.citations.map((c) => c.id),
        },
        options.onDelta,
      );
      if (result.ok) response = { ...response, reply: result.reply, answeredBy: 'model' };
      else {
        modelFallback = result.reason;
        if (options.onDelta) response.replace = true;
      }
    }
    if (options.onDelta && response.answeredBy === 'rules' && !response.replace) for (const piece of chunkReply(response.reply)) options.onDelta(piece);

    session.state = session.state;
    session.currentIntent = intent;
    session.lastAsked = built.needs;
    if (merged.ambiguous) session.pendingPlace = merged.ambiguous;
    else delete session.pendingPlace;
    session.turnCount += 1;
    session.updatedAt = new Date().toISOString();
    session.turns.push({ turn: session.turnCount, at: session.updatedAt, user: masked, reply: response.reply, intent, answeredBy: response.answeredBy });
    await this.deps.store.save(session);

    this.deps.onTurn?.({
      intent,
      answeredBy: response.answeredBy,
      latencyMs: performance.now() - started,
      ...(guardRejected ? { guardRejected } : {}),
      ...(modelFallback ? { modelFallback } : {}),
    });
    return response;
  }

  /** Records thumbs up/down on one turn of a session. */
  async feedback(input: { sessionId: string; turn: number; rating: 'up' | 'down'; comment?: string }): Promise<void> {
    const session = await this.deps.store.get(input.sessionId);
    if (!session) throw new DomainError('NOT_FOUND', 404, '没有找到这个会话，可能已过期。');
    const turn = session.turns.find((t) => t.turn === input.turn);
    if (!turn) throw new DomainError('NOT_FOUND', 404, `会话中没有第${input.turn}轮回答。`);
    const comment = input.comment ? maskPersonalData(input.comment).text : undefined;
    turn.feedback = { rating: input.rating, at: new Date().toISOString(), ...(comment ? { comment } : {}) };
    await this.deps.store.save(session);
  }

  /** What is said when a composed reply fails the figure guard: no figures but the hotline's own entry. */
  private safeAnswer() {
    const answer = new AnswerBuilder(this.deps.entries);
    answer.say('抱歉，这个问题我暂时给不出有依据的具体数字，为避免误导就不作推算了。');
    answer.fact(this.deps.answers.entries.hotline, '建议向当地医保经办机构咨询：');
    answer.suggest(...this.deps.answers.chips.journeys.slice(0, 3));
    return answer.build();
  }
}

/** Names, for each figure, the tool, entry or user message that actually holds it. */
function resolveFigureSources(
  figures: Figure[],
  sources: { toolOutputs: unknown[]; snippets: string[]; userMessages: string[] },
  answer: AnswerBuilder,
): Figure[] {
  const holds = (prov: ReturnType<typeof buildProvenance>, f: FigureToken) =>
    checkFigures(f.raw, prov).ok;
  const toolProv = answer.toolCalls.map((c) => ({ source: `tool:${c.name}`, prov: buildProvenance({ toolOutputs: [c.output] }) }));
  const entryProv = answer.citedEntries().map((e) => ({ source: `kb:${e.id}`, prov: buildProvenance({ snippets: [e.summary] }) }));
  const userProv = buildProvenance({ userMessages: sources.userMessages });
  const out: Figure[] = [];
  for (const figure of figures) {
    const token: FigureToken = { kind: 'number', value: '', raw: figure.text, index: 0 };
    const declared = [...toolProv, ...entryProv].find((p) => p.source === figure.source && holds(p.prov, token));
    const found = declared ?? [...toolProv, ...entryProv].find((p) => holds(p.prov, token));
    const source = found?.source ?? (holds(userProv, token) ? 'user' : figure.source);
    if (!out.some((x) => x.text === figure.text && x.source === source)) out.push({ text: figure.text, source });
  }
  return out;
}
