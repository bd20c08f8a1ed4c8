import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../helpers/app.js';
import { untilReady } from './until-ready.js';

/**
 * /docs as an integrator reads it: every route documents every status it answers, with a schema
 * and an example, and what the routes really answer — for good input and for each kind of bad
 * input — is a documented status whose schema the body matches.
 */

interface MediaType {
  schema?: Record<string, unknown>;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  responses: Record<string, { description?: string; content?: Record<string, MediaType> }>;
}
type Paths = Record<string, Record<string, Operation>>;

interface Probe {
  /** What the request is, in words (shown when it fails). */
  what: string;
  status: number;
  query?: string;
  /** A JSON body, or a raw string with its content type. */
  body?: unknown;
  raw?: { text: string; type: string };
}

const big = 'x'.repeat(70 * 1024);
/** Bad requests every JSON POST route turns away the same way. */
const badJson: Probe[] = [
  { what: 'malformed JSON', status: 400, raw: { text: '{"message": ', type: 'application/json' } },
  { what: 'a body over 64 KB', status: 413, raw: { text: JSON.stringify({ message: big }), type: 'application/json' } },
  { what: 'a form body', status: 415, raw: { text: 'message=hi', type: 'application/x-www-form-urlencoded' } },
];

/** For each documented operation: requests and the status each must get. */
const probes: Record<string, Probe[]> = {
  'GET /healthz': [{ what: 'liveness', status: 200 }],
  'GET /readyz': [{ what: 'readiness', status: 200 }],
  'GET /metrics': [{ what: 'metrics', status: 200 }],
  'POST /v1/tools/working-days': [
    { what: 'add', status: 200, body: { op: 'add', start: '2026-04-28', days: 10 } },
    { what: 'check', status: 200, body: { op: 'check', date: '2026-10-10' } },
    { what: 'negative days', status: 400, body: { op: 'add', start: '2026-04-28', days: -1 } },
    { what: 'a year without a holiday schedule', status: 422, body: { op: 'add', start: '2031-04-28', days: 3 } },
    ...badJson,
  ],
  'POST /v1/tools/transfer-timeline': [
    { what: 'an acceptance date', status: 200, body: { acceptedDate: '2026-04-28' } },
    { what: 'no date at all', status: 400, body: {} },
    { what: 'a year without a holiday schedule', status: 422, body: { acceptedDate: '2031-04-28' } },
    ...badJson,
  ],
  'POST /v1/tools/resolve-region': [
    { what: 'a county-level city', status: 200, body: { name: '昆山' } },
    { what: 'no name', status: 400, body: {} },
    { what: 'an unknown place', status: 404, body: { name: '火星' } },
    { what: 'an ambiguous name', status: 409, body: { name: '朝阳' } },
    ...badJson,
  ],
  'POST /v1/tools/transfer-eligibility': [
    { what: 'two cities', status: 200, body: { from: '烟台', to: '苏州', insuranceType: 'employee', retired: false } },
    { what: 'a number for a place', status: 400, body: { from: 5, to: '苏州' } },
    { what: 'an unknown place', status: 404, body: { from: '火星', to: '苏州' } },
    { what: 'an ambiguous place', status: 409, body: { from: '朝阳', to: '苏州' } },
    ...badJson,
  ],
  'POST /v1/tools/arrears': [
    { what: 'a 4-month gap with base and rate', status: 200, body: { insuranceType: 'employee', gapMonths: 4, base: 5000, rate: 7.5 } },
    { what: 'a negative gap', status: 400, body: { insuranceType: 'employee', gapMonths: -1 } },
    ...badJson,
  ],
  'POST /v1/tools/payout-eligibility': [
    { what: 'emigration from 武汉', status: 200, body: { situation: 'emigration', city: '武汉' } },
    { what: 'an unknown situation', status: 400, body: { situation: 'lottery' } },
    { what: 'an unknown city', status: 404, body: { situation: 'emigration', city: '火星' } },
    { what: 'an ambiguous city', status: 409, body: { situation: 'emigration', city: '朝阳' } },
    ...badJson,
  ],
  'POST /v1/tools/retiree-credit': [
    { what: '深圳', status: 200, body: { city: '深圳' } },
    { what: 'a number for a city', status: 400, body: { city: 3 } },
    { what: 'an unknown city', status: 404, body: { city: '火星' } },
    { what: 'an ambiguous city', status: 409, body: { city: '朝阳' } },
    ...badJson,
  ],
  'GET /v1/knowledge/search': [
    { what: 'a question', status: 200, query: `q=${encodeURIComponent('医保转移要多久')}&k=3` },
    { what: 'a question and a region', status: 200, query: `q=${encodeURIComponent('家庭共济')}&region=${encodeURIComponent('南京')}` },
    { what: 'an empty question', status: 400, query: 'q=' },
    { what: 'k out of range', status: 400, query: 'q=x&k=99' },
    { what: 'an unknown region', status: 404, query: `q=x&region=${encodeURIComponent('火星')}` },
  ],
  'POST /v1/chat': [
    { what: 'a question', status: 200, body: { message: '我的医保余额能从青岛转到南京吗？' } },
    { what: 'an empty message', status: 400, body: { message: '   ' } },
    { what: 'a bad session id', status: 400, body: { sessionId: 'a b', message: '你好' } },
    ...badJson,
  ],
  'POST /v1/chat/stream': [
    { what: 'a question', status: 200, body: { message: '转移要多长时间？' } },
    { what: 'a missing message', status: 400, body: {} },
    ...badJson,
  ],
  'POST /v1/feedback': [
    { what: 'a rating of an answered turn', status: 204, body: { sessionId: 'docs-walk', turn: 1, rating: 'up' } },
    { what: 'a rating that is neither up nor down', status: 400, body: { sessionId: 'docs-walk', turn: 1, rating: 'meh' } },
    { what: 'a turn the session does not have', status: 404, body: { sessionId: 'docs-walk', turn: 9, rating: 'down' } },
    ...badJson,
  ],
};

