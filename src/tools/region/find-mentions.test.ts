import { describe, expect, it } from 'vitest';
import { loadRegionResolver } from './load-regions.js';
import type { RegionMention } from './types.js';

const lookup = loadRegionResolver();

/** "text=code" for an unambiguous mention, "text=?n" for one with n candidates. */
const summary = (mentions: RegionMention[]) =>
  mentions.map((m) => `${m.text}=${m.result.status === 'ok' ? m.result.region.code : `?${m.result.candidates.length}`}`);

describe('finding places in a message', () => {
  it('finds the origin and destination of a transfer question, with offsets', () => {
    const text = '我的医保余额能从青岛转到南京吗';
    const mentions = lookup.findMentions(text);
    expect(summary(mentions)).toEqual(['青岛=370200', '南京=320100']);
    for (const m of mentions) expect(text.slice(m.start, m.end)).toBe(m.text);
  });

  it('prefers the longest name', () => {
    expect(summary(lookup.findMentions('从浦东新区转到昆山'))).toEqual(['浦东新区=310115', '昆山=320583']);
    expect(summary(lookup.findMentions('烟台到苏州工业园区'))).toEqual(['烟台=370600', '苏州工业园区=320576']);
    expect(summary(lookup.findMentions('我在恩施州，想转到湘西'))).toEqual(['恩施州=422800', '湘西=433100']);
  });

  it('reads a place followed by a place inside it as one place', () => {
    expect(summary(lookup.findMentions('北京朝阳到江苏苏州昆山'))).toEqual(['北京朝阳=110105', '江苏苏州昆山=320583']);
    expect(summary(lookup.findMentions('南京鼓楼转到福州鼓楼'))).toEqual(['南京鼓楼=320106', '福州鼓楼=350102']);
    expect(summary(lookup.findMentions('从吉林长春转回内蒙'))).toEqual(['吉林长春=220100', '内蒙=150000']);
  });

  it('keeps unrelated neighbouring places apart', () => {
    expect(summary(lookup.findMentions('青岛南京哪个报销比例高'))).toEqual(['青岛=370200', '南京=320100']);
  });

  it('reports an ambiguous name with its candidates', () => {
    expect(summary(lookup.findMentions('兵团转到石河子'))).toEqual(['兵团=?12', '石河子=659001']);
    expect(summary(lookup.findMentions('从鼓楼转到朝阳'))).toEqual(['鼓楼=?4', '朝阳=?3']);
  });

  it('does not read a preposition and a place as a county (从江西, 来安徽)', () => {
    expect(summary(lookup.findMentions('从江西转到江阴'))).toEqual(['江西=360000', '江阴=320281']);
    expect(summary(lookup.findMentions('来安徽工作三年了'))).toEqual(['安徽=340000']);
    expect(summary(lookup.findMentions('从江阴转到从江县'))).toEqual(['江阴=320281', '从江县=522633']);
  });

  it('finds 雄安, 兵团 aliases and old names', () => {
    expect(summary(lookup.findMentions('从雄安转到天津滨海新区'))).toEqual(['雄安=130629', '天津滨海新区=120116']);
    expect(summary(lookup.findMentions('以前在襄樊参保'))).toEqual(['襄樊=420600']);
  });

  it('finds nothing in an empty text', () => {
    expect(lookup.findMentions('')).toEqual([]);
  });

  // Typical questions without a place: ordinary words here (城区, 新区, 比如, 延长, 长子, 小店,
  // 平安, 兴业, 互助 …) are also names of districts or counties and must not be picked up.
  const NO_PLACE = [
    '医保个人账户余额可以取出来吗',
    '职工医保断缴三个月还能补缴吗',
    '居民医保没有个人账户是真的吗',
    '转移接续要多少个工作日',
    '我退休了还能转医保吗',
    '异地安置备案需要什么材料',
    '灵活就业人员怎么交医保',
    '单位给我停保了，新单位还没参保怎么办',
    '缴费年限能累计吗',
    '医保关系转移需要带身份证和社保卡吗',
    '在国家医保服务平台上怎么申请转移',
    '断交半年后重新参保有等待期吗',
    '补缴的滞纳金谁来出',
    '医保电子凭证在哪里下载',
    '个人账户的钱能给家人用吗，家庭共济怎么开通',
    '信息表多久能发到转入地',
    '转入地收到信息表后几个工作日办完',
    '我辞职了，医保余额可以提现到银行卡吗',
    '出国定居了医保账户怎么处理',
    '参保人去世后账户余额能继承吗',
    '退休人员每个月划入个人账户多少钱',
    '新生儿参加居民医保有等待期吗',
    '集中参保期是什么时候',
    '12393是什么电话，和12333有什么区别',
    '城乡居民医保和职工医保能同时参加吗',
    '我在开发区上班，户口在老家，医保怎么转',
    '比如说我换了工作，医保要重新办吗',
    '等待期会不会延长，最长多久',
    '公司说要把医保转到新区那边',
    '我想把钱转到兴业银行的卡里',
    '平安保险能代替医保吗',
    '互助共济的钱能取吗',
    '长子帮父母交医保可以吗',
    '我在市区开了个小店，按灵活就业参保',
    '医保转移的通道在哪里，线上能办吗',
    '转出地和转入地的经办机构哪个负责',
    '本市城区和郊区的医保待遇一样吗',
    '我是高新区一家公司的员工，公安局开证明有用吗',
    '社保和医保是一回事吗，资源能共享吗',
    '东区西区的经办网点都能办',
  ];
  it.each(NO_PLACE)('finds no place in “%s”', (text) => {
    expect(summary(lookup.findMentions(text))).toEqual([]);
  });
});
