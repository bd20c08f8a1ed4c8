/**
 * Chinese numerals and colloquial amounts → numbers ("十五" → 15, "一千五" → 1500, "七点五" → 7.5,
 * "1.5万" → 15000). Pure functions; which numerals in a sentence get rewritten is decided by
 * `convertChineseNumerals` with the unit and keep-word lists from knowledge/dialogue/normalize.yaml.
 */

const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const SMALL_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
const BIG_UNITS: Readonly<Record<string, number>> = { 万: 10_000, 亿: 100_000_000 };

const NUMERAL_CHARS = '零〇一二两三四五六七八九十百千万亿';
const DIGIT_CHARS = '零〇一二三四五六七八九';

/** Rounds away binary noise (0.075 × 100 = 7.499999…). */
export function roundNumber(value: number, decimals = 6): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/**
 * Parses a Chinese integer: positional ("二十八", "一千零五", "三万五千") and colloquial with an
 * implied trailing unit ("一千五" = 1500, "一万五" = 15000, "三百五" = 350). A run of bare digits
 * ("二〇二六", "一二三九三") is read digit by digit.
 * @example parseChineseInteger('一千五') // 1500
 */
export function parseChineseInteger(text: string): number | undefined {
  if (!text) return undefined;
  const chars = [...text];
  if (chars.some((c) => !(c in DIGITS) && !(c in SMALL_UNITS) && !(c in BIG_UNITS))) return undefined;
  if (chars.every((c) => c in DIGITS)) {
    if (chars.length === 1) return DIGITS[chars[0]!];
    // "五六个月" is a range, not 56; digit-by-digit needs 3+ digits or a zero ("二〇二六").
    if (chars.includes('两') || (chars.length === 2 && !chars.some((c) => DIGITS[c] === 0))) return undefined;
    return Number(chars.map((c) => DIGITS[c]).join(''));
  }
  let total = 0;
  let section = 0;
  let pending: number | undefined;
  let lastUnit = 1;
  let zeroSinceUnit = false;
  let previousWasUnit = false;
  for (const c of chars) {
    const digit = DIGITS[c];
    if (digit !== undefined) {
      if (digit === 0) zeroSinceUnit = true;
      else if (pending !== undefined && !previousWasUnit) return undefined; // "五五千": not a number
      else pending = digit;
      previousWasUnit = false;
      continue;
    }
    const small = SMALL_UNITS[c];
    if (small !== undefined) {
      section += (pending ?? 1) * small;
      pending = undefined;
      lastUnit = small;
      zeroSinceUnit = false;
      previousWasUnit = true;
      continue;
    }
    const big = BIG_UNITS[c]!;
    section += pending ?? 0;
    total += (section === 0 ? 1 : section) * big;
    section = 0;
    pending = undefined;
    lastUnit = big;
    zeroSinceUnit = false;
    previousWasUnit = true;
  }
  if (pending !== undefined) {
    // "一千五": a digit straight after 千/百/万 counts in the next unit down.
    const implied = !zeroSinceUnit && lastUnit >= 100 ? lastUnit / 10 : 1;
    section += pending * implied;
  }
  return total + section;
}

/**
 * Parses a Chinese number with an optional decimal part ("七点五" → 7.5, "零点零七五" → 0.075).
 */
export function parseChineseNumber(text: string): number | undefined {
  const dot = text.indexOf('点');
  if (dot < 0) return parseChineseInteger(text);
  const whole = dot === 0 ? 0 : parseChineseInteger(text.slice(0, dot));
  const fraction = [...text.slice(dot + 1)];
  if (whole === undefined || fraction.length === 0 || fraction.some((c) => !DIGIT_CHARS.includes(c))) return undefined;
  return Number(`${whole}.${fraction.map((c) => DIGITS[c]).join('')}`);
}

/**
 * Parses an amount as users type it: "5000", "5,000", "1.5万", "5千", "1千5", "一千五", "0.075".
 * Returns undefined for anything that is not one number.
 * @example parseAmount('1.5万') // 15000
 */
