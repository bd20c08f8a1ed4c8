import fc from 'fast-check';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../helpers/app.js';

/**
 * Property: nothing a client sends yields a 5xx. fast-check generates bodies for every POST route
 * and query strings for the search route (valid shapes, wrong types, bodies up to the 64 KB
 * limit, lone surrogates and right-to-left marks, prototype-pollution keys, deep nesting, arrays,
 * null, wrong content types) and sends each over real HTTP on keep-alive connections.
 */

const BODY_LIMIT = 64 * 1024;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
let running: RunningApp;
let toolRoutes: string[] = [];
const statuses = new Map<number, number>();
let sent = 0;
const serverErrors: string[] = [];

beforeAll(async () => {
  running = await startApp({ config: { RATE_LIMIT_MAX: 10_000_000 } });
  toolRoutes = running.app.services.tools.map((t) => `/v1/tools/${t.route}`);
});
afterAll(async () => {
  console.log(
    `[fuzz] requests sent: ${sent}; 5xx: ${serverErrors.length}; statuses: ${[...statuses.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`,
  );
  await running?.close();
  agent.destroy();
});

async function send(method: 'GET' | 'POST', path: string, body?: string, contentType: string | null = 'application/json'): Promise<number> {
  const headers: Record<string, string | number> = {};
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  if (payload) headers['content-length'] = payload.length;
  if (contentType !== null && payload) headers['content-type'] = contentType;
  const attempt = () =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${running.url}${path}`, { method, headers, agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
      // The server closes a connection after answering 431/413 early; a request that raced onto
      // that pooled socket is retried once, as HTTP clients do for idempotent reuse failures.
      req.on('error', (err: NodeJS.ErrnoException) => reject(Object.assign(err, { reused: req.reusedSocket })));
      req.end(payload);
    });
  const status = await attempt().catch((err: NodeJS.ErrnoException & { reused?: boolean }) => {
    if (err.code === 'ECONNRESET' && err.reused) return attempt();
    throw err;
  });
  sent += 1;
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  if (status >= 500) serverErrors.push(`${method} ${path} ${status} ${(body ?? '').slice(0, 300)}`);
  return status;
}

// ---- arbitraries ------------------------------------------------------------------------------

const oddText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }), // includes lone surrogates
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    '\u202e\u05d0\u05d1\u202c医保',
    '\ud800',
    '\udfff转移',
    '\u0000\u0001\u001f',
    '\ufeff',
    '我叫张三，身份证110101199003071234，电话13812345678',
    '   ',
    '',
    '医保能从青岛转到南京吗',
    '2026-04-28',
    '2026-02-30',
    '9999-99-99',
    '昆山',
    'add',
    'count',
    'up',
    'down',
    'toString',
    '__proto__',
  ),
  fc.integer({ min: 1, max: BODY_LIMIT + 4096 }).map((n) => '转'.repeat(Math.ceil(n / 3))), // up to and over the limit (3 bytes each)
);

const scalar = fc.oneof(
  oddText,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53, Number.MAX_SAFE_INTEGER, 100_000, 100_001),
  fc.boolean(),
  fc.constant(null),
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 4 })),
})).v;

const KNOWN_KEYS = ['message', 'sessionId', 'turn', 'rating', 'comment', 'op', 'start', 'days', 'from', 'to', 'acceptedDate', 'infoSheetReceivedDate', 'name', 'insuranceType', 'retired', 'gapMonths', 'base', 'rate', 'months', 'region', 'year', 'city', 'province', 'toInsuranceType', 'reason'];

/** An object with the routes' own field names, values of any type. */
const shaped = fc.dictionary(fc.constantFrom(...KNOWN_KEYS), fc.oneof(scalar, value), { maxKeys: 6 });

const validChat = fc.record(
  { sessionId: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), message: fc.string({ minLength: 1, maxLength: 200 }) },
  { requiredKeys: ['message'] },
);

const pollution = fc.constantFrom(
  '{"__proto__":{"polluted":true},"message":"医保"}',
  '{"message":"医保","constructor":{"prototype":{"polluted":true}}}',
  '{"prototype":{"x":1},"message":"医保"}',
  '{"sessionId":"a","message":"x","__proto__":null}',
  '{"op":"add","start":"2026-04-28","days":10,"__proto__":{"days":-1}}',
  '{"name":{"constructor":{"prototype":{"toString":1}}}}',
);

const nesting = fc.integer({ min: 10, max: 20_000 }).chain((depth) =>
  fc.constantFrom('[', '{"a":').map((open) => (open === '[' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth))),
);

const garbage = fc.oneof(
  fc.constantFrom('', 'null', 'true', '0', '"text"', '[]', '{', '{"message":', '{"message":"a"}}', 'undefined', 'NaN', '{"message":"\\ud800"}', '{"message":"\\u0000"}'),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** A body as sent on the wire, with the content type it is sent with. */
const body = fc.record({
  text: fc.oneof(
    { weight: 3, arbitrary: shaped.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: validChat.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: pollution },
    { weight: 1, arbitrary: nesting },
    { weight: 1, arbitrary: garbage },
  ),
  contentType: fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data') },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
});

const query = fc.oneof(
  fc.dictionary(fc.constantFrom('q', 'k', 'region', 'x', '__proto__'), fc.oneof(oddText.filter((s) => s.length < 3000), fc.integer().map(String)), { maxKeys: 4 }).map((d) => new URLSearchParams(d).toString()),
  fc.constantFrom('q=%', 'q=%ZZ', 'q=%ED%A0%80', 'q=a&q=b&k=1&k=2', 'k=1e3&q=x', 'q=%00', 'region=%E6%98%86%E5%B1%B1&q=%E8%BD%AC%E7%A7%BB', '__proto__[x]=1&q=a', 'q[]=1&q[a]=2'),
);

// ---- properties -------------------------------------------------------------------------------

const noServerError = (status: number) => status < 500;

describe('fuzzing every client-facing route', () => {
  it('never answers POST /v1/chat, /v1/chat/stream or /v1/feedback with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v1/chat', '/v1/chat/stream', '/v1/feedback'), body, async (path, b) => noServerError(await send('POST', path, b.text, b.contentType))),
      { numRuns: 900, seed: 20260428 },
    );
    expect(serverErrors).toEqual([]);
  }, 180_000);

  it('never answers a POST /v1/tools/* route with a 5xx', async () => {
    expect(toolRoutes.length).toBeGreaterThanOrEqual(7);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...toolRoutes), body, async (path, b) => noServerError(await send('POST', path, b.text, b.contentType))),
      { numRuns: 900, seed: 20260429 },
    );
    expect(serverErrors).toEqual([]);
  }, 180_000);

  it('never answers GET /v1/knowledge/search with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (q) => noServerError(await send('GET', `/v1/knowledge/search?${q}`))),
      { numRuns: 300, seed: 20260430 },
    );
    expect(serverErrors).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(2000);
  }, 120_000);
});
