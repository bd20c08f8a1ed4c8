import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knowledgeDir } from '../paths.js';
import { loadEntries } from '../knowledge/load.js';
import { type ArrearsInput, assessArrears, createArrearsTool, loadWaitingPeriods } from './arrears.js';
import { loadRegionResolver } from './region/load-regions.js';

const table = loadWaitingPeriods();
const regions = loadRegionResolver();
const assess = (input: ArrearsInput) => assessArrears(input, table, { regions });

describe('居民医保 waiting period (国办发〔2024〕38号) where the counting of gap years is known (Qingdao)', () => {
  it.each([
    // gapYears, yearsRepaid, expected total, floor applied
    [1, 0, 3, false],
    [2, 0, 4, false], // the Qingdao worked example: 3 + 1
    [2, 1, 3, false], // …and after paying one extra year
    [3, 0, 5, false],
    [4, 0, 6, false],
    [4, 1, 6, true], // repair cannot take a 4-year gap below 6
    [6, 0, 8, false],
    [6, 1, 7, false],
    [6, 5, 6, true],
    [6, 9, 6, true], // more repaid years than variable months: still 6
    [1, 3, 3, false], // the fixed 3 months never go away
  ])('gap of %i years with %i years repaid → %i months (floor %s)', (gapYears, yearsRepaid, total, floorApplied) => {
    const result = assess({ insuranceType: 'resident', gapYears, yearsRepaid, place: '青岛' });
    expect(result.rule).toBe('resident-waiting-period');
    expect(result.waiting?.totalMonths).toBe(total);
    expect(result.waiting?.floorApplied).toBe(floorApplied);
    expect(result.benefitsResume).toMatchObject({ waitingMonths: total, from: 'after_waiting' });
    expect(result.benefitsResume.text).toContain(`${total}个月`);
    expect(result.canBackPay).toBe('repair');
  });

  it('spells out the counting, names whose counting it is, and says the provinces set the details', () => {
    const result = assess({ insuranceType: 'resident', gapYears: 4, yearsRepaid: 1, place: '青岛市黄岛区' });
    expect(result.waiting?.formula).toBe(
      '3（固定等待期） + 3（变动等待期：断保4年，计入3年 × 每年1个月） − 1（修复缴费1年，每年减1个月） = 5个月；断保4年及以上的，合计原则上不少于6个月，按6个月',
    );
    expect(result.waiting?.countedAs).toBe('青岛市');
    expect(result.notes.join()).toContain('青岛医保部门公布的算例');
    expect(result.notes.join()).toContain('各省');
    expect(result.basis.map((b) => b.source.docNumber)).toContain('国办发〔2024〕38号');
    expect(result.basis.some((b) => b.scope === 'city' && b.source.title.includes('青岛'))).toBe(true);
  });
});

describe('居民医保 waiting period where the counting of gap years is not known', () => {
  it.each([undefined, '郑州', '济南', '江苏', '上海'])('gives the rule and its bounds for %s, never a total from another place’s counting', (place) => {
    const result = assess({ insuranceType: 'resident', gapYears: 2, ...(place ? { place } : {}) });
    expect(result.rule).toBe('resident-waiting-period');
    expect(result.waiting).toBeNull();
    expect(result.benefitsResume).toMatchObject({ waitingMonths: null, minWaitingMonths: 3, from: 'after_waiting' });
    expect(result.benefitsResume.text).toContain('3个月固定待遇等待期');
    expect(result.benefitsResume.text).toContain('计数方法');
    expect(result.notes.join()).toContain('没有核实到');
    expect(result.notes.join()).not.toContain('青岛');
    expect(result.basis.some((b) => b.source.title.includes('青岛'))).toBe(false);
    expect(JSON.stringify(result)).not.toMatch(/4个月/);
  });

  it('names the place whose counting was not verified', () => {
    expect(assess({ insuranceType: 'resident', gapYears: 1, place: '洛阳' }).notes.join()).toContain('没有核实到洛阳市的计数方法');
    expect(assess({ insuranceType: 'resident', gapYears: 1 }).notes.join()).toContain('没有核实到您所在地的计数方法');
  });

  it('after a gap of 4 years or more, says the total is at least 6 months even without the local counting', () => {
    const result = assess({ insuranceType: 'resident', gapYears: 5, place: '郑州' });
    expect(result.benefitsResume.minWaitingMonths).toBe(6);
    expect(result.notes.join()).toContain('不少于6个月');
  });

  it('still computes nothing for a province whose city has a known counting (Shandong is not Qingdao)', () => {
    expect(assess({ insuranceType: 'resident', gapYears: 3, place: '山东' }).waiting).toBeNull();
    expect(assess({ insuranceType: 'resident', gapYears: 3, place: '青岛' }).waiting?.totalMonths).toBe(5);
  });

  it('rejects a place it cannot resolve, and a place given without a region lookup', () => {
    expect(() => assess({ insuranceType: 'resident', gapYears: 2, place: '火星' })).toThrow(expect.objectContaining({ code: 'REGION_NOT_FOUND' }));
    expect(() => assessArrears({ insuranceType: 'resident', gapYears: 2, place: '青岛' }, table)).toThrow(/region lookup/);
  });
});

