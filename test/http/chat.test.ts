import { internalTextIn } from '../../src/dialogue/guard/internal-text.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isChinese, postJson, startApp, type RunningApp } from '../helpers/app.js';

let server: RunningApp;
beforeAll(async () => {
  server = await startApp();
});
afterAll(async () => server.close());

const chat = (body: unknown, raw = false) => postJson(`${server.url}/v1/chat`, body, raw);

/** Reads an SSE response into its events. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- SSE payloads are arbitrary JSON
async function stream(body: unknown): Promise<{ status: number; events: { event: string; data: any }[] }> {
  const res = await fetch(`${server.url}/v1/chat/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  const events = text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return { event, data: JSON.parse(data) };
    });
  return { status: res.status, events };
}

describe('POST /v1/chat — journey 1: can my balance move from A to B', () => {
  it('asks 职工 or 居民 first, then gives the cross-province verdict with conditions and citations', async () => {
    const first = await chat({ message: '我的医保余额能从烟台转到苏州吗?' });
    expect(first.status).toBe(200);
    expect(first.body.intent).toBe('transfer');
    expect(first.body.slots).toMatchObject({ fromCity: '烟台', toCity: '苏州' });
    expect(first.body.needs).toContain('insuranceType');
    expect(first.body.reply).toMatch(/职工医保.{0,12}还是居民医保.{0,16}？/);
    expect(first.body.answeredBy).toBe('rules');

    const second = await chat({ sessionId: first.body.sessionId, message: '职工医保' });
    expect(second.body.turn).toBe(2);
    expect(second.body.slots.insuranceType).toBe('employee');
    expect(second.body.reply).toMatch(/跨省/);
    expect(second.body.reply).toMatch(/中止参保|停保/);
    expect(second.body.reply).toMatch(/个人账户余额/);
    // Where to go is part of the answer; the hotline only where the person must ask someone.
    expect(second.body.reply).toMatch(/国家医保服务平台/);
    expect(second.body.reply).toMatch(/烟台.{0,4}苏州.{0,8}(经办|窗口)/);
    expect(second.body.reply).not.toMatch(/12333/);
    const ids = second.body.citations.map((c: { id: string }) => c.id);
    expect(ids).toContain('transfer-preconditions');
    // Asked about the balance: the balance answers first, across the question about the scheme.
    expect(second.body.reply).toMatch(/^能转。个人账户余额随医保关系/);
    // The law that the years add up is cited with whichever part says so (reply or details).
    const detailIds = (second.body.detailsCitations ?? []).map((c: { id: string }) => c.id);
    if (/缴费年限累计计算/.test(second.body.reply)) expect(ids).toContain('law-social-insurance-art32-years-cumulate');
    else {
      expect(second.body.details).toMatch(/缴费年限累计计算/);
      expect([...ids, ...detailIds]).toContain('law-social-insurance-art32-years-cumulate');
    }
    for (const c of second.body.citations) {
      expect(c.source.length).toBeGreaterThan(3);
      expect(c.snippet.length).toBeGreaterThan(10);
    }
    expect(second.body.toolCalls.map((t: { name: string }) => t.name)).toContain('transfer_eligibility');
  });

  it('lists only the steps still to be done, and not again when the same move is asked about the money', async () => {
    const first = await chat({ message: '职工医保从重庆转到贵阳，贵阳的单位已经给我参保了，能转吗' });
    expect(first.body.reply).toMatch(/^能转/);
    expect(first.body.reply).toMatch(/中止参保|停保/);
    // Said to be done already: not listed as a step.
    expect(first.body.reply).not.toMatch(/在转入地参加/);
    expect(first.body.reply).toMatch(/国家医保服务平台/);
    const money = await chat({ sessionId: first.body.sessionId, message: '个人账户里的钱也一起过去吗' });
    expect(money.body.reply).toMatch(/^能转。个人账户余额随医保关系/);
    expect(money.body.reply).not.toMatch(/停保|国家医保服务平台/);
    expect(money.body.details).toMatch(/国家医保服务平台/);
  });

  it('resolves a follow-up about dates from the conversation state', async () => {
    const first = await chat({ message: '我从青岛转到南京，职工医保' });
    const follow = await chat({ sessionId: first.body.sessionId, message: '转移申请2026年4月28日受理的，转出地最晚哪天办完？' });
    expect(follow.body.intent).toBe('timeline');
    expect(follow.body.slots).toMatchObject({ fromCity: '青岛', toCity: '南京', acceptedDate: '2026-04-28' });
    expect(follow.body.reply).toMatch(/2026年5月14日/);
    expect(follow.body.reply).toMatch(/2026年5月21日/);
    // Dates are figures with their weekday, e.g. "2026年5月14日（周四）".
    expect(follow.body.figures).toContainEqual({ text: expect.stringMatching(/^2026年5月14日/), source: 'tool:transfer_timeline' });
  });

  it('explains a deadline the user questions instead of taking it as a new acceptance date', async () => {
    const first = await chat({ message: '2026年1月30日受理的，转出地、转入地分别最晚哪天？' });
    expect(first.body.reply).toMatch(/2026年2月27日/);
    const why = await chat({ sessionId: first.body.sessionId, message: '转入地怎么要到2月27日？不是只有5个工作日吗？' });
    expect(why.body.intent).toBe('timeline');
    expect(why.body.slots.acceptedDate).toBe('2026-01-30');
    expect(why.body.reply).toMatch(/^2026年2月27日是[「“]转入地办理转入[」”]的最晚日期/);
    // Everything needed is known: nothing is asked back.
    expect(why.body.needs).toEqual([]);
    expect(why.body.reply).toMatch(/春节 2026-02-15 至 2026-02-23/);
    expect(why.body.reply).not.toMatch(/2026年3月/);
  });
});

describe('POST /v1/chat — figures are traced', () => {
  it('lists every number of the reply among figures, cited snippets or the user message', async () => {
    const res = await chat({ message: '断缴4个月,基数5000,费率7.5%,补多少? 我是职工医保' });
    expect(res.status).toBe(200);
    expect(res.body.reply).toMatch(/1500/);
    expect(res.body.figures.some((f: { text: string; source: string }) => f.text.startsWith('1500') && f.source === 'tool:arrears')).toBe(true);
    const numbers = res.body.reply.match(/\d+(?:\.\d+)?/g) as string[];
    const backing = [...res.body.figures.map((f: { text: string }) => f.text), ...res.body.citations.map((c: { snippet: string }) => c.snippet), '断缴4个月,基数5000,费率7.5%'].join(' ');
    for (const n of numbers) expect(backing).toContain(n);
  });
});

describe('POST /v1/chat — scope and safety', () => {
  it('answers out-of-scope questions with the scope statement', async () => {
    const res = await chat({ message: '讲个笑话' });
    expect(res.body.intent).toBe('out_of_scope');
    expect(res.body.citations[0].id).toBe('scope-what-we-cover');
  });

  it('never echoes an ID number or a phone number', async () => {
    const res = await chat({ message: '我的身份证号110101199003071234，手机13812345678，医保能从青岛转到南京吗' });
    expect(res.status).toBe(200);
    const all = JSON.stringify(res.body);
    expect(all).not.toContain('110101199003071234');
    expect(all).not.toContain('13812345678');
    expect(all).not.toContain('19900307');
  });
});

describe('POST /v1/chat — bad input gets a Chinese 4xx, never a 5xx', () => {
  const cases: [string, unknown, boolean, string][] = [
    ['an empty message', { message: '' }, false, 'EMPTY_MESSAGE'],
    ['a whitespace-only message', { message: '   \n\t ' }, false, 'EMPTY_MESSAGE'],
    ['a message over 1,000 characters', { message: '医'.repeat(1001) }, false, 'MESSAGE_TOO_LONG'],
    ['malformed JSON', '{"message": "你好"', true, 'INVALID_JSON'],
    ['a message of the wrong type', { message: 42 }, false, 'VALIDATION_FAILED'],
    ['a missing message', { sessionId: 'abc' }, false, 'VALIDATION_FAILED'],
    ['a bad sessionId', { sessionId: 'bad id!', message: '你好' }, false, 'INVALID_SESSION_ID'],
    ['a too long sessionId', { sessionId: 'x'.repeat(65), message: '你好' }, false, 'INVALID_SESSION_ID'],
    ['a JSON array body', [1, 2], false, 'BAD_REQUEST'],
  ];
  for (const [name, body, raw, code] of cases) {
    it(`rejects ${name}`, async () => {
      const res = await chat(body, raw);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(code);
      expect(isChinese(res.body.error.message)).toBe(true);
    });
  }

  it('accepts exactly 1,000 characters', async () => {
    const res = await chat({ message: '医'.repeat(1000) });
    expect(res.status).toBe(200);
  });
});

describe('POST /v1/chat/stream', () => {
  it('streams delta events and ends with a done event carrying the full response', async () => {
    const { status, events } = await stream({ message: '医保转移要多久？' });
    expect(status).toBe(200);
    const deltas = events.filter((e) => e.event === 'delta');
    const done = events.at(-1)!;
    expect(deltas.length).toBeGreaterThan(1);
    expect(done.event).toBe('done');
    expect(deltas.map((d) => d.data.text).join('')).toBe(done.data.reply);
    expect(done.data.intent).toBe('timeline');
    expect(done.data.citations.length).toBeGreaterThan(0);
  });

  it('rejects bad input with a JSON 4xx before streaming', async () => {
    const res = await fetch(`${server.url}/v1/chat/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":""}' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('EMPTY_MESSAGE');
  });
});

describe('POST /v1/feedback', () => {
  it('records a thumbs-down on an existing turn and rejects unknown ones', async () => {
    const turn = await chat({ message: '医保热线是多少' });
    const ok = await postJson(`${server.url}/v1/feedback`, { sessionId: turn.body.sessionId, turn: 1, rating: 'down', comment: '不够具体' });
    expect(ok.status).toBe(204);
    const missing = await postJson(`${server.url}/v1/feedback`, { sessionId: turn.body.sessionId, turn: 9, rating: 'up' });
    expect(missing.status).toBe(404);
    expect(isChinese(missing.body.error.message)).toBe(true);
    const bad = await postJson(`${server.url}/v1/feedback`, { sessionId: turn.body.sessionId, turn: 1, rating: 'meh' });
    expect(bad.status).toBe(400);
  });
});

describe('GET /v1/knowledge/search', () => {
  it('finds the entry for a colloquial question and prefers the user’s own city', async () => {
    const res = await fetch(`${server.url}/v1/knowledge/search?q=${encodeURIComponent('断交了还能补交吗')}&k=5`);
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.results.length).toBe(5);
    expect(body.results[0]).toHaveProperty('snippet');
    const nanjing = await (await fetch(`${server.url}/v1/knowledge/search?q=${encodeURIComponent('医保余额转走会打到哪里')}&region=${encodeURIComponent('南京')}`)).json();
    const firstLocal = nanjing.results.find((r: { scope: { level: string } }) => r.scope.level !== 'national');
    if (firstLocal) expect(firstLocal.scope.regions.some((c: string) => c.startsWith('32'))).toBe(true);
  });

  it('rejects an empty query and an unknown region', async () => {
    expect((await fetch(`${server.url}/v1/knowledge/search?q=`)).status).toBe(400);
    expect((await fetch(`${server.url}/v1/knowledge/search?q=abc&region=${encodeURIComponent('火星')}`)).status).toBe(404);
  });
});

describe('health', () => {
  it('is live and ready once the knowledge base is loaded', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await (await fetch(`${server.url}/readyz`)).json();
    expect(ready.ready).toBe(true);
    expect(ready.entries).toBeGreaterThan(100);
  });
});

describe('GET /docs', () => {
  it('documents every route of the contract, with request examples and answeredBy', async () => {
    const res = await fetch(`${server.url}/docs/json`);
    expect(res.status).toBe(200);
    const spec = await res.json();
    const paths = Object.keys(spec.paths);
    for (const path of ['/v1/chat', '/v1/chat/stream', '/v1/feedback', '/v1/knowledge/search', '/healthz', '/readyz', '/metrics'])
      expect(paths).toContain(path);
    for (const route of ['working-days', 'transfer-timeline', 'resolve-region', 'transfer-eligibility', 'arrears', 'payout-eligibility', 'retiree-credit']) {
      const op = spec.paths[`/v1/tools/${route}`]?.post;
      expect(op, route).toBeDefined();
      expect(JSON.stringify(op.requestBody), route).toMatch(/example/);
    }
    const chatOp = spec.paths['/v1/chat'].post;
    expect(JSON.stringify(chatOp.requestBody)).toMatch(/青岛/);
    expect(JSON.stringify(chatOp.responses['200'])).toMatch(/answeredBy/);
  });
});

describe('POST /v1/chat — a value no tool can take is asked again in Chinese', () => {
  it.each([
    ['职工医保断缴1000个月，基数5000，费率7.5%，补多少钱', /断缴月数1000个月超出了可以计算的范围，请确认断缴月数/],
    ['居民医保断了80年，现在交了什么时候能报销', /超出了可以计算的范围，请确认/],
  ])('%s', async (message, expected) => {
    const res = await chat({ message });
    expect(res.status).toBe(200);
    expect(res.body.reply).toMatch(expected);
    // Never the tool's own error text, its field names or codes.
    expect(internalTextIn(res.body.reply)).toEqual([]);
  });
});
