import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startApp, type RunningApp } from '../helpers/app.js';

// Back-pay, payout and retiree-credit answers over real HTTP, as a phone client sees them: the
// first line answers, the rest waits behind `details` (and "详细"), figures name their source.

let server: RunningApp;
beforeAll(async () => {
  server = await startApp();
});
afterAll(async () => server.close());

interface Reply {
  sessionId: string;
  reply: string;
  details?: string;
  needs: string[];
  citations: { id: string }[];
  figures: { text: string; source: string }[];
}

async function say(message: string, sessionId?: string): Promise<Reply> {
  const res = await postJson(`${server.url}/v1/chat`, { message, ...(sessionId ? { sessionId } : {}) });
  expect(res.status).toBe(200);
  return res.body as Reply;
}

describe('POST /v1/chat — money answers', () => {
  it('an amount from the person\'s own figures: the sum in the first line, its figures sourced to the tool or the user', async () => {
    const r = await say('医保断了三个月没交 缴费基数是五千二 费率百分之八 要补多少钱');
    expect(r.reply.split('\n')[0]).toContain('3 × 5200 × 8% = 1248元');
    expect(r.figures.find((f) => f.text.includes('1248'))?.source).toBe('tool:arrears');
    expect(r.needs).toEqual([]);
  });

  it('the rule in full and the late fee wait in `details`, and "详细" returns them', async () => {
    const first = await say('去年从福州调到厦门 中间职工医保断了一个月 补上以后什么时候能报销');
    expect(first.reply.split('\n')[0]).toMatch(/缴费当月[^。]*追溯/);
    expect(first.details).toMatch(/滞纳金/);
    expect(first.reply).not.toMatch(/滞纳金/);
    const more = await say('详细', first.sessionId);
    expect(more.reply).toMatch(/滞纳金/);
  });

  it.each([
    '从泉州换到福州那边上班了 中间断了一个多月 要补吗 补完多久能报',
    '泉州换到厦门上班 中间空了一个月 补缴按哪边算 补了哪个月开始能用',
    '厦门的医保空了三个月 补交的话按什么标准 补了以后哪个月开始报销',
  ])('a gap question in a province whose only verified gap rule is for 居民医保 asks the scheme first, showing no rule of one scheme: "%s"', async (message) => {
    const r = await say(message);
    expect(r.needs).toContain('insuranceType');
    expect(r.reply).toMatch(/职工医保还是居民医保/);
    expect(r.reply).not.toMatch(/集中参保期|闽政办/);
    // Nor is a generic word it shares with an entry read as a question of another journey.
    expect(r.reply).not.toMatch(/划入|养老金/);
  });

  it('a local rule known only from a report, given before the scheme is known, says first that it is a report', async () => {
    const r = await say('泉州换到厦门上班 中间空了一个月 补缴按哪边算 补了哪个月开始能用');
    expect(r.reply).toMatch(/^据当地报道或办事指南（非正式文件）：福建/);
    expect(r.citations.map((c) => c.id)).toContain('continuity-fujian-example');
  });

  it('a payout for money leaving one city never shows the rule of the city it moves into', async () => {
    const r = await say('我从成都调到南京工作了 成都医保个人账户里的钱能提出来吗');
    expect(r.reply.split('\n')[0]).toMatch(/^不能取现/);
    expect(`${r.reply}\n${r.details ?? ''}`).not.toMatch(/市民卡|南京市的做法/);
    expect(r.citations.map((c) => c.id)).not.toContain('payout-nanjing-citizen-card');
  });

  it('a retiree\'s monthly credit for a named city: no yuan figure, the national rule, where to ask', async () => {
    const r = await say('武汉退休工人医保卡每个月打进来多少钱');
    expect(r.reply.split('\n')[0]).toMatch(/^武汉[^。]*没有核实到/);
    expect(r.reply).toMatch(/2%左右/);
    expect(r.reply).not.toMatch(/\d+\s*(元|块)/);
  });
});
