import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createServices, type Services } from '../../services.js';
import type { TurnEvent } from '../chat-engine.js';
import type { ChatResponse } from '../response.js';

// The money journeys (back-pay, payout, retiree credit) over the real engine, tools, entries and
// journey files: each reply answers the question asked in its first sentence, in the person's
// terms, with figures only from the tools or the cited entries.

const silent = { info: () => {}, warn: () => {}, error: () => {} };
let services: Services;
const events: TurnEvent[] = [];
let sessions = 0;

beforeAll(async () => {
  services = await createServices(loadConfig({}), silent, { today: () => '2026-11-16', engine: { onTurn: (e) => events.push(e) } });
});
afterAll(() => services.close());

/** A fresh conversation; each call sends one message and returns the response. */
function conversation(): (message: string) => Promise<ChatResponse> {
  const sessionId = `money-${++sessions}`;
  return (message) => services.chat.handle({ sessionId, message });
}
const ask = (message: string) => conversation()(message);
const first = (r: ChatResponse) => r.reply.split('\n')[0]!;
const cited = (r: ChatResponse) => r.citations.map((c) => c.id);

/** What every answer of these journeys keeps to: short, few citations, nothing stated twice. */
function readsInTenSeconds(r: ChatResponse): void {
  expect([...r.reply].length).toBeLessThanOrEqual(320);
  expect(r.citations.length).toBeLessThanOrEqual(4);
  const lines = r.reply.split('\n');
  expect(new Set(lines).size).toBe(lines.length);
  expect(r.reply).not.toMatch(/抱歉，这个问题我暂时给不出有依据的具体数字/);
}

describe('back-pay: how much', () => {
  it.each([
    ['断了五个月 基数四千五 费率百分之九 要补多少', '5 × 4500 × 9% = 2025元'],
    ['职工医保停缴了3个月，缴费基数是6000元，费率8.5%，补缴得多少钱？', '3 × 6000 × 8.5% = 1530元'],
    ['俺这医保断了俩月咧 基数三千二 费率百分之十 得补多少钱', '2 × 3200 × 10% = 640元'],
    ['基数3000 费率0.1 断了4个月 补多少', '4 × 3000 × 10% = 1200元'],
  ])('%s → the amount first, from the base and rate given, without asking the scheme', async (message, amount) => {
    const r = await ask(message);
    expect(r.intent).toBe('arrears');
    expect(first(r)).toContain(amount);
    expect(r.needs).toEqual([]);
    expect(cited(r)).toContain('backpay-amount-formula');
    expect(r.reply).toMatch(/参保地规定为准/);
    readsInTenSeconds(r);
  });

  it.each([
    ['公司漏交了我4个月的医保，基数5500，单位交8%个人交2%，一共要补多少', ['8%', '2%', '10%', '2200元'], ['1760元', '440元']],
    ['断缴两个月 缴费基数7000 单位百分之七点五 个人百分之二 总共补多少钱', ['7.5%', '2%', '9.5%', '1330元'], ['1050元', '280元']],
  ])('%s → the shares added up and said so; each party\'s part with the details', async (message, head, parts) => {
    const r = await ask(message);
    for (const p of head) expect(first(r)).toContain(p);
    // The person asked for the total: each party's yuan is background, not a second answer.
    for (const p of parts) {
      expect(r.reply).not.toContain(p);
      expect(r.details).toContain(p);
    }
    readsInTenSeconds(r);
  });

  it('asks for the scheme, then the base and the rate, one at a time, and keeps the question asked', async () => {
    const say = conversation();
    const a = await say('断缴两个月要补多少钱');
    expect(a.needs).toEqual(['insuranceType']);
    expect(first(a)).toMatch(/补缴月数×缴费基数×费率/);
    expect(a.reply).not.toMatch(/\d+元/);
    const b = await say('职工医保');
    expect(b.needs).toEqual(['base']);
    expect(b.reply).toMatch(/基数.*费率/);
    const c = await say('5000');
    expect(c.needs).toEqual(['ratePercent']);
    const d = await say('百分之八');
    expect(first(d)).toContain('2 × 5000 × 8% = 800元');
    expect(d.needs).toEqual([]);
  });

  it('recomputes when a figure is corrected, and the old amount is gone', async () => {
    const say = conversation();
    expect(first(await say('职工医保断了6个月 基数4000 费率10% 补多少'))).toContain('2400元');
    const r = await say('不对 基数是4500');
    expect(first(r)).toContain('6 × 4500 × 10% = 2700元');
    expect(r.reply).not.toContain('2400');
  });

  it('a 居民医保 repair is paid at the year\'s local standard, never a computed figure', async () => {
    const r = await ask('居民医保断了两年 补交以前的年份要多少钱');
    expect(first(r)).toMatch(/当年参保地个人缴费标准/);
    expect(r.reply).not.toMatch(/\d+元/);
    expect(cited(r)).toContain('resident-waiting-repair-by-paying');
  });
});

