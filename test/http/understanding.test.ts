import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/services.js';
import { postJson, startApp, type RunningApp } from '../helpers/app.js';

/**
 * People as they type in WeChat, one class of misreading per block (issue 14), each class with
 * several differently shaped messages written for this test. Expectations are what a correct
 * answer must contain per the policy digest, over real HTTP against the real service on a fixed
 * day (2026-12-06, a Sunday).
 */

const silent = { info: () => {}, warn: () => {}, error: () => {} };
let server: RunningApp;
beforeAll(async () => {
  const services = await createServices(loadConfig({}), silent, { today: () => '2026-12-06' });
  server = await startApp({ services });
}, 120_000);
afterAll(async () => server?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
type Body = any;
/** Sends the messages of one conversation in order and returns every response body. */
async function converse(...messages: string[]): Promise<Body[]> {
  const bodies: Body[] = [];
  let sessionId: string | undefined;
  for (const message of messages) {
    const res = await postJson(`${server.url}/v1/chat`, { ...(sessionId ? { sessionId } : {}), message });
    expect(res.status, message).toBe(200);
    sessionId = res.body.sessionId;
    bodies.push(res.body);
  }
  return bodies;
}
const last = async (...messages: string[]) => (await converse(...messages)).at(-1)!;
const firstLine = (b: Body) => String(b.reply).split('\n')[0];

describe('1. a move told as a story: origin and destination from the story, not the word order', () => {
  it('a home town named first is not the origin when the person worked and paid elsewhere', async () => {
    const b = await last('我户口在安徽六安 之前在合肥一家厂里上了四年班 现在到南京的公司了 合肥那边的医保咋弄');
    expect(b.slots).toMatchObject({ fromCity: '合肥', toCity: '南京' });
    expect(firstLine(b)).toMatch(/能转/);
    expect(b.reply).toMatch(/跨省/);
  });

  it('going back to the home town makes it the destination', async () => {
    const b = await last('在宁波打了三年工 单位给交的医保 过完年回老家赣州了 医保能跟着走吗');
    expect(b.slots).toMatchObject({ fromCity: '宁波', toCity: '赣州', insuranceType: 'employee' });
    expect(firstLine(b)).toMatch(/^能转/);
  });

  it('asking where to go, with both ends of a known move named, does not turn the move around', async () => {
    for (const ask of ['深圳那边能办吗 还是要回南宁', '是不是得回南宁去弄 深圳这里不行吗', '回南宁办还是深圳办']) {
      const b = await last('在南宁交了五年职工医保 今年跳槽去深圳了 新单位交上了', ask);
      expect(b.slots, ask).toMatchObject({ fromCity: '南宁', toCity: '深圳' });
    }
    const swapped = await last('在南宁交了五年职工医保 今年跳槽去深圳了', '说反了 是从深圳转到南宁');
    expect(swapped.slots).toMatchObject({ fromCity: '深圳', toCity: '南宁' });
  });

  it('a later move replaces the earlier one: the old destination becomes the origin', async () => {
    const b = await last('之前在绍兴上班 单位交的医保 现在调到台州了', '后来又从台州调到温州了');
    expect(b.slots).toMatchObject({ fromCity: '台州', toCity: '温州' });
    expect(b.reply).toMatch(/省内/);
  });
});

describe('2. each end has its own scheme, and the verdict follows the pair', () => {
  it('a student’s school insurance is 居民医保: no personal account to move when starting a job', async () => {
    const b = await last('大学在重庆读的 学校统一交的医保 毕业去成都上班了 公司交了医保 重庆那个医保里有钱吗 能转吗');
    expect(b.slots).toMatchObject({ insuranceType: 'resident', toInsuranceType: 'employee' });
    expect(b.reply).toMatch(/居民医保没有个人账户|没有个人账户/);
    expect(b.reply).not.toMatch(/余额随医保关系/);
  });

  it('新农合 at home and 职工医保 at the factory: switching schemes, not the 居民→居民 rule', async () => {
    const b = await last('家里给我交的新农合在驻马店 现在郑州一个厂里给我交了职工医保 老家那个咋处理');
    expect(b.slots).toMatchObject({ fromCity: '驻马店', toCity: '郑州', insuranceType: 'resident', toInsuranceType: 'employee' });
    expect(b.reply).not.toMatch(/下一年度/);
  });

  it('灵活就业 alone is either scheme: it asks which, after saying the move is possible', async () => {
    const b = await last('我是灵活就业自己交的 从长沙搬到株洲 能转吗');
    expect(b.needs).toContain('insuranceType');
    expect(b.reply).toMatch(/职工医保/);
    expect(b.reply).toMatch(/居民医保/);
  });
});

describe('3. dates as people say them, with the date taken said back', () => {
  it('"上周一" is the Monday of last week, and the reply says so', async () => {
    const b = await last('我在温州 上周一交的转移申请 当天受理了 转出地最迟哪天办好');
    expect(b.slots.acceptedDate).toBe('2026-11-23');
    expect(b.reply).toContain('2026年12月7日');
    expect(b.reply).toMatch(/上周一.{0,4}按2026年11月23日算/);
  });

  it('"11.18" without a year is this year’s 18 November', async () => {
    const b = await last('我11.18在窗口交的材料受理了 转入地最晚什么时候');
    expect(b.slots.acceptedDate).toBe('2026-11-18');
    expect(b.reply).toContain('2026年12月9日');
  });

  it('a month and day said of the future is the next one; "年后" is asked back as a date', async () => {
    const future = await last('打算明年1月5号去办转移 那最晚什么时候能办完');
    expect(future.slots.acceptedDate).toBe('2027-01-05');
    const vague = await last('年后再去办 大概什么时候能好');
    expect(vague.needs).toContain('acceptedDate');
    expect(vague.reply).not.toMatch(/最晚20\d\d年/);
  });

  it('a deadline repeated back to confirm is checked, not taken as a new acceptance date', async () => {
    const [, confirm] = await converse('2026年11月25日受理的 转出最晚哪天', '就是说12月9号之前转出那边肯定办完了对吧');
    expect(confirm.slots.acceptedDate).toBe('2026-11-25');
    expect(firstLine(confirm)).toMatch(/^对/);
  });
});

describe('4. numbers as people say them', () => {
  it('"单位百分之八 个人百分之二" with a base of 四千五: the shares are added up and the amount computed', async () => {
    const b = await last('职工医保 换工作断了两个月 缴费基数四千五 单位百分之八 个人百分之二 补的话一共多少钱');
    expect(b.reply).toMatch(/(?<![\d.])900(\.0+)?\s*元/);
    expect(b.reply).toMatch(/8%.{0,6}2%.{0,8}10%/);
  });

  it('"1.2万" and "百分之七点五" are 12000 and 7.5%', async () => {
    const b = await last('职工医保断了半年 基数1.2万 费率百分之七点五 要补多少');
    expect(b.slots).toMatchObject({ base: 12000, ratePercent: 7.5, gapMonths: 6 });
    expect(b.reply).toMatch(/5400(\.0+)?\s*元/);
  });

  it('a gap no one could have is asked again in Chinese, never computed', async () => {
    const b = await last('职工医保断缴了1000个月 基数5000 费率8% 补多少');
    expect(b.needs).toContain('gapMonths');
    expect(b.reply).not.toMatch(/元/);
    expect(b.toolCalls.filter((c: Body) => c.name === 'arrears' && !c.output?.error)).toEqual([]);
  });
});

describe('5. questions the old rules sent to the wrong place', () => {
  it('"在老家办还是这边办": either end’s window, or online', async () => {
    const b = await last('在老家办还是在这边办');
    expect(b.reply).toMatch(/转出地、转入地任一/);
    expect(b.reply).toMatch(/国家医保服务平台/);
  });

  it('"退休前要交够多少年": no national figure, the law leaves it to local rules', async () => {
    const b = await last('退休前医保要交够多少年');
    expect(b.reply).toMatch(/第27条/);
    expect(b.reply).toMatch(/没有写具体年数|由各地规定|当地/);
  });

  it('"两个月了钱还没到账": no time limit for crediting the balance, how to check, whom to ask', async () => {
    const b = await last('申请两个月了钱还没到账');
    expect(b.reply).toMatch(/没有规定办理时限|没有规定时限/);
    expect(b.reply).toMatch(/国家医保服务平台/);
    expect(b.reply).toMatch(/12393/);
  });
});

describe('6. two questions in one message are both answered', () => {
  it('how long and what to bring', async () => {
    const b = await last('要多久 带什么材料');
    expect(b.reply).toMatch(/10个工作日/);
    expect(b.reply).toMatch(/身份证/);
  });

  it('where to apply and which number to call', async () => {
    const b = await last('从哪里申请 打什么电话问');
    expect(b.reply).toMatch(/地方专区/);
    expect(b.reply).toMatch(/12393/);
  });

  it('a short clause with no subject of its own goes on with the one before it', async () => {
    for (const message of ['新农合断了两年 现在补上有没有等待期 得等多久', '居民医保停了一年多再交 有等待期吗，等几个月']) {
      const b = await last(message);
      expect(b.reply, message).toMatch(/等待期/);
      expect(b.reply, message).not.toMatch(/10个工作日/);
    }
  });

  it('how long, then whether to stop the old one first', async () => {
    const b = await last('从合肥转到南昌 职工医保 合肥那边要我去停保吗 要多久能转好');
    expect(b.reply).toMatch(/停保|中止参保/);
    expect(b.reply).toMatch(/10个工作日|工作日/);
  });
});

describe('7. another person’s case starts from that person’s facts, and does not leak back', () => {
  it('a spouse’s move, then "那我呢": the speaker’s own move, without the spouse’s places', async () => {
    const [spouse, me] = await converse('我老公在苏州交的职工医保 要调到无锡上班', '那我呢 我一直在上海上班 去年换到杭州的公司了');
    expect(spouse.slots).toMatchObject({ fromCity: '苏州', toCity: '无锡', about: 'spouse' });
    expect(me.slots).toMatchObject({ fromCity: '上海', toCity: '杭州' });
    expect(me.slots.about).toBeUndefined();
  });

  it('"说回我老公": back to the spouse’s facts', async () => {
    const b = await last('我老公在苏州交的职工医保 要调到无锡上班', '那我呢 我在上海交的', '说回我老公 他那个算跨省吗');
    expect(b.slots).toMatchObject({ fromCity: '苏州', toCity: '无锡', about: 'spouse' });
    expect(b.reply).toMatch(/不算跨省|省内/);
  });

  it('a retired mother moving to her child: 备案, not a transfer; then "说回我" is the speaker again', async () => {
    const [mum, me] = await converse('我妈退休了 想去广州跟我住 她的医保咋办', '说回我 我从广州调到深圳了 职工医保');
    expect(mum.slots).toMatchObject({ retired: true, about: 'parent' });
    expect(mum.reply).toMatch(/备案/);
    expect(me.slots).toMatchObject({ fromCity: '广州', toCity: '深圳' });
    // The mother's retirement does not leak back (someone moving for work may be read as not retired).
    expect(me.slots.retired).not.toBe(true);
    expect(me.slots.about).toBeUndefined();
  });
});

describe('8. a long conversation as people chat', () => {
  it('small talk, a move, a new move, a gap and its correction, a question about the bot', async () => {
    const turns = await converse(
      '你好',
      '我之前在绍兴上班 单位交的医保 现在调到台州了',
      '哦哦了解',
      '后来又从台州调到温州了',
      '中间断了三个月',
      '不对 断了五个月',
      '你是AI吗',
    );
    const [hello, move, ack, again, gap, corrected, bot] = turns;
    expect(hello.intent).toBe('greeting');
    expect(move.intent).toBe('transfer');
    expect(ack.intent).toBe('greeting');
    expect(ack.reply).not.toContain(firstLine(move));
    expect([...ack.reply].length).toBeLessThan(40);
    expect(again.slots).toMatchObject({ fromCity: '台州', toCity: '温州' });
    expect(gap.intent).toBe('arrears');
    expect(gap.slots.gapMonths).toBe(3);
    expect(corrected.slots.gapMonths).toBe(5);
    expect(bot.intent).toBe('greeting');
    expect(bot.reply).toMatch(/程序|助手/);
  });

  it('indirect answers to the bot’s question count: a payslip deduction is 职工医保', async () => {
    const [ask, answer] = await converse('从无锡转到合肥能转吗', '工资条上每个月都有扣');
    expect(ask.needs).toContain('insuranceType');
    expect(answer.slots.insuranceType).toBe('employee');
    expect(firstLine(answer)).toMatch(/^能转/);
  });

  it('"老人家上个月没了" after asking about her balance: the death payout', async () => {
    const b = await last('我妈在徐州交的职工医保', '老人家上个月没了 卡里还有钱 咋办');
    expect(b.intent).toBe('payout');
    expect(b.reply).toMatch(/继承/);
  });
});
