import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsPersonalData, maskNames, maskPersonalData } from './mask.js';

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
const chineseText = fc.array(fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)), { maxLength: 12 }).map((c) => c.join(''));

const idNumber = fc
  .tuple(digits(6), fc.integer({ min: 1930, max: 2025 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), digits(3), fc.constantFrom(...'0123456789X'))
  .map(([area, y, m, d, seq, check]) => `${area}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${seq}${check}`);
const mobile = fc.tuple(fc.constantFrom('3', '4', '5', '6', '7', '8', '9'), digits(9)).map(([second, rest]) => `1${second}${rest}`);
const toFullWidth = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('masking ID and mobile numbers', () => {
  it('keeps the first 6 and last 4 digits of an ID number', () => {
    expect(maskPersonalData('身份证110101199001011234').text).toBe('身份证110101********1234');
    expect(maskPersonalData('11010119900101123X').text).toBe('110101********123X');
    expect(maskPersonalData('老身份证110101900101123').text).toBe('老身份证110101*****1123');
  });

  it('masks a mobile number however it is typed', () => {
    for (const typed of ['13812345678', '138 1234 5678', '138-1234-5678', '１３８１２３４５６７８']) {
      const { text, found } = maskPersonalData(`电话${typed}，谢谢`);
      expect(text).toMatch(/^电话(138|１３８)\*{4}(5678|５６７８)，谢谢$/);
      expect(found).toEqual({ idNumbers: 0, phones: 1 });
    }
    expect(maskPersonalData('+86 13812345678').text).toBe('+86 138****5678');
  });

  it('masks any valid ID number embedded in Chinese text', () => {
    fc.assert(
      fc.property(chineseText, idNumber, chineseText, fc.boolean(), (before, id, after, fullWidth) => {
        const typed = fullWidth ? toFullWidth(id) : id;
        const { text, found } = maskPersonalData(before + typed + after);
        expect(found.idNumbers).toBe(1);
        expect(text).toBe(before + typed.slice(0, 6) + '********' + typed.slice(14) + after);
        expect(containsPersonalData(before + typed + after)).toBe(true);
      }),
    );
  });

  it('masks any mobile number embedded in Chinese text, grouped or not', () => {
    fc.assert(
      fc.property(chineseText, mobile, chineseText, fc.constantFrom('', ' ', '-'), (before, phone, after, sep) => {
        const typed = `${phone.slice(0, 3)}${sep}${phone.slice(3, 7)}${sep}${phone.slice(7)}`;
        const { text, found } = maskPersonalData(before + typed + after);
        expect(found.phones).toBe(1);
        expect(text).toBe(`${before}${phone.slice(0, 3)}****${phone.slice(7)}${after}`);
        expect(text).not.toContain(phone.slice(3, 7) + phone.slice(7));
      }),
    );
  });

  it('leaves the ordinary numbers of insurance questions alone', () => {
    const ordinary = ['5000', '7.5%', '2026-04-28', '12393', '12333', '320583', '2026年4月28日', '10个工作日', '0.075', '15000元'];
    fc.assert(
      fc.property(chineseText, fc.constantFrom(...ordinary), chineseText, (before, number, after) => {
        const message = before + number + after;
        expect(maskPersonalData(message)).toEqual({ text: message, found: { idNumbers: 0, phones: 0 } });
        expect(containsPersonalData(message)).toBe(false);
      }),
    );
  });

  it('does not mask numbers that are too long to be a phone', () => {
    expect(maskPersonalData('订单138123456789').found.phones).toBe(0);
  });
});

describe('masking names in self-introductions', () => {
  it.each([
    ['我叫张三', '我叫**'],
    ['我叫张三丰', '我叫**'],
    ['我叫张三想问一下医保', '我叫**想问一下医保'],
    ['我是李四，想问医保转移', '我是**，想问医保转移'],
    ['姓名：王五', '姓名：**'],
    ['我的名字是欧阳娜娜', '我的名字是**'],
  ])('%s → %s', (input, output) => {
    expect(maskNames(input)).toBe(output);
  });

  it.each(['我是职工', '我是说居民医保', '我是退休人员', '我是张家港的', '我是黄石人', '我是江苏人', '我是灵活就业'])('leaves "%s" alone', (text) => {
    expect(maskNames(text)).toBe(text);
  });
});
