import { randomBytes } from 'node:crypto';
import type { BuildAppOptions } from '../src/app.js';
import type { Category, EvalCase, Turn } from './case-schema.js';
import { httpTarget, inProcessTarget, type ChatRequestBody, type ChatTarget } from './chat-client.js';
import { checkTurn } from './check-turn.js';
import { defaultCasesGlob, loadCases } from './load-cases.js';
import { computeMetrics, evaluateGate, type CaseResult, type Metrics } from './metrics.js';

/** What a preparation hook may change about a run (e.g. start an LLM stub and point the app at it). */
export interface PreparedRun {
  appOptions?: BuildAppOptions;
  cleanup?: () => Promise<void>;
}

export interface EvalOptions {
  /** Base URL of a running service; in-process when absent. */
  url?: string;
  /** Case files: a path or glob relative to the project root. */
  cases?: string;
  /** Only cases whose id contains one of these strings. */
  only?: readonly string[];
  /** Reserved: run against a local OpenAI-compatible stub; handed to `prepare`. */
  llmStub?: boolean;
  /** Hook run before the target is built. */
  prepare?: (ctx: { llmStub: boolean; mode: 'in-process' | 'url' }) => Promise<PreparedRun | void>;
  /** Options for the in-process app. */
  appOptions?: BuildAppOptions;
  /** A ready target (tests); overrides `url`. Not closed by the run. */
  target?: ChatTarget;
  /** Called after each case. */
  onCase?: (result: CaseResult) => void;
}

export interface EvalReport {
  startedAt: string;
  durationMs: number;
  target: string;
  llmStub: boolean;
  casesByCategory: Partial<Record<Category, number>>;
  metrics: Metrics;
  gate: { passed: boolean; reasons: string[] };
  results: CaseResult[];
}

function requestOf(turn: Turn, sessionId: string): { body: ChatRequestBody; sent: string; message?: string } {
  if (turn.body !== undefined) return { body: { raw: turn.body }, sent: turn.body };
  if (turn.payload !== undefined) return { body: { json: turn.payload }, sent: JSON.stringify(turn.payload) };
  const message = turn.repeat ? (turn.user ?? '').repeat(turn.repeat) : (turn.user ?? '');
  return { body: { json: { sessionId: turn.sessionId ?? sessionId, message } }, sent: message, message };
}

/** Replays one case in a fresh session, turn by turn. */
export async function runCase(target: ChatTarget, evalCase: EvalCase): Promise<CaseResult> {
  const sessionId = `eval-${evalCase.id}-${randomBytes(4).toString('hex')}`;
  const userMessages: string[] = [];
  const turns = [];
  for (const [i, turn] of evalCase.turns.entries()) {
    const { body, sent, message } = requestOf(turn, sessionId);
    if (message !== undefined) userMessages.push(message);
    const ctx = { turn: i + 1, sent, userMessages: [...userMessages] };
    try {
      turns.push(checkTurn(turn, await target.send(body), ctx));
    } catch (err) {
      turns.push(
        checkTurn(turn, { status: 0, json: undefined, text: `请求失败：${(err as Error).message}`, latencyMs: 0 }, ctx),
      );
    }
  }
  return {
    id: evalCase.id,
    category: evalCase.category,
    title: evalCase.title,
    file: evalCase.file,
    passed: turns.every((t) => t.passed),
    turns,
  };
}

/**
 * Runs the evaluation: every case in a fresh session, in-process (building the app) or against a
 * URL, and returns the report with metrics and the gate verdict.
 */
export async function runEval(options: EvalOptions = {}): Promise<EvalReport> {
  const started = Date.now();
  const llmStub = options.llmStub ?? false;
  let cases = loadCases(options.cases ?? defaultCasesGlob);
  if (options.only?.length) cases = cases.filter((c) => options.only!.some((s) => c.id.includes(s)));

  const prepared = (await options.prepare?.({ llmStub, mode: options.url ? 'url' : 'in-process' })) ?? {};
  const ownTarget = !options.target;
  const target =
    options.target ??
    (options.url ? httpTarget(options.url) : await inProcessTarget({ ...options.appOptions, ...prepared.appOptions }));
  const results: CaseResult[] = [];
  try {
    for (const c of cases) {
      const result = await runCase(target, c);
      results.push(result);
      options.onCase?.(result);
    }
  } finally {
    if (ownTarget) await target.close();
    await prepared.cleanup?.();
  }

  const casesByCategory: Partial<Record<Category, number>> = {};
  for (const c of cases) casesByCategory[c.category] = (casesByCategory[c.category] ?? 0) + 1;
  const metrics = computeMetrics(results);
  return {
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    target: target.description,
    llmStub,
    casesByCategory,
    metrics,
    gate: evaluateGate(metrics),
    results,
  };
}