describe('back-pay: can it be back-paid, and when do benefits resume', () => {
  it.each([
    '从长沙换工作去了武汉 中间职工医保断了两个月 补上了啥时候能报销',
    '我之前在宁波上班后来跳槽到苏州 职工医保空了一个多月没交 现在新单位给补上了 那一个月看病的钱能报吗',
  ])('a 职工医保 gap of up to 3 months around a move: back-pay, from the month paid, the gap covered — %s', async (message) => {
    const r = await ask(message);
    expect(first(r)).toMatch(/缴费当月/);
    expect(first(r)).toMatch(/追溯/);
    expect(r.needs).toEqual([]);
    expect(cited(r)).toContain('continuity-gap-up-to-3-months');
    readsInTenSeconds(r);
  });

  it('a longer gap around a move: a local waiting period of at most 6 months, and the destination province\'s rule', async () => {
    const r = await ask('我从郑州调到西安 职工医保断了五个月 还要等多久才能用');
    expect(first(r)).toMatch(/等待期.*不超过6个月/);
    expect(r.reply).toMatch(/陕西省[^。\n]{0,40}没有核实到原文/);
    expect(r.reply).not.toMatch(/河南/);
  });

  it('not said whether the gap was around a move: both answers, then that one question; a bare yes settles it', async () => {
    const say = conversation();
    const a = await say('职工医保断了俩月 能补吗');
    expect(a.needs).toEqual(['aroundTransfer']);
    expect(a.reply).toMatch(/如果是换城市[^\n]*缴费当月/);
    expect(a.reply).toMatch(/如果没有换地方[^\n]*参保地的规定/);
    const b = await say('对的');
    expect(first(b)).toMatch(/缴费当月/);
    expect(b.needs).toEqual([]);
  });

  it.each([
    ['青岛居民医保断了三年 补交以后等多久', /3（固定等待期） \+ 2（[^）]*） = 5个月/, 'resident-waiting-qingdao-example'],
    ['新农合断了三年了 现在补交 多久能用 我在洛阳', /3个月固定待遇等待期/, 'resident-waiting-fixed-3-months'],
  ])('居民医保 after a gap: %s', async (message, waiting, entry) => {
    const r = await ask(message);
    expect(first(r)).toMatch(waiting);
    expect(cited(r)).toContain(entry);
    readsInTenSeconds(r);
  });

  it('counts a total only where the place\'s counting is known, and names the province\'s unread rule elsewhere', async () => {
    const r = await ask('洛阳的城乡居民医保断了两年 现在想接着交 大概要等几个月');
    expect(r.reply).not.toMatch(/(?<![\d+])4个月|青岛/);
    expect(r.reply).toMatch(/河南省[^。\n]{0,40}没有核实到原文/);
  });

  it('after a gap of 4 years or more, repair cannot bring the wait under 6 months', async () => {
    const r = await ask('居民医保断了六年了 补缴能不能不用等');
    expect(r.reply).toMatch(/不少于6个月/);
    expect(r.reply).not.toMatch(/(?<!不)能免/);
  });

  it('a newborn has no waiting period', async () => {
    const r = await ask('刚生的宝宝上居民医保有等待期吗');
    expect(first(r)).toMatch(/新生儿不设[^。]*等待期/);
    expect(first(r)).toMatch(/90天/);
  });

  it.each(['医保断了两个月 那两个月看病能报吗', '断缴的那几个月住院花的钱还能报销吗'])(
    'the months of the gap: not covered, except back-paid after a short gap around a move — %s',
    async (message) => {
      const r = await ask(message);
      expect(first(r)).toMatch(/一般不报/);
      expect(first(r)).toMatch(/追溯/);
      expect(r.needs).toEqual([]);
    },
  );

  it('medical costs inside a 居民医保 waiting period are not paid', async () => {
    const r = await ask('居民医保等待期里住院能报销吗');
    expect(first(r)).toMatch(/不报销/);
    expect(r.needs).toEqual([]);
  });
});