describe('other gaps and waiting periods', () => {

  it('exempts newborns from the waiting period', () => {
    const result = assess({ insuranceType: 'resident', newborn: true, gapYears: 0 });
    expect(result.rule).toBe('resident-newborn');
    expect(result.benefitsResume).toMatchObject({ waitingMonths: 0, from: 'birth' });
    expect(result.waiting).toBeNull();
    expect(result.needs).toEqual([]);
  });

  it('asks for the number of gap years before computing', () => {
    const result = assess({ insuranceType: 'resident' });
    expect(result.needs).toEqual(['gapYears']);
    expect(result.benefitsResume.waitingMonths).toBeNull();
  });

  it('has no waiting period for continuous enrolment in the central period, 3 months when enrolling outside it', () => {
    expect(assess({ insuranceType: 'resident', gapYears: 0, enrolledOutsidePeriod: false }).benefitsResume).toMatchObject({
      waitingMonths: 0,
      from: 'no_waiting',
    });
    expect(assess({ insuranceType: 'resident', gapYears: 0, enrolledOutsidePeriod: true }).benefitsResume.waitingMonths).toBe(3);
    expect(assess({ insuranceType: 'resident', gapYears: 0 }).needs).toEqual(['enrolledOutsidePeriod']);
  });

  it('never computes a 居民医保 amount from a base and rate', () => {
    const result = assess({ insuranceType: 'resident', gapYears: 2, base: 5000, rate: 7.5, months: 4 });
    expect(result.amount).toBeNull();
    expect(result.amountNote).toContain('个人缴费标准');
  });
});