async function send(url: string, method: string, path: string, probe: Probe): Promise<{ status: number; type: string; text: string }> {
  const init: RequestInit = { method };
  if (probe.raw) init.body = probe.raw.text;
  else if (probe.body !== undefined) init.body = JSON.stringify(probe.body);
  if (init.body !== undefined) init.headers = { 'content-type': probe.raw?.type ?? 'application/json' };
  const res = await fetch(`${url}${path}${probe.query ? `?${probe.query}` : ''}`, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

let server: RunningApp;
let limited: RunningApp;
let paths: Paths;
beforeAll(async () => {
  server = await startApp({ config: { RATE_LIMIT_MAX: 100_000 } });
  limited = await startApp({ config: { RATE_LIMIT_MAX: 1 } });
  await untilReady(server);
  await untilReady(limited);
  paths = ((await (await fetch(`${server.url}/docs/json`)).json()) as { paths: Paths }).paths;
  // The feedback probes rate turn 1 of this session.
  await fetch(`${server.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: 'docs-walk', message: '你好' }) });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await limited?.close();
});

const operations = () => Object.entries(paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, method: method.toUpperCase(), op })));

describe('OpenAPI document at /docs/json', () => {
  it('lists every route with a probe here, and no route without one', () => {
    expect(operations().map((o) => o.key).sort()).toEqual(Object.keys(probes).sort());
  });

  it('gives every status of every route a description, and every body a schema and an example', () => {
    for (const { key, op } of operations()) {
      expect(Object.keys(op.responses).some((s) => s.startsWith('2')), key).toBe(true);
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.description, `${key} ${status}`).toBeTruthy();
        if (status === '204') {
          expect(response.content, `${key} 204 has no body`).toBeUndefined();
          continue;
        }
        const media = Object.values(response.content ?? {});
        expect(media.length, `${key} ${status}`).toBeGreaterThan(0);
        for (const m of media) {
          expect(m.schema, `${key} ${status}`).toBeDefined();
          expect(m.example !== undefined || Object.keys(m.examples ?? {}).length > 0, `${key} ${status} example`).toBe(true);
        }
      }
    }
  });

  it('documents feedback as 204 and the stream as text/event-stream with its delta, done and error events', () => {
    expect(Object.keys(paths['/v1/feedback']!.post!.responses)).toContain('204');
    expect(paths['/v1/feedback']!.post!.responses['200']).toBeUndefined();
    const stream = paths['/v1/chat/stream']!.post!.responses['200']!;
    expect(Object.keys(stream.content!)).toEqual(['text/event-stream']);
    for (const event of ['delta', 'done', 'error', 'replace']) expect(stream.description).toContain(event);
  });

  it('answers good and bad input only with documented statuses, with bodies that match their schemas', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const failures: string[] = [];
    for (const { key, path, method, op } of operations()) {
      const seen = new Set<string>();
      for (const probe of probes[key] ?? []) {
        const res = await send(server.url, method, path, probe);
        const where = `${key} with ${probe.what}`;
        seen.add(String(res.status));
        if (res.status !== probe.status) failures.push(`${where}: got ${res.status}, expected ${probe.status}`);
        const documented = op.responses[String(res.status)];
        if (!documented) {
          failures.push(`${where}: status ${res.status} is not documented`);
          continue;
        }
        if (res.status === 204) {
          if (res.text !== '') failures.push(`${where}: 204 with a body`);
          continue;
        }
        const mediaType = Object.keys(documented.content ?? {}).find((t) => res.type.startsWith(t));
        if (!mediaType) {
          failures.push(`${where}: content type ${res.type} is not documented for ${res.status}`);
          continue;
        }
        if (mediaType === 'application/json') {
          const validate = ajv.compile(documented.content![mediaType]!.schema!);
          if (!validate(JSON.parse(res.text))) failures.push(`${where}: body does not match the ${res.status} schema: ${ajv.errorsText(validate.errors)}`);
        }
        if (mediaType === 'text/event-stream' && !/event: done\ndata: \{/.test(res.text)) failures.push(`${where}: no done event`);
      }
      // Rate limiting: the second request from the same client within the minute.
      if (op.responses['429']) {
        const probe = (probes[key] ?? [])[0]!;
        await send(limited.url, method, path, probe);
        const res = await send(limited.url, method, path, probe);
        seen.add(String(res.status));
        if (res.status !== 429) failures.push(`${key} over the rate limit: got ${res.status}`);
        else if (!ajv.compile(op.responses['429'].content!['application/json']!.schema!)(JSON.parse(res.text))) failures.push(`${key} 429 body does not match`);
      }
      // Every documented status was produced by some request above, except load shedding
      // (503), which needs an overloaded process (test/reliability covers it).
      for (const status of Object.keys(op.responses)) if (status !== '503' && !seen.has(status)) failures.push(`${key}: documented ${status} was never answered`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
