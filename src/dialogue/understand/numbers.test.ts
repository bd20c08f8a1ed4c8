import { describe, expect, it } from 'vitest';
import { compileNumeralRules, convertChineseNumerals, expandDigitAmounts, parseAmount, parseChineseInteger, parseChineseNumber } from './numbers.js';

const rules = compileNumeralRules({
  units: ['个', '年', '月', '日', '号', '天', '元', '块', '工作日', '%'],
  keepWords: ['千万', '万一', '一次性'],
});

describe('Chinese numerals', () => {
  it.each([
    ['三', 3],
    ['两', 2],
    ['十', 10],
    ['十五', 15],
    ['二十八', 28],
    ['一百二十', 120],
    ['一千零五', 1005],
    ['五千', 5000],
    ['一千五', 1500],
    ['一万五', 15000],
    ['三百五', 350],
    ['两千三', 2300],
    ['一万五千', 15000],
    ['二〇二六', 2026],
    ['一二三九三', 12393],
  ])('reads %s as %d', (text, value) => {
    expect(parseChineseInteger(text)).toBe(value);
  });

  it('rejects what is not one number', () => {
    expect(parseChineseInteger('五六')).toBeUndefined();
    expect(parseChineseInteger('五五千')).toBeUndefined();
    expect(parseChineseInteger('三个')).toBeUndefined();
  });

  it('reads decimals', () => {
    expect(parseChineseNumber('七点五')).toBe(7.5);
    expect(parseChineseNumber('零点零七五')).toBe(0.075);
    expect(parseChineseNumber('七点')).toBeUndefined();
  });
});

describe('amounts as users type them', () => {
  it.each([
    ['5000', 5000],
    ['5,000', 5000],
    ['1.5万', 15000],
    ['5千', 5000],
    ['1千5', 1500],
    ['一千五', 1500],
    ['0.075', 0.075],
  ])('%s → %d', (text, value) => {
    expect(parseAmount(text)).toBe(value);
  });

  it('expands digit amounts inside a sentence', () => {
    expect(expandDigitAmounts('基数1.5万,工资5,000元')).toBe('基数15000,工资5000元');
  });
});

describe('rewriting numerals inside a sentence', () => {
  it.each([
    ['断缴三个月', '断缴3个月'],
    ['断了两年', '断了2年'],
    ['十五个工作日', '15个工作日'],
    ['基数一千五', '基数1500'],
    ['基数五千', '基数5000'],
    ['费率百分之七点五', '费率7.5%'],
    ['费率七点五', '费率7.5'],
    ['二〇二六年四月二十八日', '2026年4月28日'],
    ['第二十三条', '第23条'],
  ])('%s → %s', (input, output) => {
    expect(convertChineseNumerals(input, rules)).toBe(output);
  });

  it('leaves place names and idioms alone', () => {
    for (const text of ['四川', '十堰', '六安', '三门峡', '九江', '万州', '千万别断缴', '万一断了', '能一次性取出来吗', '一起办']) {
      expect(convertChineseNumerals(text, rules)).toBe(text);
    }
  });

  it('does not read a range as one number', () => {
    expect(convertChineseNumerals('五六个月', rules)).toBe('五六个月');
  });
});