describe('职工医保 gaps', () => {
  it('lets a gap of 2 months around a transfer be back-paid with benefits from the month of payment', () => {
    const result = assess({ insuranceType: 'employee', gapMonths: 2, aroundTransfer: true });
    expect(result.rule).toBe('employee-transfer-short-gap');
    expect(result.canBackPay).toBe('yes');
    expect(result.benefitsResume).toMatchObject({ from: 'payment_month', waitingMonths: 0, retroactive: true });
    expect(result.basis[0]?.source.docNumber).toBe('医保办发〔2021〕43号');
    expect(result.needs).toEqual([]);
  });

  it('treats exactly 3 months as a short gap', () => {
    expect(assess({ insuranceType: 'employee', gapMonths: 3, aroundTransfer: true }).rule).toBe('employee-transfer-short-gap');
  });

  it('leaves a gap of 5 months around a transfer to a local waiting period of at most 6 months', () => {
    const result = assess({ insuranceType: 'employee', gapMonths: 5, aroundTransfer: true });
    expect(result.rule).toBe('employee-transfer-long-gap');
    expect(result.canBackPay).toBe('local_rule');
    expect(result.benefitsResume).toMatchObject({ from: 'after_waiting', waitingMonths: null, maxWaitingMonths: 6, retroactive: false });
  });

  it('counts a gap given in years as longer than 3 months', () => {
    expect(assess({ insuranceType: 'employee', gapYears: 1, aroundTransfer: true }).rule).toBe('employee-transfer-long-gap');
  });

  it('gives a switch between systems after ≥ 2 continuous years and ≤ 3 months the short-gap treatment', () => {
    const switching = assess({ insuranceType: 'resident', switchingSystems: true, continuousYearsBefore: 2, gapMonths: 3 });
    expect(switching.rule).toBe('switching-short-gap');
    expect(switching.benefitsResume).toMatchObject({ from: 'payment_month', retroactive: true });
    const tooShort = assess({ insuranceType: 'employee', switchingSystems: true, continuousYearsBefore: 1, gapMonths: 2, aroundTransfer: false });
    expect(tooShort.rule).toBe('employee-local');
  });

  it('asks how long a switching participant was insured before it can apply the switching rule', () => {
    const result = assess({ insuranceType: 'employee', switchingSystems: true, gapMonths: 2, aroundTransfer: false });
    expect(result.needs).toEqual(['continuousYearsBefore']);
  });

  it('leaves a gap outside a transfer to local rules', () => {
    const result = assess({ insuranceType: 'employee', gapMonths: 2, aroundTransfer: false });
    expect(result).toMatchObject({ rule: 'employee-local', canBackPay: 'local_rule', scope: 'national', verification: 'not-found' });
    // Not the transfer rule: a gap that is not around a transfer does not rest on 43号's continuity clause.
    expect(result.basis.map((b) => b.entryId)).not.toContain('continuity-gap-up-to-3-months');
    expect(result.benefitsResume.from).toBe('local_rule');
  });

  it('asks whether the gap was around a transfer and how long it was when neither is known', () => {
    const result = assess({ insuranceType: 'employee' });
    expect(result.rule).toBe('employee-context-unknown');
    expect(result.needs).toEqual(['gapMonths', 'aroundTransfer']);
    expect(assess({ insuranceType: 'employee', aroundTransfer: true }).needs).toEqual(['gapMonths']);
  });

  it('notes that earlier contribution years still count', () => {
    expect(assess({ insuranceType: 'employee', gapMonths: 5 }).notes.join()).toContain('累计计算');
  });
});

describe('back-payment amount', () => {
  it('computes 4 × 5000 × 7.5% = 1500 from the user’s own base and rate', () => {
    const result = assess({ insuranceType: 'employee', gapMonths: 4, aroundTransfer: false, base: 5000, rate: 7.5 });
    expect(result.amount).toMatchObject({ months: 4, base: 5000, ratePercent: 7.5, total: 1500, formula: '4 × 5000 × 7.5% = 1500' });
    expect(result.notes).toContain('费率7.5按百分数理解，即7.5%');
  });

  it('reads a rate of 0.075 as 7.5 % and says so', () => {
    const asFraction = assess({ insuranceType: 'employee', gapMonths: 4, base: 5000, rate: 0.075 });
    expect(asFraction.amount?.total).toBe(1500);
    expect(asFraction.amount?.ratePercent).toBe(7.5);
    expect(asFraction.amount?.rateReading).toBe('费率0.075按小数理解，即7.5%');
  });

  it('rounds to cents and prefers explicit months over the gap', () => {
    const result = assess({ insuranceType: 'employee', gapMonths: 6, months: 3, base: 4321.5, rate: 8.8 });
    expect(result.amount).toMatchObject({ months: 3, total: 1140.88, formula: '3 × 4321.5 × 8.8% = 1140.88' });
  });

  it('gives no amount without a base, or without a rate, and never a city figure', () => {
    for (const input of [
      { insuranceType: 'employee', gapMonths: 4, rate: 7.5 },
      { insuranceType: 'employee', gapMonths: 4, base: 5000 },
    ] as const) {
      const result = assess(input);
      expect(result.amount).toBeNull();
      expect(result.amountNote).toContain('基数和费率');
      expect(result.amountNote).not.toMatch(/\d/);
    }
  });

  it('asks for the number of months when only base and rate are given', () => {
    const result = assess({ insuranceType: 'employee', base: 5000, rate: 7.5 });
    expect(result.amount).toBeNull();
    expect(result.amountNote).toContain('几个月');
  });
});