describe('back-pay: the late fee', () => {
  it.each(['公司拖了我半年医保 滞纳金谁承担', '单位没按时给我交医保，滞纳金谁来出'])(
    '%s → the employer\'s, 0.05 % a day under art. 86, without asking the scheme',
    async (message) => {
      const r = await ask(message);
      expect(first(r)).toMatch(/用人单位/);
      expect(first(r)).toMatch(/万分之五/);
      expect(first(r)).toMatch(/第86条/);
      expect(r.needs).toEqual([]);
      expect(cited(r)).toEqual(['late-fee-employer-art86']);
    },
  );

  it.each(['补缴的时候滞纳金要我自己出吗', '我个人还要另交滞纳金吗', '我自己补缴医保 是不是要按日交滞纳金'])('%s → no: that late fee is the employer\'s', async (message) => {
    const r = await ask(message);
    expect(first(r)).toMatch(/^个人不用交[^。]*用人单位/);
    expect(r.reply).not.toMatch(/个人[^。；\n]{0,10}(?<![不无没])(需要|要|须|得|应当?)(缴纳|交|承担)[^。；\n]{0,6}滞纳金/);
  });
});

describe('back-pay: follow-ups', () => {
  it('"那要是…呢" asks the same question in another case; a new fact alone does not repeat an answer it cannot change', async () => {
    const say = conversation();
    const a = await say('灵活就业自己交的 补缴还要交滞纳金吗');
    expect(first(a)).toMatch(/^个人不用交/);
    const b = await say('那如果是公司欠的呢');
    expect(first(b)).toMatch(/用人单位[^。]*万分之五/);
    const c = await say('职工医保断了4个月');
    expect(c.reply).not.toMatch(/滞纳金/);
    expect(c.reply).toMatch(/等待期/);
  });
});

