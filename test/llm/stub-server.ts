/**
 * A local OpenAI-compatible chat endpoint for the model-path tests, the evaluation and the
 * benchmark: POST /v1/chat/completions (JSON, or SSE with `stream: true`, tool calls in both) and
 * GET /v1/models. What it answers is scripted per request: a queue of one-shot answers first, then
 * a function of the request. The helpers below write the behaviours a real model can show:
 * a faithful paraphrase of the draft it was given, an invented number, a wrong date, an unknown
 * citation, a tool call and an answer from its result.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubMessage {
  role: string;
  content?: string | null | Array<{ type: string; text?: string }>;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
  name?: string;
}

export interface StubRequest {
  body: { model?: string; messages: StubMessage[]; stream?: boolean; tools?: Array<{ type: string; function: { name: string } }>; [key: string]: unknown };
  stream: boolean;
  authorization: string | undefined;
  /** The rules' answer given to the model (between <draft> tags of the system message). */
  draft: string;
  /** Ids the draft cites (<draft_citations>). */
  draftCitations: string[];
  /** The last user message. */
  userMessage: string;
  /** Tool results sent back since the last user message, in order. */
  toolResults: Array<{ name: string | undefined; content: string }>;
  /** Names of the tools bound to the request. */
  toolNames: string[];
}

export type StubAnswer = (
  | { text: string; chunkSize?: number }
  | { toolCalls: Array<{ name: string; arguments: unknown }> }
  | { status: number; body?: string }
  /** A 200 whose body is sent as is (e.g. malformed JSON). */
  | { raw: string; contentType?: string }
  /** Never answers; the client has to give up. */
  | { hang: true }
) & { delayMs?: number };

export type StubScript = (request: StubRequest) => StubAnswer | Promise<StubAnswer>;

export type StubMode = 'paraphrase' | 'paraphrase-sometimes-invent';