describe('late fee', () => {
  it('is the employer’s 0.05 % a day under art. 86, with no national late fee for individuals', () => {
    const result = assess({ insuranceType: 'employee', gapMonths: 2, payer: 'individual' });
    expect(result.lateFee).toMatchObject({ who: 'employer', ratePerDay: '0.05%', appliesToPayer: false });
    expect(result.lateFee.note).toContain('当地规定');
    expect(result.lateFee.basis[0]?.source.article).toBe('第八十六条');
    expect(assess({ insuranceType: 'employee', payer: 'employer' }).lateFee.appliesToPayer).toBe(true);
  });
});

describe('waiting periods as data', () => {
  const editedTable = (edit: (yaml: string) => string) => {
    const dir = mkdtempSync(join(tmpdir(), 'waiting-tables-'));
    const yaml = readFileSync(join(knowledgeDir, 'tables', 'waiting-periods.yaml'), 'utf8');
    writeFileSync(join(dir, 'waiting-periods.yaml'), edit(yaml));
    return loadWaitingPeriods(dir);
  };

  it('follows an edited fixed waiting period and short-gap threshold without code changes', () => {
    const edited = editedTable((y) => y.replace('fixedMonths: 3', 'fixedMonths: 2').replaceAll('gapMonths: { atMost: 3 }', 'gapMonths: { atMost: 6 }'));
    expect(assessArrears({ insuranceType: 'resident', gapYears: 2, place: '青岛' }, edited, { regions }).waiting?.totalMonths).toBe(3);
    expect(assessArrears({ insuranceType: 'resident', gapYears: 2 }, edited).benefitsResume.minWaitingMonths).toBe(2);
    expect(assessArrears({ insuranceType: 'employee', gapMonths: 5, aroundTransfer: true }, edited).rule).toBe('employee-transfer-short-gap');
  });

  it('computes for a new place once its counting is added to the table, without code changes', () => {
    const edited = editedTable((y) =>
      y.replace('  countings:\n', "  countings:\n    - place: 郑州市\n      regions: ['410100']\n      gapYearsWithoutVariable: 0\n      note: 测试用计数方法说明。\n      basis: [*qingdao-example]\n"),
    );
    expect(assessArrears({ insuranceType: 'resident', gapYears: 2, place: '郑州' }, edited, { regions }).waiting?.totalMonths).toBe(5);
  });

  it('links every source to an existing knowledge entry', () => {
    const ids = new Set(loadEntries().map((e) => e.id));
    const linked = [...JSON.stringify(table).matchAll(/"entryId":"([^"]+)"/g)].map((m) => m[1]!);
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('follows an edited late-fee rate', () => {
    const edited = editedTable((y) => y.replace('ratePerDay: 0.05%', 'ratePerDay: 0.2%'));
    expect(assessArrears({ insuranceType: 'employee' }, edited).lateFee.ratePerDay).toBe('0.2%');
  });

  it('refuses a table without a last-resort rule for one insurance type', () => {
    expect(() => editedTable((y) => y.replace('when: { insuranceType: [employee] }\n    canBackPay: local_rule', 'when: { insuranceType: [employee], aroundTransfer: [no] }\n    canBackPay: local_rule'))).toThrow(
      /waiting-periods\.yaml.*employee/,
    );
  });
});

describe('arrears tool', () => {
  it('validates its input', () => {
    const tool = createArrearsTool();
    expect(tool).toMatchObject({ name: 'arrears', route: 'arrears' });
    expect(tool.input.safeParse({ insuranceType: 'employee', gapMonths: 601 }).success).toBe(false);
    expect(tool.input.safeParse({ insuranceType: 'employee', rate: -1 }).success).toBe(false);
    expect(tool.input.safeParse({ gapMonths: 2 }).success).toBe(false);
    expect(tool.run(tool.input.parse({ insuranceType: 'employee', gapMonths: 2, aroundTransfer: true })).canBackPay).toBe('yes');
  });
});
