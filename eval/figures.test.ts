import { describe, expect, it } from 'vitest';
import { buildProvenance, canonicalNumber, extractFigures, findUnbackedFigures } from './figures.js';

const values = (text: string) => extractFigures(text).map((f) => `${f.kind}:${f.value}`);

describe('canonicalNumber', () => {
  it('drops leading zeros, trailing decimal zeros and separators', () => {
    expect(canonicalNumber('0012')).toBe('12');
    expect(canonicalNumber('1500.00')).toBe('1500');
    expect(canonicalNumber('7.50')).toBe('7.5');
    expect(canonicalNumber('0.05')).toBe('0.05');
    expect(canonicalNumber('1,440')).toBe('1440');
  });

  it('keeps long digit runs exact (identity and phone numbers)', () => {
    expect(canonicalNumber('110101199003071233')).toBe('110101199003071233');
  });
});

describe('extractFigures', () => {
  it('finds dates in every written form', () => {
    expect(values('2026年5月14日、2026-05-21、2026/5/9、5月15号、2026年6月')).toEqual([
      'date:2026-05-14',
      'date:2026-05-21',
      'date:2026-05-09',
      'yearMonth:2026-06',
      'monthDay:05-15',
    ]);
  });

  it('finds numbers written in Chinese, full-width or with separators', () => {
    expect(values('十个工作日，１５个工作日，1,440元，万分之五，第三十二条')).toEqual([
      'number:10',
      'number:15',
      'number:1440',
      'number:0.05',
      'number:32',
    ]);
  });

  it('does not count list markers as figures', () => {
    expect(values('办理步骤：\n1. 停保\n2、参保\n（3）申请')).toEqual([]);
    expect(values('分情况：(1)职工；(2)居民')).toEqual([]);
  });

  it('still counts a decimal at the start of a line', () => {
    expect(values('7.5%是费率')).toEqual(['number:7.5']);
  });

  it('reads a hotline with an area code as two numbers', () => {
    expect(values('0766-12393')).toEqual(['number:766', 'number:12393']);
  });
});

describe('findUnbackedFigures', () => {
  it('accepts a date written differently from the tool figure', () => {
    expect(findUnbackedFigures('转出地最晚2026年5月14日办完', ['2026-05-14'])).toEqual([]);
  });

  it('accepts a month-day date backed by a full date', () => {
    expect(findUnbackedFigures('最晚5月21日', ['2026-05-21'])).toEqual([]);
  });

  it('accepts a full date whose month-day and year are backed separately', () => {
    expect(findUnbackedFigures('即2026年5月14日', ['5月14日', '2026年'])).toEqual([]);
  });

  it('rejects a date one day off', () => {
    expect(findUnbackedFigures('最晚2026年5月15日', ['2026-05-14']).map((f) => f.value)).toEqual(['2026-05-15']);
  });

  it('accepts Chinese numerals and full-width digits backed by Arabic figures', () => {
    expect(findUnbackedFigures('转出地十个工作日，转入地５个工作日', ['10个工作日', '5个工作日'])).toEqual([]);
  });

  it('rejects 15 when only 10 and 5 are backed (no arithmetic is assumed)', () => {
    expect(findUnbackedFigures('全程15个工作日', ['10个工作日', '5个工作日']).map((f) => f.value)).toEqual(['15']);
  });

  it('accepts an amount with a thousands separator backed by plain digits', () => {
    expect(findUnbackedFigures('需补缴1,500元', ['1500元'])).toEqual([]);
    expect(findUnbackedFigures('需补缴1500.00元', ['1,500元'])).toEqual([]);
  });

  it('accepts a percentage written as a Chinese fraction', () => {
    expect(findUnbackedFigures('按日加收万分之五的滞纳金', ['0.05%'])).toEqual([]);
  });

  it('accepts figures from the user messages', () => {
    expect(findUnbackedFigures('断缴4个月，基数5000元，费率7.5%，合计1500元', ['1500元', '断缴4个月，基数５０００，费率７.５%'])).toEqual([]);
  });

  it('rejects an invented city figure', () => {
    expect(findUnbackedFigures('深圳退休人员每月约250元', ['国家基准约为2%']).map((f) => f.value)).toEqual(['250']);
  });

  it('rejects a year that nothing mentions', () => {
    expect(findUnbackedFigures('自2027年起', ['2026-05-14']).map((f) => f.value)).toEqual(['2027']);
  });

  it('backs the year of a full date, but not its day as a count', () => {
    const provenance = buildProvenance(['2026-05-14']);
    expect(provenance.numbers.has('2026')).toBe(true);
    expect(provenance.numbers.has('14')).toBe(false);
  });

  it('ignores words such as 一次性 and 统一', () => {
    expect(findUnbackedFigures('可一次性支付，全国统一办理', [])).toEqual([]);
  });
});
