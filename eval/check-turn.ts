import { z } from 'zod';
import type { Turn } from './case-schema.js';
import type { ChatExchange } from './chat-client.js';
import { findUnbackedFigures, internalText, stageLimits, swappedStageLimits, wrongWeekdays, type Figure } from './figures.js';
import { matchingVariants } from './normalise.js';

/** The 200 response of POST /v1/chat as far as the evaluation reads it (PRODUCT.md, HTTP contract). */
export const chatResponseSchema = z.looseObject({
  sessionId: z.string(),
  reply: z.string(),
  intent: z.string(),
  slots: z.record(z.string(), z.unknown()),
  needs: z.array(z.string()),
  citations: z.array(z.looseObject({ id: z.string(), title: z.string(), source: z.unknown(), snippet: z.string() })),
  figures: z.array(z.looseObject({ text: z.string(), source: z.string() })),
  toolCalls: z.array(z.looseObject({ name: z.string(), input: z.unknown(), output: z.unknown() })),
  suggestions: z.array(z.string()),
  answeredBy: z.enum(['rules', 'model']),
});
export type ChatResponse = z.output<typeof chatResponseSchema>;

const errorBodySchema = z.object({ error: z.looseObject({ code: z.string().min(1), message: z.string().min(1) }) });
const hasChinese = /[\u4e00-\u9fff]/;

/** What one turn scored; counts feed the metrics, `failures` the report. */
export interface TurnResult {
  turn: number;
  /** What was sent, shortened for the report. */
  user: string;
  status: number;
  reply: string;
  intent?: string | undefined;
  /** Which path worded the reply. */
  answeredBy?: 'rules' | 'model' | undefined;
  latencyMs: number;
  passed: boolean;
  failures: string[];
  facts: { expected: number; matched: number };
  slots: { expected: number; matched: number };
  /** Null when the turn has no `citations` list (skipped for precision). */
  citations: { cited: number; relevant: number; expectedHit: boolean } | null;
  unbacked: Figure[];
  /** English, field or tool names, codes, undefined/null/NaN, braces found in the reply. */
  internalText: string[];
  negative: boolean;
  /** Characters of a 200 reply (null otherwise): how long the answer is to read. */
  replyChars: number | null;
  /** Entries a 200 reply cites (null otherwise). */
  cited: number | null;
}

/** Every string and number of a tool output, as text. */
function outputTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(outputTexts);
  if (value && typeof value === 'object') return Object.values(value).flatMap(outputTexts);
  return [];
}

/** Short names as users write them: 苏州市 → 苏州, 江苏省 → 江苏. */
export function normaliseSlotValue(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return value
    .trim()
    .replace(/(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|地区|盟|省|市|区|县)$/, '');
}

function slotMatches(expected: string | number | boolean, actual: unknown): boolean {
  if (actual === undefined || actual === null) return false;
  if (typeof expected !== 'string') return String(expected) === String(actual);
  if (typeof actual !== 'string') return expected === String(actual);
  const e = normaliseSlotValue(expected);
  const a = normaliseSlotValue(actual);
  return e === a || (e.length >= 2 && a.length >= 2 && (a.startsWith(e) || e.startsWith(a)));
}

const PLACE_SLOT_ALTERNATIVE: Readonly<Record<string, string>> = { fromCity: 'fromProvince', toCity: 'toProvince' };

// Names the product may use in `needs` for the same fact.
const NEED_ALIASES: Readonly<Record<string, readonly string[]>> = {
  fromCity: ['fromCity', 'fromProvince', 'from', 'origin', 'fromPlace'],
  toCity: ['toCity', 'toProvince', 'to', 'destination', 'toPlace'],
  insuranceType: ['insuranceType', 'insurance_type', 'insurance'],
  acceptedDate: ['acceptedDate', 'accepted_date', 'date'],
  retired: ['retired', 'isRetired'],
  enrolledAtDestination: ['enrolledAtDestination', 'enrolled'],
  base: ['base', 'contributionBase'],
  ratePercent: ['ratePercent', 'rate', 'contributionRate'],
  gapMonths: ['gapMonths', 'gap'],
  payoutSituation: ['payoutSituation', 'situation'],
};

function needSatisfied(expected: string, actual: readonly string[]): boolean {
  return expected
    .split('|')
    .some((name) => (NEED_ALIASES[name] ?? [name]).some((alias) => actual.includes(alias)));
}

