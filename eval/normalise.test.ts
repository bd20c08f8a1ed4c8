import { describe, expect, it } from 'vitest';
import {
  convertChineseNumerals,
  matchingVariants,
  normaliseDates,
  normaliseFigures,
  parseChineseNumeral,
  removeThousandsSeparators,
  toHalfWidth,
} from './normalise.js';

describe('toHalfWidth', () => {
  it('turns full-width digits, point and percent sign into ASCII', () => {
    expect(toHalfWidth('２０２６年４月２８日，费率７．５％')).toBe('2026年4月28日，费率7.5%');
  });

  it('keeps Chinese punctuation other than the digit signs', () => {
    expect(toHalfWidth('（一）你好，世界！')).toBe('（一）你好，世界！');
  });
});

describe('parseChineseNumeral', () => {
  it.each([
    ['十', 10],
    ['十五', 15],
    ['三十二', 32],
    ['八十六', 86],
    ['一百零五', 105],
    ['一千五百', 1500],
    ['两万', 20000],
    ['一万二千', 12000],
    ['二〇二六', 2026],
    ['仨', 3],
    ['俩', 2],
  ])('reads %s as %d', (text, value) => {
    expect(parseChineseNumeral(text)).toBe(value);
  });

  it('rejects text that is not a numeral', () => {
    expect(parseChineseNumeral('医保')).toBeNull();
    expect(parseChineseNumeral('')).toBeNull();
  });
});

describe('convertChineseNumerals', () => {
  it('converts numerals that quantify time, money and articles', () => {
    expect(convertChineseNumerals('十个工作日、五个工作日、三个月、两年、第八十六条、一千五百元')).toBe(
      '10个工作日、5个工作日、3个月、2年、第86条、1500元',
    );
  });

  it('converts fractions to percentages', () => {
    expect(convertChineseNumerals('按日加收万分之五')).toBe('按日加收0.05%');
    expect(convertChineseNumerals('百分之七点五')).toBe('7.5%');
    expect(convertChineseNumerals('千分之二')).toBe('0.2%');
    expect(convertChineseNumerals('百分之二左右')).toBe('2%左右');
  });

  it('converts a year written digit by digit and a Chinese month-day', () => {
    expect(convertChineseNumerals('二〇二六年五月十五日')).toBe('2026年5月15日');
  });

  it('leaves words that only contain numeral characters alone', () => {
    const text = '一次性支付，统一标准，一般来说，一个问题，万一断缴，十分重要，一年一度';
    expect(convertChineseNumerals(text)).toBe(text);
  });

  it('still reads 一 as a figure before a time unit', () => {
    expect(convertChineseNumerals('每多断保一年，增加一个月')).toBe('每多断保1年，增加1个月');
  });
});

describe('removeThousandsSeparators', () => {
  it('removes ASCII and full-width commas between digit groups', () => {
    expect(removeThousandsSeparators('1,440元和1，500元，12,000.50元')).toBe('1440元和1500元，12000.50元');
  });

  it('keeps commas that separate numbers in a list', () => {
    expect(removeThousandsSeparators('10,15,20')).toBe('10,15,20');
    expect(removeThousandsSeparators('第3，5条')).toBe('第3，5条');
  });
});

describe('normaliseDates', () => {
  it('writes every full date as YYYY-MM-DD', () => {
    expect(normaliseDates('2026年5月14日、2026-5-21、2026/05/09、２０２６年４月２８号')).toBe(
      '2026-05-14、2026-05-21、2026-05-09、2026-04-28',
    );
  });

  it('writes month-day dates as MM-DD', () => {
    expect(normaliseDates('5月14日，10月8号')).toBe('05-14，10-08');
  });

  it('leaves impossible dates as they are', () => {
    expect(normaliseDates('2026年13月40日')).toBe('2026年13月40日');
  });
});

describe('matchingVariants', () => {
  it('offers the raw, figure-normalised and date-normalised forms', () => {
    expect(matchingVariants('转出地十个工作日内，即2026年5月14日前')).toEqual([
      '转出地十个工作日内，即2026年5月14日前',
      '转出地10个工作日内，即2026年5月14日前',
      '转出地10个工作日内，即2026-05-14前',
    ]);
    expect(normaliseFigures('１，４４０')).toBe('1440');
  });
});
