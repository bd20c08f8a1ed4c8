import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { ChatResponse } from '../../src/dialogue/response.js';

export type TurnResponse = ChatResponse & { replace?: boolean };

export interface RunningModelApp {
  app: FastifyInstance;
  url: string;
  chat(message: string, sessionId?: string): Promise<TurnResponse>;
  stream(message: string, sessionId?: string): Promise<{ deltas: string[]; done: TurnResponse; events: string[] }>;
  /** Current value of a counter line in GET /metrics, e.g. `model_fallbacks_total{reason="timeout"}`. */
  counter(series: string): Promise<number>;
  close(): Promise<void>;
}

/** The OPENAI_* settings that point the service at a stub. */
export const modelSettings = (stubUrl: string) => ({
  OPENAI_BASE_URL: `${stubUrl}/v1`,
  OPENAI_API_KEY: 'sk-local',
  OPENAI_MODEL: 'stub-model',
  LLM_TIMEOUT_MS: 1500,
});

/**
 * The real service, listening on a free port, with the model path pointed at `stubUrl` through
 * the same OPENAI_* settings a deployment uses (services.ts builds the rewriter from them).
 */
export async function startModelApp(stubUrl: string, extra: Record<string, string | number> = {}): Promise<RunningModelApp> {
  const settings = { ...modelSettings(stubUrl), ...extra };
  const config = loadConfig(Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])));
  const app = await buildApp({ config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return wrap(app, `http://127.0.0.1:${port}`);
}

/** Talks to a listening app over HTTP. */
export function wrap(app: FastifyInstance, url: string): RunningModelApp {
  const post = (path: string, message: string, sessionId?: string) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, ...(sessionId ? { sessionId } : {}) }) });
  return {
    app,
    url,
    async chat(message, sessionId) {
      const res = await post('/v1/chat', message, sessionId);
      if (res.status !== 200) throw new Error(`POST /v1/chat → ${res.status}: ${await res.text()}`);
      return (await res.json()) as TurnResponse;
    },
    async stream(message, sessionId) {
      const res = await post('/v1/chat/stream', message, sessionId);
      if (!res.headers.get('content-type')?.startsWith('text/event-stream')) throw new Error(`not an event stream: ${res.status}`);
      const text = await res.text();
      const deltas: string[] = [];
      const events: string[] = [];
      let done: TurnResponse | undefined;
      for (const block of text.split('\n\n')) {
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (!event || data === undefined) continue;
        events.push(event);
        if (event === 'delta') deltas.push((JSON.parse(data) as { text: string }).text);
        if (event === 'done') done = JSON.parse(data) as TurnResponse;
      }
      if (!done) throw new Error(`stream ended without done: ${text.slice(0, 300)}`);
      return { deltas, done, events };
    },
    async counter(series) {
      const text = await (await fetch(`${url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line ? Number(line.slice(series.length + 1)) : 0;
    },
    close: () => app.close(),
  };
}