function compile(source: string): RegExp {
  return new RegExp(source);
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** Provenance texts of one citation: its title, source and snippet. */
function citationTexts(citation: ChatResponse['citations'][number]): string[] {
  const source = citation.source;
  const sourceText = typeof source === 'string' ? source : source === undefined ? '' : JSON.stringify(source);
  return [citation.title, sourceText, citation.snippet];
}

export interface TurnContext {
  turn: number;
  /** The text sent as this turn's message (or the raw body), for the report. */
  sent: string;
  /** User messages of this case so far, including this turn's. */
  userMessages: readonly string[];
}

/** Scores one exchange against the turn's expectations. */
export function checkTurn(expect: Turn, exchange: ChatExchange, ctx: TurnContext): TurnResult {
  const failures: string[] = [];
  const result: TurnResult = {
    turn: ctx.turn,
    user: shorten(ctx.sent, 80),
    status: exchange.status,
    reply: '',
    latencyMs: exchange.latencyMs,
    passed: false,
    failures,
    facts: { expected: expect.facts.length, matched: 0 },
    slots: { expected: Object.keys(expect.slots ?? {}).length, matched: 0 },
    citations: null,
    unbacked: [],
    internalText: [],
    negative: expect.negative,
    replyChars: null,
    cited: null,
  };

  if (exchange.status >= 500) failures.push(`服务端错误 HTTP ${exchange.status}`);

  if (expect.status !== 200) {
    if (exchange.status !== expect.status) failures.push(`状态码应为 ${expect.status}，实际 ${exchange.status}`);
    const body = errorBodySchema.safeParse(exchange.json);
    if (!body.success) failures.push('错误响应应为 {"error": {"code", "message"}}');
    else if (!hasChinese.test(body.data.error.message)) failures.push(`错误信息应为中文：${body.data.error.message}`);
    result.reply = shorten(exchange.text, 300);
    result.passed = failures.length === 0;
    return result;
  }

  if (exchange.status !== 200) {
    failures.push(`状态码应为 200，实际 ${exchange.status}`);
    result.reply = shorten(exchange.text, 300);
    return result;
  }
  const parsed = chatResponseSchema.safeParse(exchange.json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    failures.push(`响应不符合接口约定：${issue.path.join('.') || '(整体)'} ${issue.message}`);
    result.reply = shorten(exchange.text, 300);
    return result;
  }
  const res = parsed.data;
  result.reply = res.reply;
  result.replyChars = [...res.reply].length;
  result.cited = res.citations.length;
  result.intent = res.intent;
  result.answeredBy = res.answeredBy;
  const variants = matchingVariants(res.reply);
  const matchesAny = (source: string) => {
    const re = compile(source);
    return variants.some((v) => re.test(v));
  };

  if (expect.intent !== undefined) {
    const allowed = Array.isArray(expect.intent) ? expect.intent : [expect.intent];
    if (!allowed.includes(res.intent as (typeof allowed)[number]))
      failures.push(`意图应为 ${allowed.join('/')}，实际 ${res.intent}`);
  }

  for (const fact of expect.facts) {
    if (matchesAny(fact)) result.facts.matched++;
    else failures.push(`缺少事实 /${fact}/`);
  }
  for (const claim of expect.forbidden) {
    if (matchesAny(claim)) failures.push(`出现禁止内容 /${claim}/`);
  }

  const citedIds = [...new Set(res.citations.map((c) => c.id))];
  if (expect.citations) {
    const relevant = new Set([...expect.citations, ...expect.alsoRelevant]);
    const expectedHit = expect.citations.some((id) => citedIds.includes(id));
    result.citations = { cited: citedIds.length, relevant: citedIds.filter((id) => relevant.has(id)).length, expectedHit };
    if (!expectedHit)
      failures.push(`应引用 ${expect.citations.join(' / ')} 之一，实际引用 ${citedIds.join(', ') || '(无)'}`);
  }

  for (const [name, value] of Object.entries(expect.slots ?? {})) {
    // A municipality (北京, 上海 …) is both a city and a province: either slot may hold it.
    const alternative = PLACE_SLOT_ALTERNATIVE[name];
    const found = slotMatches(value, res.slots[name]) || (alternative !== undefined && slotMatches(value, res.slots[alternative]));
    if (found) result.slots.matched++;
    else failures.push(`槽位 ${name} 应为 ${String(value)}，实际 ${JSON.stringify(res.slots[name]) ?? '(无)'}`);
  }

  const called = res.toolCalls.map((t) => t.name);
  for (const tool of expect.tools) {
    if (!called.includes(tool)) failures.push(`应调用工具 ${tool}，实际 ${called.join(', ') || '(无)'}`);
  }

  for (const need of expect.needs) {
    if (!needSatisfied(need, res.needs)) failures.push(`应询问 ${need}，实际 needs=${JSON.stringify(res.needs)}`);
  }

  // Backed by what the turn really had — tool outputs, cited entries, the user's messages — never
  // by the response's own `figures` list, which is read off the reply.
  const citationText = res.citations.flatMap(citationTexts);
  const toolOutputs = res.toolCalls.map((t) => t.output);
  result.unbacked = [
    ...findUnbackedFigures(res.reply, [...toolOutputs.flatMap(outputTexts), ...citationText, ...ctx.userMessages]),
    ...wrongWeekdays(res.reply).map((raw) => ({ kind: 'date' as const, value: raw, raw })),
    ...swappedStageLimits(res.reply, stageLimits({ toolOutputs, texts: citationText })).map((raw) => ({ kind: 'number' as const, value: raw, raw })),
  ];
  if (result.unbacked.length > 0)
    failures.push(`无出处的数字：${result.unbacked.map((f) => f.raw.trim()).join('、')}`);
  result.internalText = internalText(res.reply);
  if (result.internalText.length > 0) failures.push(`回答含内部文字：${result.internalText.join('、')}`);

  result.passed = failures.length === 0;
  return result;
}
