import { describe, expect, it } from 'vitest';
import { loadDialogueRules } from './dialogue-rules.js';
import { compileNormalizeRules, normalizeMessage } from './normalize.js';
import { compileSlotRules, durationMonths, extractSlots, ratePercentOf } from './slots.js';

const loaded = loadDialogueRules();
const normalize = compileNormalizeRules(loaded.normalize);
const rules = compileSlotRules(loaded.slots);
const slotsOf = (message: string) => extractSlots(normalizeMessage(message, normalize).text, rules);

describe('slot values in messages', () => {
  it('reads durations in months', () => {
    expect(durationMonths('4个月')).toBe(4);
    expect(durationMonths('2年')).toBe(24);
    expect(durationMonths('1年半')).toBe(18);
    expect(durationMonths('半年')).toBe(6);
    expect(durationMonths('3个多月')).toBe(3);
    expect(durationMonths('4月')).toBeUndefined();
  });

  it('turns a rate into percent', () => {
    expect(ratePercentOf(0.075, false)).toBe(7.5);
    expect(ratePercentOf(7.5, true)).toBe(7.5);
    expect(ratePercentOf(7.5, false)).toBe(7.5);
  });

  it.each([
    ['断缴4个月', { gapMonths: 4 }],
    ['断了两年', { gapMonths: 24 }],
    ['3个月没交', { gapMonths: 3 }],
    ['半年没交了', { gapMonths: 6 }],
    ['要补缴3个月', { gapMonths: 3 }],
    ['补缴了1年', { yearsRepaid: 1 }],
    ['多交一年', { yearsRepaid: 1 }],
    ['基数5000', { base: 5000 }],
    ['缴费基数 5,000 元', { base: 5000 }],
    ['按6000的基数', { base: 6000 }],
    ['费率7.5%', { ratePercent: 7.5 }],
    ['比例0.075', { ratePercent: 7.5 }],
    ['平均养老金3000', { averagePension: 3000 }],
    ['10个工作日后是哪天', { workingDays: 10 }],
  ])('%s', (message, expected) => {
    expect(slotsOf(message)).toEqual(expected);
  });

  it('does not read an April date or a plain count as a gap', () => {
    expect(slotsOf('4月28日受理的').gapMonths).toBeUndefined();
    expect(slotsOf('交了10年医保').gapMonths).toBeUndefined();
  });

  it('reads insurance types, with a switch and a rejection', () => {
    expect(slotsOf('灵活就业')).toEqual({ insuranceType: 'employee' });
    expect(slotsOf('城乡居民医保')).toEqual({ insuranceType: 'resident' });
    expect(slotsOf('从职工医保转成居民医保')).toMatchObject({ insuranceType: 'employee', toInsuranceType: 'resident', payoutSituation: 'employee_to_resident' });
    expect(slotsOf('不是职工,是居民')).toEqual({ insuranceType: 'resident' });
    expect(slotsOf('带居民身份证')).toEqual({});
  });

  it('reads retired, enrolled and stopped, negative forms first', () => {
    expect(slotsOf('还没退休')).toEqual({ retired: false });
    expect(slotsOf('快退休了')).toEqual({ retired: false });
    expect(slotsOf('我是退休人员')).toEqual({ retired: true });
    expect(slotsOf('已经在杭州参保了')).toEqual({ enrolledAtDestination: true });
    expect(slotsOf('还没参保')).toEqual({ enrolledAtDestination: false });
    expect(slotsOf('已经在青岛交了10年')).toEqual({});
    expect(slotsOf('原单位已经停保了')).toEqual({ stoppedAtOrigin: true });
    expect(slotsOf('还没办停保')).toEqual({ stoppedAtOrigin: false });
  });

  it('reads payout situations', () => {
    expect(slotsOf('人去世了').payoutSituation).toBe('death');
    expect(slotsOf('要移民了').payoutSituation).toBe('emigration');
    expect(slotsOf('退休了异地安置').payoutSituation).toBe('resettled_retiree');
    expect(slotsOf('转入地不接收个人账户').payoutSituation).toBe('destination_cannot_receive');
    expect(slotsOf('跳槽了').payoutSituation).toBe('in_service_job_change');
  });

  it('marks newborns', () => {
    expect(slotsOf('宝宝刚出生')).toEqual({ newborn: true });
  });
});
