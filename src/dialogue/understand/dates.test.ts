import { describe, expect, it } from 'vitest';
import { compileDateRules, findDates, isValidDate } from './dates.js';
import { loadDialogueRules } from './dialogue-rules.js';

const rules = compileDateRules(loadDialogueRules().dates);
const TODAY = '2026-05-06';
const datesIn = (text: string, today = TODAY) => findDates(text, today, rules).map((d) => d.date);

describe('dates in messages', () => {
  it.each([
    ['2026年4月28日', '2026-04-28'],
    ['2026年4月28号', '2026-04-28'],
    ['4月28号', '2026-04-28'],
    ['4月28日', '2026-04-28'],
    ['2026-04-28', '2026-04-28'],
    ['2026/4/28', '2026-04-28'],
    ['2026.4.28', '2026-04-28'],
    ['今天', '2026-05-06'],
    ['昨天', '2026-05-05'],
    ['前天', '2026-05-04'],
    ['明天', '2026-05-07'],
    ['后天', '2026-05-08'],
    ['去年12月30日', '2025-12-30'],
  ])('reads %s', (text, date) => {
    expect(datesIn(`我是${text}申请的`)).toEqual([date]);
  });

  it('crosses month and year ends for relative days', () => {
    expect(datesIn('昨天', '2026-01-01')).toEqual(['2025-12-31']);
    expect(datesIn('明天', '2028-02-28')).toEqual(['2028-02-29']);
  });

  it('gives a month and day without a year today\'s year, even when long past', () => {
    expect(datesIn('12月30日受理', '2026-01-03')).toEqual(['2026-12-30']);
    expect(datesIn('1月2日受理', '2026-12-30')).toEqual(['2026-01-02']);
  });

  it('skips dates that do not exist', () => {
    expect(datesIn('2月30日受理的')).toEqual([]);
    expect(datesIn('2026-13-01')).toEqual([]);
    expect(datesIn('2025年2月29日')).toEqual([]);
    expect(datesIn('2028年2月29日')).toEqual(['2028-02-29']);
    expect(isValidDate(2026, 4, 31)).toBe(false);
  });

  it('does not read durations or decimals as dates', () => {
    expect(datesIn('断缴3个月,费率7.5%,基数5000')).toEqual([]);
    expect(datesIn('4月份申请的')).toEqual([]);
  });

  it('returns every date with its offsets', () => {
    const [first, second] = findDates('5月1日到5月20日有几个工作日', TODAY, rules);
    expect(first).toMatchObject({ date: '2026-05-01', start: 0, end: 4, text: '5月1日' });
    expect(second).toMatchObject({ date: '2026-05-20', start: 5, end: 10 });
  });

  it('tells the acceptance date from the date the destination received the 信息表', () => {
    const found = findDates('6月15日申请的,转入地6月20日收到信息表', TODAY, rules);
    expect(found.map((d) => [d.date, d.kind, d.cue])).toEqual([
      ['2026-06-15', 'acceptedDate', '申请'],
      ['2026-06-20', 'infoSheetReceivedDate', '收到信息表'],
    ]);
  });

  it('reads a cue before the date as well as after it', () => {
    expect(findDates('受理日期是2026年6月15日', TODAY, rules)[0]?.kind).toBe('acceptedDate');
    expect(findDates('信息表6月20日到的', TODAY, rules)[0]?.kind).toBe('infoSheetReceivedDate');
    expect(findDates('转入地2026年6月15日受理的', TODAY, rules)[0]?.kind).toBe('acceptedDate');
  });

  it('leaves a date with no cue generic', () => {
    expect(findDates('5月1日那个星期我不在', TODAY, rules)[0]?.kind).toBe('generic');
  });

  it('reads a date a count starts from, a day asked about, and a deadline repeated back', () => {
    expect(findDates('5月1日之后10个工作日是哪天', TODAY, rules)[0]?.kind).toBe('start');
    expect(findDates('5月9号要上班吗', TODAY, rules)[0]?.kind).toBe('check');
    expect(findDates('也就是说5月19号前能好是吧', TODAY, rules)[0]?.kind).toBe('confirmed');
  });

  it('reads dates as people say them, against today', () => {
    const today = '2026-11-16'; // a Monday
    const one = (text: string) => findDates(text, today, rules)[0];
    expect(one('上个月20号受理的')).toMatchObject({ date: '2026-10-20', resolved: true, kind: 'acceptedDate' });
    expect(one('这个月3号交的材料')?.date).toBe('2026-11-03');
    expect(one('下周三去办')?.date).toBe('2026-11-25');
    expect(one('这周五')?.date).toBe('2026-11-20');
    expect(one('前天受理的')?.date).toBe('2026-11-14');
    expect(one('大前天申请的')?.date).toBe('2026-11-13');
    expect(one('5.6号受理的')?.date).toBe('2026-05-06');
    expect(one('5/6那天提交的')?.date).toBe('2026-05-06');
    // A month and day said of the future is the next one; said of the past, the last one.
    expect(one('要是1月10号才受理呢')?.date).toBe('2027-01-10');
    expect(findDates('12月1号已经受理了', '2027-01-05', rules)[0]?.date).toBe('2026-12-01');
    // Not dates: a rate, an amount.
    expect(findDates('费率7.5，基数5000', today, rules)).toEqual([]);
  });

  it('rejects a malformed today', () => {
    expect(() => findDates('今天', '2026-02-30', rules)).toThrow(RangeError);
  });
});
