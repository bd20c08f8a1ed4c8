import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startApp, type RunningApp } from '../helpers/app.js';

let server: RunningApp;
beforeAll(async () => {
  server = await startApp();
});
afterAll(async () => server.close());

const chat = (body: unknown) => postJson(`${server.url}/v1/chat`, body);
const tool = (route: string, body: unknown) => postJson(`${server.url}/v1/tools/${route}`, body);

/** Sum of figure_guard_rejections_total over its label sets. */
async function guardRejections(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('figure_guard_rejections_total'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

const provisionalSentence = '2027年的放假调休安排还没公布，暂按法定节假日推算，实际可能相差几天';

describe('POST /v1/tools — dates past the last holiday notice are provisional, not refused', () => {
  it('working-days: 2026-12-20 + 10 working days → 2027-01-04, provisional, with the reason', async () => {
    const res = await tool('working-days', { op: 'add', start: '2026-12-20', days: 10 });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({
      date: '2027-01-04',
      provisional: true,
      provisionalReason: `${provisionalSentence}。`,
      skipped: [{ date: '2027-01-01', holiday: '元旦' }],
    });
  });

  it('transfer-timeline from 2026-12-20: both deadlines in January 2027, each marked provisional', async () => {
    const res = await tool('transfer-timeline', { acceptedDate: '2026-12-20' });
    expect(res.status).toBe(200);
    const { stages, latest, provisional, provisionalReason } = res.body.result;
    expect(stages.map((s: { id: string; deadline: string | null; provisional: boolean }) => [s.id, s.deadline, s.provisional])).toEqual([
      ['transfer-out', '2027-01-04', true],
      ['transfer-in', '2027-01-11', true],
      ['balance-credit', null, false],
    ]);
    expect([latest, provisional, provisionalReason]).toEqual(['2027-01-11', true, `${provisionalSentence}。`]);
  });
});

describe('POST /v1/chat — "最晚哪天办完" for an acceptance in late December 2026', () => {
  it.each([
    '转出地2026年12月20号受理的，最晚哪天办完？',
    '2026年12月20日受理的转移，转出地和转入地最晚哪天？',
    '我的医保转移申请2026-12-20受理的，什么时候能办完',
    '医保关系转移，2026年12月20日申请受理，转出转入最晚各到哪天？',
  ])('「%s」 gives both dates, each marked provisional in words, and passes the figure guard', async (message) => {
    const rejectedBefore = await guardRejections();
    const res = await chat({ message });
    expect(res.status).toBe(200);
    expect(res.body.intent).toBe('timeline');
    expect(res.body.slots.acceptedDate).toBe('2026-12-20');
    const reply: string = res.body.reply;
    expect(reply).toMatch(/转出地[^；\n]*暂定最晚2027年1月4日/);
    expect(reply).toMatch(/转入地[^；\n]*暂定最晚2027年1月11日/);
    expect(reply).toContain(provisionalSentence);
    // Dates are figures with their weekday, e.g. "2027年1月4日（周一）".
    expect(res.body.figures).toContainEqual({ text: expect.stringMatching(/^2027年1月4日/), source: 'tool:transfer_timeline' });
    expect(res.body.figures).toContainEqual({ text: expect.stringMatching(/^2027年1月11日/), source: 'tool:transfer_timeline' });
    expect(res.body.citations.map((c: { id: string }) => c.id)).toContain('calendar-provisional-statutory-holidays');
    const call = res.body.toolCalls.find((c: { name: string }) => c.name === 'transfer_timeline');
    expect(call.output).toMatchObject({ provisional: true, latest: '2027-01-11' });
    // A reply the guard had rejected would have been replaced by the safe answer, without the dates.
    expect(await guardRejections()).toBe(rejectedBefore);
  });

  it('marks only the deadline that runs into 2027 when the origin finishes in 2026', async () => {
    const res = await chat({ message: '2026年12月15日受理的转移，转出地和转入地最晚哪天？' });
    // The origin's deadline falls in 2026, whose notice is out: it is not marked 暂定.
    expect(res.body.reply).toMatch(/转出地[^；\n]*[^定]最晚2026年12月29日/);
    expect(res.body.reply).toMatch(/转入地[^；\n]*暂定最晚2027年1月6日/);
    expect(res.body.reply).toContain(provisionalSentence);
  });

  it('in a conversation: the places first, then the December date', async () => {
    const first = await chat({ message: '我从青岛转到南京，职工医保' });
    const follow = await chat({ sessionId: first.body.sessionId, message: '申请是2026年12月20日受理的，转入地最晚哪天办完？' });
    expect(follow.body.intent).toBe('timeline');
    expect(follow.body.reply).toMatch(/暂定最晚2027年1月11日/);
    expect(follow.body.reply).toContain(provisionalSentence);
  });

  it('says nothing provisional for a deadline inside 2026', async () => {
    const res = await chat({ message: '2026年12月1日受理的转移，最晚哪天办完？' });
    expect(res.body.reply).toMatch(/最晚2026年12月22日/);
    expect(res.body.reply).not.toMatch(/暂定|还没公布/);
  });

  it('still refuses, in Chinese, a deadline past 2027 instead of guessing', async () => {
    const res = await chat({ message: '2027年12月20日受理的，最晚哪天办完？' });
    expect(res.status).toBe(200);
    expect(res.body.reply).toContain('超出工作日历覆盖的年份');
    expect(res.body.reply).not.toMatch(/2028年\d+月\d+日/);
  });

  it('marks working-day arithmetic that reaches 2027 too', async () => {
    const res = await chat({ message: '2026年12月20日之后10个工作日是哪天？' });
    expect(res.body.intent).toBe('working_days');
    expect(res.body.reply).toContain('第10个工作日是2027年1月4日');
    expect(res.body.reply).toContain(provisionalSentence);
  });
});