describe('payout: can the balance be taken out', () => {
  it.each(['我从无锡调到南京上班了 无锡医保卡里剩的钱能取出来吗', '我从杭州调到南京 医保卡余额能提现吗'])(
    'changing job: no cash, it moves — and never the practice of the city the money moves into (%s)',
    async (message) => {
      const r = await ask(message);
      expect(r.intent).toBe('payout');
      expect(first(r)).toMatch(/^不能取现/);
      expect(first(r)).toMatch(/随医保关系转移/);
      expect(r.reply).not.toMatch(/市民卡/);
      expect(r.needs).toEqual([]);
    },
  );

  it('money leaving a city with its own practice: that practice, labelled as a report', async () => {
    const r = await ask('我在南京交了五年职工医保 现在去杭州上班了 南京医保卡里的余额能取现吗');
    expect(r.reply.split('\n')[1]).toMatch(/^南京市的做法：据2022年本地报道[^\n]*市民卡/);
    expect(cited(r)).toContain('payout-nanjing-citizen-card');
    readsInTenSeconds(r);
  });

  it('death: inherited, and the heir applies where the person was insured', async () => {
    const r = await ask('我爸上个月走了 他医保卡里还有几千块 家里人能取出来吗');
    expect(first(r)).toMatch(/继承/);
    expect(first(r)).toMatch(/参保地[^，。]*医保经办机构/);
    expect(r.needs).toEqual([]);
    expect(cited(r)).toContain('payout-death-inherited');
  });

  it.each([
    ['我要去澳洲定居了 在武汉交的医保个人账户能一次性拿出来吗', /武汉市的做法/, /威海|南京/],
    ['合肥参保的 准备出国定居 个人账户里的钱咋办', /安徽省[^。\n]{0,40}没有核实到原文/, /武汉|威海|南京/],
  ])('emigration: local rules, only the origin\'s — %s', async (message, shown, never) => {
    const r = await ask(message);
    expect(first(r)).toMatch(/^要看参保地[^，。]*的规定/);
    expect(r.reply).toMatch(shown);
    expect(r.reply).not.toMatch(never);
    expect(r.reply).not.toMatch(/(国家|全国)(统一)?(规定|明确)[^。；\n]{0,12}(可以|能)[^。；\n]{0,6}(一次性)?(提取|支取|取出)/);
  });

  it('a retiree: not as a rule that the balance goes to a bank card — the origin decides', async () => {
    const r = await ask('退休了搬去儿子那边住 济南医保卡的钱能打到银行卡吗');
    expect(first(r)).toMatch(/没有查到国家或省级规定/);
    expect(first(r)).toMatch(/济南/);
    expect(r.reply).not.toMatch(/威海/);
    expect(r.needs).toEqual([]);
  });

  it.each([
    ['老公的医保卡钱用不完 能给我买药用吗', 'account-family-sharing', /配偶、父母、子女/],
    ['医保卡的钱我奶奶能用吗', 'account-near-relatives-38', /近亲属/],
  ])('family sharing instead of a payout, without asking for a situation — %s', async (message, entry, words) => {
    const r = await ask(message);
    expect(r.intent).toBe('payout');
    expect(first(r)).toMatch(words);
    expect(cited(r)[0]).toBe(entry);
    expect(r.needs).toEqual([]);
  });

  it.each(['我交的是城乡居民医保 卡里的钱能取出来吗', '新农合的钱能提现吗'])('居民医保 has no personal account, so nothing to take out — %s', async (message) => {
    const r = await ask(message);
    expect(first(r)).toMatch(/^没有可以取的余额/);
    expect(cited(r)).toEqual(['balance-resident-no-personal-account']);
    expect(r.needs).toEqual([]);
  });
});

describe('retiree credit', () => {
  it('the national rule in one sentence, and no yuan figure', async () => {
    const r = await ask('我妈退休了 每个月医保卡里打多少钱进去');
    expect(first(r)).toMatch(/定额划入[^。]*2%左右/);
    expect(r.reply).not.toMatch(/\d+\s*(元|块)/);
    expect(cited(r)).toContain('retiree-credit-national-rule');
    readsInTenSeconds(r);
  });

  it('a city\'s figure: said plainly that none is verified, and the same for the next city asked about', async () => {
    const say = conversation();
    const a = await say('杭州退休职工医保个人账户一个月划多少');
    expect(first(a)).toMatch(/^杭州[^。]*没有核实到/);
    expect(a.reply).not.toMatch(/\d+\s*(元|块)/);
    const b = await say('那宁波呢');
    expect(first(b)).toMatch(/^宁波[^。]*没有核实到/);
  });

  it('an estimate only from the tool\'s formula, with the person\'s own average-pension figure', async () => {
    const r = await ask('当地平均养老金3800元 退休人员每月划入大概多少');
    expect(first(r)).toContain('3800 × 2% ≈ 76');
    expect(r.reply).toMatch(/不是当地实际划入金额/);
  });

  it('not a share of one\'s own pension', async () => {
    const r = await ask('退休后医保返的钱是不是按自己养老金算的');
    expect(r.reply).toMatch(/不是按本人养老金的一定比例/);
  });
});

describe('the figure guard', () => {
  it('never rejects a reply these renderers composed', () => {
    expect(events.filter((e) => e.guardRejected).map((e) => `${e.record.question}: ${e.guardRejected!.unbacked.join(', ')}`)).toEqual([]);
  });
});
