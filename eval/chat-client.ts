import type { BuildAppOptions } from '../src/app.js';

/** One request to POST /v1/chat: a JSON value, or a raw body sent as JSON (malformed input). */
export type ChatRequestBody = { json: unknown } | { raw: string };

export interface ChatExchange {
  status: number;
  /** Parsed response body, when it was JSON. */
  json: unknown;
  /** Response body as text. */
  text: string;
  /** Time from sending the request to having the whole response, in milliseconds. */
  latencyMs: number;
}

/** Where the evaluation sends its turns. */
export interface ChatTarget {
  /** `in-process` or the base URL. */
  readonly description: string;
  send(body: ChatRequestBody): Promise<ChatExchange>;
  close(): Promise<void>;
}

const CHAT_PATH = '/v1/chat';
const MAX_RATE_LIMIT_RETRIES = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Retries a request the service rate-limited (429): that is the limiter speaking, not an answer.
 * Waits for `retry-after` seconds (at most 60) or one second.
 */
async function withRateLimitRetry(
  attempt: () => Promise<ChatExchange & { retryAfter?: string | undefined }>,
): Promise<ChatExchange> {
  for (let i = 0; ; i++) {
    const result = await attempt();
    if (result.status !== 429 || i >= MAX_RATE_LIMIT_RETRIES) {
      const { retryAfter: _ignored, ...exchange } = result;
      return exchange;
    }
    const seconds = Number(result.retryAfter);
    await sleep(Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : 1000);
  }
}

const bodyText = (body: ChatRequestBody) => ('raw' in body ? body.raw : JSON.stringify(body.json));

/** Sends turns to a running service over HTTP. */
export function httpTarget(baseUrl: string, timeoutMs = 30_000): ChatTarget {
  const url = new URL(CHAT_PATH, baseUrl).toString();
  return {
    description: baseUrl,
    send: (body) =>
      withRateLimitRetry(async () => {
        const started = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: bodyText(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        const latencyMs = performance.now() - started;
        return { status: res.status, json: parseJson(text), text, latencyMs, retryAfter: res.headers.get('retry-after') ?? undefined };
      }),
    close: async () => {},
  };
}

/**
 * Builds the app in this process (imported lazily, so the harness loads without it) and sends
 * turns through `app.inject`. The rate limit is lifted: the evaluation replays hundreds of turns
 * from one client.
 */
export async function inProcessTarget(options: BuildAppOptions = {}): Promise<ChatTarget> {
  const { buildApp } = await import('../src/app.js');
  const app = await buildApp({
    logger: false,
    ...options,
    config: { RATE_LIMIT_MAX: 1_000_000, LOG_LEVEL: 'silent', ...options.config },
  });
  await app.ready();
  return {
    description: 'in-process',
    send: (body) =>
      withRateLimitRetry(async () => {
        const started = performance.now();
        const res = await app.inject({
          method: 'POST',
          url: CHAT_PATH,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          payload: bodyText(body),
        });
        const latencyMs = performance.now() - started;
        const retryAfter = res.headers['retry-after'];
        return {
          status: res.statusCode,
          json: parseJson(res.body),
          text: res.body,
          latencyMs,
          retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
        };
      }),
    close: () => app.close(),
  };
}