export function parseAmount(raw: string): number | undefined {
  const text = raw.trim().replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
  const mixed = /^(\d+(?:\.\d+)?)\s*(万|千)(\d)?$/.exec(text);
  if (mixed) {
    const unit = mixed[2] === '万' ? 10_000 : 1000;
    const tail = mixed[3] === undefined ? 0 : Number(mixed[3]) * (unit / 10);
    return roundNumber(Number(mixed[1]) * unit + tail);
  }
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  return parseChineseNumber(text);
}

export interface NumeralRules {
  /** Words after a numeral that make it a quantity ("个", "年", "工作日"). */
  units: readonly string[];
  /** Words made of numeral characters that must stay as they are ("千万", "一次性"). */
  keepWords: readonly string[];
}

export interface CompiledNumeralRules {
  run: RegExp;
  unitAfter: RegExp;
  keep: RegExp | null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Precompiles the numeral rules once (called at load, not per message). */
export function compileNumeralRules(rules: NumeralRules): CompiledNumeralRules {
  const units = [...rules.units].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const keep = [...rules.keepWords].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return {
    run: new RegExp(`(百分之)?([${NUMERAL_CHARS}]+(?:点[${DIGIT_CHARS}]+)?)`, 'g'),
    unitAfter: new RegExp(`^(?:${units.join('|')})`),
    keep: keep.length ? new RegExp(keep.join('|'), 'g') : null,
  };
}

/**
 * Rewrites Chinese numerals that quantify something into digits: "三个月" → "3个月",
 * "两年" → "2年", "十五个工作日" → "15个工作日", "一千五" → "1500", "七点五" → "7.5",
 * "百分之七点五" → "7.5%", "二〇二六年" → "2026年". A lone numeral character with no unit after it
 * is left alone, so place names (四川, 十堰, 六安, 三门峡) and words like "一起" survive.
 */
export function convertChineseNumerals(text: string, rules: CompiledNumeralRules): string {
  const protectedRanges: Array<[number, number]> = [];
  if (rules.keep) {
    rules.keep.lastIndex = 0;
    for (let m = rules.keep.exec(text); m; m = rules.keep.exec(text)) protectedRanges.push([m.index, m.index + m[0].length]);
  }
  const isProtected = (start: number, end: number) => protectedRanges.some(([s, e]) => start < e && end > s);
  rules.run.lastIndex = 0;
  return text.replace(rules.run, (whole: string, percent: string | undefined, numeral: string, offset: number) => {
    const numeralStart = offset + (percent?.length ?? 0);
    const numeralEnd = numeralStart + numeral.length;
    if (isProtected(numeralStart, numeralEnd)) return whole;
    const value = parseChineseNumber(numeral);
    if (value === undefined) return whole;
    const digits = String(value);
    if (percent) return `${digits}%`;
    const before = text[numeralStart - 1];
    const after = text.slice(numeralEnd);
    const chars = [...numeral];
    const quantifies =
      rules.unitAfter.test(after) ||
      before === '第' ||
      numeral.includes('点') ||
      (chars.length >= 2 && chars.some((c) => c in SMALL_UNITS || c in BIG_UNITS)) ||
      (chars.length >= 3 && chars.every((c) => c in DIGITS)) ||
      (chars.length >= 2 && chars.includes('〇'));
    return quantifies ? digits : whole;
  });
}

/**
 * Rewrites digit amounts with 万/千 into plain numbers ("1.5万" → "15000", "5千" → "5000",
 * "1千5" → "1500") and drops thousands separators ("5,000" → "5000").
 */
export function expandDigitAmounts(text: string): string {
  return text
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')
    .replace(/(?<![\d.])(\d+(?:\.\d+)?)(万|千)(\d(?![\d万千]))?/g, (whole: string) => {
      const value = parseAmount(whole);
      return value === undefined ? whole : String(value);
    });
}