export interface StubServer {
  /** Base URL without /v1, e.g. http://127.0.0.1:4321. */
  url: string;
  /** Every chat-completions request received, in order. */
  requests: StubRequest[];
  /** The stub's own time per answered request (ms, from the request's last byte to the response's end). */
  timings: number[];
  /** Sets the behaviour for the following requests (after any queued answers). */
  script(fn: StubScript): void;
  /** One-shot answers used, in order, before the script. */
  enqueue(...answers: Array<StubAnswer | StubScript>): void;
  /** Forgets requests, timings and queued answers, and goes back to the default behaviour. */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Behaviours.

const textOf = (content: StubMessage['content']): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((p) => p.text ?? '').join('') : '';

/** Rewords a draft lightly, keeping every figure as it is. */
export function rewordDraft(draft: string): string {
  const swaps: Array<[RegExp, string]> = [
    [/您/g, '你'],
    [/可以/g, '能够'],
    [/需要/g, '须'],
    [/建议/g, '最好'],
    [/按照/g, '依照'],
    [/最晚/g, '最迟'],
  ];
  const body = swaps.reduce((text, [from, to]) => text.replace(from, to), draft.trim());
  return `简要来说：${body}`;
}

const citeAll = (ids: readonly string[]) => ids.map((id) => `[${id}]`).join('');

/** A faithful paraphrase of the draft, citing what the draft cites. */
export const paraphrase: StubScript = (request) => ({ text: `${rewordDraft(request.draft)}${citeAll(request.draftCitations)}` });

/** The number an inventing model adds; no tool, entry or message of ours holds it. */
export const INVENTED_FIGURE = '47个工作日';

/** A paraphrase plus a figure nothing backs. */
export const inventNumber: StubScript = (request) => ({
  text: `${rewordDraft(request.draft)}另外，整个流程一般需要${INVENTED_FIGURE}左右。${citeAll(request.draftCitations)}`,
});

/** A paraphrase with the draft's first full date moved by `days` days. */
export function wrongDate(days = 1): StubScript {
  return (request) => ({ text: `${shiftFirstDate(rewordDraft(request.draft), days)}${citeAll(request.draftCitations)}` });
}

/** Moves the first date written as 2026年5月14日 or 2026-05-14 by a number of days. */
export function shiftFirstDate(text: string, days: number): string {
  return text.replace(/(\d{4})(年|-)(\d{1,2})(月|-)(\d{1,2})(日|号)?/, (_m, y: string, s1: string, mo: string, s2: string, d: string, end: string | undefined) => {
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d) + days));
    const yy = date.getUTCFullYear();
    const mm = date.getUTCMonth() + 1;
    const dd = date.getUTCDate();
    return s1 === '年' ? `${yy}年${mm}月${dd}${end ?? '日'}` : `${yy}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
  });
}

/** A paraphrase that also cites an entry it was never given. */
export function citeUnknown(id = 'entry-that-does-not-exist'): StubScript {
  return (request) => ({ text: `${rewordDraft(request.draft)}[${id}]${citeAll(request.draftCitations)}` });
}

/**
 * Calls a tool first, then answers from what it returned: `answer` gets the tool message's content
 * (our JSON output, or "错误：…" for a domain error).
 */
export function callToolThenAnswer(name: string, args: unknown, answer: (toolContent: string, request: StubRequest) => string): StubScript {
  return (request) => {
    const result = request.toolResults.find((r) => r.name === name) ?? request.toolResults[0];
    if (!result) return { toolCalls: [{ name, arguments: args }] };
    return { text: answer(result.content, request) };
  };
}

/** Ways a real model gets figures wrong, each one a sentence no tool, entry or message backs. */
export const INVENTIONS = ['swapped_limits', 'wrong_unit', 'chinese_numerals', 'user_figure_as_rule', 'wrong_weekday'] as const;
export type Invention = (typeof INVENTIONS)[number];

const WEEKDAY_NAMES = '日一二三四五六';

/** A number the user typed (with 个工作日 unless the user gave a unit), or 45 when they typed none. */
function userNumber(message: string): string {
  const n = /(\d+)/.exec(message)?.[1];
  return n && !['5', '10', '15'].includes(n) ? n : '45';
}

/** What an inventing model adds or changes, by kind. */
export function inventionText(kind: Invention, request: Pick<StubRequest, 'draft' | 'userMessage'>): string {
  const body = rewordDraft(request.draft);
  switch (kind) {
    case 'swapped_limits':
      return `${body}另外提醒：转出地5个工作日、转入地10个工作日内办完。`;
    case 'wrong_unit':
      return `${body}一般来说，转出地10个月内办完。`;
    case 'chinese_numerals':
      return `${body}整个流程一般需要四十七个工作日。`;
    case 'user_figure_as_rule':
      return `${body}按规定，整个转移的时限就是${userNumber(request.userMessage)}个工作日。`;
    case 'wrong_weekday': {
      const m = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(body);
      if (!m) return inventionText('chinese_numerals', request);
      const weekday = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
      return body.replace(m[0], `${m[0]}（周${WEEKDAY_NAMES[(weekday + 2) % 7]}）`);
    }
  }
}

/** A stub script that always makes one kind of invention. */
export const inventing =
  (kind: Invention): StubScript =>
  (request) => ({ text: `${inventionText(kind, request)}${citeAll(request.draftCitations)}` });

/** Paraphrases every answer and, for about one request in five (by a hash of the request), invents in one of the ways above. */
export const paraphraseSometimesInvent: StubScript = (request) => {
  const kind = inventionOf(request);
  return kind ? inventing(kind)(request) : paraphrase(request);
};

const digestOf = (request: Pick<StubRequest, 'draft' | 'userMessage'>) => createHash('sha256').update(request.userMessage).update('\u0000').update(request.draft).digest();

/** Whether `paraphrase-sometimes-invent` invents for this request: deterministic, about 1 in 5. */
export function invents(request: Pick<StubRequest, 'draft' | 'userMessage'>): boolean {
  return digestOf(request)[0]! % 5 === 0;
}

/** Which invention `paraphrase-sometimes-invent` makes for this request, if any. */
export function inventionOf(request: Pick<StubRequest, 'draft' | 'userMessage'>): Invention | undefined {
  const digest = digestOf(request);
  return digest[0]! % 5 === 0 ? INVENTIONS[digest[1]! % INVENTIONS.length] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Protocol.

function describeRequest(body: StubRequest['body'], authorization: string | undefined): StubRequest {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const system = messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => textOf(m.content)).join('\n');
  // The tags open a line of their own; the prompt's mentions of them ("<draft> 中是…") do not.
  const draft = /(?:^|\n)<draft>\n([\s\S]*?)\n<\/draft>/.exec(system)?.[1] ?? '';
  const draftCitations = (/(?:^|\n)<draft_citations>([^<\n]*)<\/draft_citations>/.exec(system)?.[1] ?? '').split(/[,\s]+/).filter(Boolean);
  let lastUser = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user') lastUser = i;
  });
  const callNames = new Map<string, string>();
  for (const m of messages) for (const call of m.tool_calls ?? []) callNames.set(call.id, call.function.name);
  const toolResults = messages
    .slice(lastUser + 1)
    .filter((m) => m.role === 'tool')
    .map((m) => ({ name: m.name ?? (m.tool_call_id ? callNames.get(m.tool_call_id) : undefined), content: textOf(m.content) }));
  return {
    body,
    stream: body.stream === true,
    authorization,
    draft,
    draftCitations,
    userMessage: lastUser >= 0 ? textOf(messages[lastUser]!.content) : '',
    toolResults,
    toolNames: (body.tools ?? []).map((t) => t.function.name),
  };
}

let sequence = 0;
const completionId = () => `chatcmpl-stub-${(sequence += 1)}`;

function toolCallsOf(answer: { toolCalls: Array<{ name: string; arguments: unknown }> }) {
  return answer.toolCalls.map((call, index) => ({
    index,
    id: `call_stub_${sequence}_${index}`,
    type: 'function' as const,
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
}

function sendJson(res: ServerResponse, model: string, answer: { text: string } | { toolCalls: Array<{ name: string; arguments: unknown }> }) {
  const id = completionId();
  const message =
    'text' in answer
      ? { role: 'assistant', content: answer.text }
      : { role: 'assistant', content: null, tool_calls: toolCallsOf(answer).map(({ index: _index, ...call }) => call) };
  const body = {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: 'text' in answer ? 'stop' : 'tool_calls' }],
    usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
  };
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sendStream(res: ServerResponse, model: string, answer: ({ text: string; chunkSize?: number }) | { toolCalls: Array<{ name: string; arguments: unknown }> }) {
  const id = completionId();
  const created = Math.floor(Date.now() / 1000);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const event = (delta: Record<string, unknown>, finish: string | null = null) =>
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
  if ('text' in answer) {
    event({ role: 'assistant', content: '' });
    // Small pieces, so citation markers arrive split across chunks as they do from real models.
    const size = answer.chunkSize ?? 4;
    const chars = [...answer.text];
    for (let i = 0; i < chars.length; i += size) event({ content: chars.slice(i, i + size).join('') });
    event({}, 'stop');
  } else {
    const calls = toolCallsOf(answer);
    for (const call of calls) {
      event({ role: 'assistant', content: null, tool_calls: [{ index: call.index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
      const args = call.function.arguments;
      for (let i = 0; i < args.length; i += 8) event({ tool_calls: [{ index: call.index, function: { arguments: args.slice(i, i + 8) } }] });
    }
    event({}, 'tool_calls');
  }
  res.end('data: [DONE]\n\n');
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/**
 * Starts the stub on a free loopback port. `mode` picks the default behaviour: `paraphrase` (the
 * default) or `paraphrase-sometimes-invent` (for the evaluation: the guard must catch the inventions).
 * `delayMs` delays every answer by a fixed time (for the benchmark).
 */
export async function startStubServer(options: { mode?: StubMode; script?: StubScript; delayMs?: number } = {}): Promise<StubServer> {
  const defaultScript: StubScript = options.script ?? (options.mode === 'paraphrase-sometimes-invent' ? paraphraseSometimesInvent : paraphrase);
  let script = defaultScript;
  let queue: Array<StubAnswer | StubScript> = [];
  const requests: StubRequest[] = [];
  const timings: number[] = [];

  const server = createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'stub-model', object: 'model', owned_by: 'stub' }] }));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
        return;
      }
      const text = await readBody(req);
      const started = performance.now();
      let body: StubRequest['body'];
      try {
        body = JSON.parse(text) as StubRequest['body'];
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'invalid JSON body', type: 'invalid_request_error' } }));
        return;
      }
      const request = describeRequest(body, req.headers.authorization);
      requests.push(request);
      const next = queue.shift() ?? script;
      const answer = typeof next === 'function' ? await next(request) : next;
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      else if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const model = body.model ?? 'stub-model';
      if ('hang' in answer) return;
      res.once('finish', () => timings.push(performance.now() - started));
      if ('status' in answer) {
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body ?? JSON.stringify({ error: { message: 'stub failure', type: 'server_error' } }));
      } else if ('raw' in answer) {
        res.writeHead(200, { 'content-type': answer.contentType ?? 'application/json' }).end(answer.raw);
      } else if (request.stream) sendStream(res, model, answer);
      else sendJson(res, model, answer);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: String(err) } }));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    timings,
    script(fn) {
      script = fn;
    },
    enqueue(...answers) {
      queue.push(...answers);
    },
    reset() {
      requests.length = 0;
      timings.length = 0;
      queue = [];
      script = defaultScript;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
