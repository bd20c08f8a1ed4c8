import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { chinaToday } from '../../src/dialogue/chat-engine.js';
import { projectRoot } from '../../src/paths.js';
import { REVIEW_FILE_NAME } from '../../src/review/file-review-store.js';
import { closeRedisClient, createRedisClient, waitForRedis } from '../../src/sessions/redis-client.js';
import { isChinese, postJson, startApp, type RunningApp } from '../helpers/app.js';
import { untilReady } from './until-ready.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const TOKEN = 'review-token-for-tests-0123456789';
const ID_NUMBER = '110101199003071234';
const PHONE = '13812345678';
const scratch = mkdtempSync(join(tmpdir(), 'admin-review-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
async function getJson(url: string, token: string | null = TOKEN): Promise<{ status: number; body: any; headers: Headers; text: string }> {
  const res = await fetch(url, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* CSV, YAML */
  }
  return { status: res.status, body, headers: res.headers, text };
}

async function say(server: RunningApp, message: string, sessionId?: string): Promise<{ sessionId: string; turn: number; intent: string }> {
  const res = await postJson(`${server.url}/v1/chat`, { ...(sessionId ? { sessionId } : {}), message });
  expect(res.status).toBe(200);
  return res.body;
}

describe('operator review API with ADMIN_TOKEN set (local store)', () => {
  let server: RunningApp;
  let thumbsDown: { sessionId: string; turn: number };
  let joke: { sessionId: string };
  const today = chinaToday();

  beforeAll(async () => {
    server = await startApp({ config: { ADMIN_TOKEN: TOKEN, DATA_DIR: join(scratch, 'local'), KB_EDIT_BASE_URL: 'https://git.example.org/yibao/-/edit/main/' } });
    // A transfer conversation whose second answer gets a thumbs-down with a comment.
    const first = await say(server, `医保能从青岛转到南京吗？我身份证${ID_NUMBER}`);
    const second = await say(server, '职工医保', first.sessionId);
    thumbsDown = { sessionId: first.sessionId, turn: second.turn };
    const rated = await postJson(`${server.url}/v1/feedback`, { ...thumbsDown, rating: 'down', comment: `没说要带什么材料，打我电话${PHONE}` });
    expect(rated.status).toBe(204);
    // Out of scope; a place corrected; a question asked again.
    joke = await say(server, '讲个笑话');
    const moving = await say(server, '医保能从青岛转到南京吗？');
    await say(server, '不对，是杭州', moving.sessionId);
    const slow = await say(server, '医保转移要多久');
    await say(server, '医保转移到底要多久？', slow.sessionId);
  });
  afterAll(async () => server?.close());

  it('answers 401 with a Chinese message without the token or with a wrong one', async () => {
    for (const token of [null, 'wrong-token-0123456789', '']) {
      const res = await getJson(`${server.url}/v1/admin/review`, token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
      expect(isChinese(res.body.error.message)).toBe(true);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const basic = await fetch(`${server.url}/v1/admin/review`, { headers: { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
    expect((await getJson(`${server.url}/v1/admin/entries/transfer-preconditions`, null)).status).toBe(401);
  });

  it('lists the thumbs-down with its comment and the conversation before it, and links the cited entries', async () => {
    const { status, body } = await getJson(`${server.url}/v1/admin/review`);
    expect(status).toBe(200);
    const item = body.items.find((i: { sessionId: string; turn: number }) => i.sessionId === thumbsDown.sessionId && i.turn === thumbsDown.turn);
    expect(item).toMatchObject({ reason: 'thumbs_down', rating: 'down', question: '职工医保', intent: 'transfer', comment: '没说要带什么材料，打我电话138****5678' });
    expect(item.context.map((t: { turn: number }) => t.turn)).toEqual([1]);
    expect(item.context[0].question).toBe('医保能从青岛转到南京吗？我身份证110101********1234');
    expect(item.citations).toContain('transfer-preconditions');
    for (const entry of item.entries) {
      expect(existsSync(join(projectRoot, entry.file)), entry.file).toBe(true);
      expect(entry.url).toBe(`https://git.example.org/yibao/-/edit/main/${entry.file}`);
    }
    expect(item.slots).toMatchObject({ fromCity: '青岛', toCity: '南京', insuranceType: 'employee' });
    expect(body.counts).toMatchObject({ thumbs_down: 1, low_confidence: 0, re_asked: 2, model_fallback: 0 });
  });

  it('filters by reason, intent and day', async () => {
    const scope = await getJson(`${server.url}/v1/admin/review?reason=out_of_scope`);
    expect(scope.body.items.map((i: { sessionId: string; question: string }) => [i.sessionId, i.question])).toEqual([[joke.sessionId, '讲个笑话']]);
    expect(scope.body.items[0].entries[0]).toMatchObject({ id: 'scope-what-we-cover', file: 'knowledge/entries/scope/scope-what-we-cover.md' });

    const reAsked = await getJson(`${server.url}/v1/admin/review?reason=re_asked`);
    expect(reAsked.body.items.map((i: { question: string; corrected: string[]; reAsked: boolean }) => [i.question, i.corrected, i.reAsked])).toEqual([
      ['医保转移到底要多久？', [], true],
      ['不对，是杭州', ['to'], false],
    ]);
    expect((await getJson(`${server.url}/v1/admin/review?intent=timeline`)).body.items.map((i: { reason: string }) => i.reason)).toEqual(['re_asked']);

    expect((await getJson(`${server.url}/v1/admin/review?since=${today}&until=${today}`)).body.items).toHaveLength(4);
    expect((await getJson(`${server.url}/v1/admin/review?until=2026-01-01`)).body.items).toEqual([]);
    expect((await getJson(`${server.url}/v1/admin/review?since=2999-01-01T00:00:00%2B08:00&until=2999-01-02`)).body.items).toEqual([]);
    expect((await getJson(`${server.url}/v1/admin/review?limit=1`)).body).toMatchObject({ truncated: true, items: [{}] });
  });

  it('refuses bad filters with a 400 and a Chinese message', async () => {
    for (const query of ['since=2026-02-30', 'until=yesterday', 'since=2026-12-06&until=2026-12-01', 'reason=angry', 'intent=weather', 'limit=0']) {
      const res = await getJson(`${server.url}/v1/admin/review?${query}`);
      expect(res.status, query).toBe(400);
      expect(isChinese(res.body.error.message), query).toBe(true);
    }
  });

  it('exports the same rows as CSV for a spreadsheet', async () => {
    const res = await getJson(`${server.url}/v1/admin/review?format=csv`);
    expect(res.status).toBe(200);
    // fetch's text() drops a byte-order mark, so it is checked on the bytes.
    const bytes = new Uint8Array(await (await fetch(`${server.url}/v1/admin/review?format=csv`, { headers: { authorization: `Bearer ${TOKEN}` } })).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="review-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(res.text.startsWith('时间,会话,轮次,原因')).toBe(true);
    expect(res.text).toContain('没说要带什么材料，打我电话138****5678');
    expect(res.text).toContain('knowledge/entries/scope/scope-what-we-cover.md');
    // Header plus four rows; replies hold line breaks inside quoted cells.
    expect(res.text.split('\r\n').filter(Boolean)).toHaveLength(5);
  });

  it('downloads eval case drafts of the selected conversations, flagged turns marked todo', async () => {
    const res = await getJson(`${server.url}/v1/admin/review/drafts?reason=thumbs_down`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/yaml; charset=utf-8');
    const drafts = parseYaml(res.text);
    expect(drafts.cases).toHaveLength(1);
    expect(drafts.cases[0].turns.map((t: { user: string; todo?: string }) => [t.user, Boolean(t.todo)])).toEqual([
      ['医保能从青岛转到南京吗？我身份证110101********1234', false],
      ['职工医保', true],
    ]);
    const none = await getJson(`${server.url}/v1/admin/review/drafts?until=2026-01-01`);
    expect(none.status).toBe(404);
    expect(isChinese(none.body.error.message)).toBe(true);
  });

  it('shows a cited entry’s file, source and text', async () => {
    const res = await getJson(`${server.url}/v1/admin/entries/scope-what-we-cover`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'scope-what-we-cover', file: 'knowledge/entries/scope/scope-what-we-cover.md' });
    expect(res.body.body.length).toBeGreaterThan(20);
    expect((await getJson(`${server.url}/v1/admin/entries/no-such-entry`)).status).toBe(404);
    expect((await getJson(`${server.url}/v1/admin/entries/Bad_Id`)).status).toBe(400);
  });

  it('masks a session id that holds a phone number, and still puts the rating on its turn', async () => {
    const sessionId = `tel-${PHONE}`;
    // Out of scope (a pension is not medical insurance).
    await say(server, '帮我算算养老金', sessionId);
    expect((await postJson(`${server.url}/v1/feedback`, { sessionId, turn: 1, rating: 'down' })).status).toBe(204);
    const { body } = await getJson(`${server.url}/v1/admin/review?reason=thumbs_down`);
    expect(body.items.map((i: { sessionId: string }) => i.sessionId)).toContain('tel-138****5678');
    // Out of the way of the other tests' counts.
    expect((await postJson(`${server.url}/v1/feedback`, { sessionId, turn: 1, rating: 'up' })).status).toBe(204);
  });

  it('never wrote an ID or phone number the users typed to the store file', async () => {
    await server.app.services.review!.flush();
    const stored = readFileSync(join(scratch, 'local', REVIEW_FILE_NAME), 'utf8');
    expect(stored).toContain('110101********1234');
    expect(stored).not.toContain(ID_NUMBER);
    expect(stored).not.toContain(PHONE);
  });

  it('exports today’s counts in /metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('review_flagged_turns_today{reason="thumbs_down"} 1');
    expect(text).toContain('review_flagged_turns_today{reason="out_of_scope"} 2');
    // Which turns the classifier is unsure of is its own judgement: the count is what /admin lists.
    const unsure = (await getJson(`${server.url}/v1/admin/review?reason=low_confidence&since=${today}&until=${today}`)).body.items.length;
    expect(text).toContain(`review_flagged_turns_today{reason="low_confidence"} ${unsure}`);
    expect(text).toContain('review_flagged_turns_today{reason="re_asked"} 2');
    expect(text).toContain('feedback_total{rating="down"} 2');
  });

  it('documents the routes in OpenAPI with their response schemas and the bearer scheme', async () => {
    const doc = (await getJson(`${server.url}/docs/json`, null)).body;
    const review = doc.paths['/v1/admin/review'].get;
    expect(review.security).toEqual([{ adminToken: [] }]);
    expect(Object.keys(review.responses['200'].content)).toEqual(['application/json', 'text/csv']);
    const schema = review.responses['200'].content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(['items', 'counts', 'truncated']);
    expect(schema.properties.items.items.required).toEqual(
      expect.arrayContaining(['sessionId', 'turn', 'at', 'question', 'reply', 'intent', 'reason', 'citations', 'context', 'entries']),
    );
    expect(doc.paths['/v1/admin/review/drafts'].get.responses['200'].content['text/yaml']).toBeDefined();
    expect(doc.paths['/v1/admin/entries/{id}'].get.responses['200'].content['application/json'].schema.properties.file).toBeDefined();
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('operator review with ADMIN_TOKEN unset', () => {
  it('has no page and no API (404), and records nothing', async () => {
    const dataDir = join(scratch, 'unset');
    const server = await startApp({ config: { DATA_DIR: dataDir } });
    try {
      await say(server, '讲个笑话');
      for (const path of ['/admin', '/admin/', '/admin/admin.js', '/v1/admin/review', '/v1/admin/review/drafts']) {
        const res = await getJson(`${server.url}${path}`);
        expect(res.status, path).toBe(404);
      }
      expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
      expect(await (await fetch(`${server.url}/metrics`)).text()).not.toMatch(/review_flagged_turns_today\{/);
    } finally {
      await server.close();
    }
  });

  it('refuses a token too short to be a secret at start-up', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN.*16/);
    expect(loadConfig({ ADMIN_TOKEN: '' }).ADMIN_TOKEN).toBeUndefined();
  });
});

describe('operator review on Redis', () => {
  let redis: RedisServer;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedisServer();
    client = createRedisClient(redis.url, { info: () => {}, warn: () => {} });
    expect(await waitForRedis(client, 5000)).toBe(true);
  });
  afterAll(async () => {
    await closeRedisClient(client);
    await redis?.stop();
  });

  it('is shared by two instances, and Redis holds no ID or phone number the users typed', async () => {
    const dataDir = join(scratch, 'redis');
    const config = { ADMIN_TOKEN: TOKEN, REDIS_URL: redis.url, DATA_DIR: dataDir };
    const [one, two] = [await startApp({ config }), await startApp({ config })];
    try {
      await untilReady(one);
      await untilReady(two);
      const first = await say(one, `我叫王小明，手机${PHONE}，讲个笑话`);
      const rated = await postJson(`${two.url}/v1/feedback`, { sessionId: first.sessionId, turn: 1, rating: 'down', comment: `身份证 ${ID_NUMBER}` });
      expect(rated.status).toBe(204);
      const listed = await getJson(`${one.url}/v1/admin/review`);
      expect(listed.body.items).toHaveLength(1);
      // The classifier may also be unsure of a joke wrapped in a name and a phone number (low_confidence).
      expect(listed.body.items[0]).toMatchObject({ question: '我叫**，手机138****5678，讲个笑话', comment: '身份证 110101********1234' });
      expect(listed.body.items[0].reasons.slice(0, 2)).toEqual(['thumbs_down', 'out_of_scope']);

      const keys = await client.keys('*');
      expect(keys.some((k) => k.startsWith('yb:review:'))).toBe(true);
      const dump: string[] = [];
      for (const key of keys) {
        const type = await client.type(key);
        if (type === 'string') dump.push(key, (await client.get(key)) ?? '');
        else if (type === 'zset') dump.push(key, ...(await client.zrange(key, 0, '-1')));
        else if (type === 'hash') dump.push(key, ...Object.entries(await client.hgetall(key)).flat());
        else dump.push(key, type);
      }
      const all = dump.join('\n');
      expect(all).toContain('138****5678');
      expect(all).not.toContain(PHONE);
      expect(all).not.toContain(ID_NUMBER);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
