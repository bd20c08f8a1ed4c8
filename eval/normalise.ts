/**
 * Text normalisation shared by the figure check and by fact matching. The product promises that a
 * figure is the same figure however it is written, so the harness compares figures after:
 *
 * - full-width digits and signs → half-width (`２０２６` → `2026`, `７．５％` → `7.5%`);
 * - thousands separators removed (`1,440` / `1，440` → `1440`);
 * - Chinese numerals that quantify something → Arabic (`十个工作日` → `10个工作日`, `第八十六条` →
 *   `第86条`, `仨月` → `3月`, `二〇二六年` → `2026年`);
 * - 百分之/千分之/万分之 → percentages (`万分之五` → `0.05%`).
 *
 * Written independently of the product's own figure guard: the harness must not trust the code it
 * measures.
 */

const FULL_WIDTH_DIGITISH = /[\uFF10-\uFF19\uFF0E\uFF05\uFF0D\uFF0F\uFF1A]/g;

/** Full-width digits, `．％－／：` and the ideographic space to half-width; other punctuation is kept. */
export function toHalfWidth(text: string): string {
  return text
    .replace(FULL_WIDTH_DIGITISH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

const DIGIT: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 俩: 2, 三: 3, 仨: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const SMALL_UNIT: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
const LARGE_UNIT: Readonly<Record<string, number>> = { 万: 10_000, 亿: 100_000_000 };

/**
 * Value of a Chinese numeral (`十五` 15, `三十二` 32, `一千五百` 1500, `两万` 20000), read digit by
 * digit when it has no unit characters (`二〇二六` 2026). Null when the text is not a numeral.
 */
export function parseChineseNumeral(text: string): number | null {
  if (text.length === 0) return null;
  const chars = [...text];
  if (chars.every((c) => c in DIGIT)) {
    if (chars.length === 1) return DIGIT[chars[0]!]!;
    if (chars.some((c) => c === '俩' || c === '仨' || c === '两')) return null;
    return Number(chars.map((c) => DIGIT[c]).join(''));
  }
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const c of chars) {
    if (c === '零' || c === '〇') {
      if (digit !== null) return null;
    } else if (c in DIGIT) {
      if (digit !== null) return null; // two digits in a row inside a unit numeral: not a numeral
      digit = DIGIT[c]!;
    } else if (c in SMALL_UNIT) {
      section += (digit ?? 1) * SMALL_UNIT[c]!;
      digit = null;
    } else if (c in LARGE_UNIT) {
      total = (total + section + (digit ?? 0)) * LARGE_UNIT[c]!;
      section = 0;
      digit = null;
    } else return null;
  }
  return total + section + (digit ?? 0);
}

const NUMERAL_CHARS = '零〇一二两三四五六七八九十百千万亿';

// Units after which a Chinese numeral is a figure. Time and money units take any value; count
// units (个, 条, 种 …) skip a bare 一, which in running text is an article ("一个问题").
const TIME_OR_MONEY_UNITS = ['个工作日', '个自然日', '个月', '工作日', '自然日', '周岁', '岁', '年', '月', '日', '号', '天', '周', '小时', '元', '块', '倍'];
const COUNT_UNITS = ['个', '条', '款', '项', '种', '类', '次', '成'];

// Words in which numeral characters are not figures.
const NOT_FIGURES = [
  '一次性', '一般', '一致', '一起', '一直', '一共', '一切', '一同', '一律', '一并', '一旦', '一些', '一下', '一定',
  '一样', '一方面', '一年一度', '一对一', '同一', '统一', '唯一', '逐一', '每一', '万一', '十分', '之一', '一度',
  '千万', '百姓', '三言两语', '一体化', '一站式', '一网通办', '一件事', '最后一',
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const notFigurePattern = new RegExp(NOT_FIGURES.map(escapeRegExp).join('|'), 'g');
const numeralBeforeUnit = new RegExp(
  `(第)?([${NUMERAL_CHARS}]+|[俩仨])(?=(${[...TIME_OR_MONEY_UNITS, ...COUNT_UNITS, '%'].map(escapeRegExp).join('|')}))`,
  'g',
);
const fraction = new RegExp(`(百|千|万)分之([${NUMERAL_CHARS}点]+|\\d+(?:\\.\\d+)?)`, 'g');
const chineseYear = /([零〇一二三四五六七八九]{4})(?=年)/g;

function formatDecimal(value: number): string {
  return String(Number(value.toPrecision(12)));
}

function parseChineseDecimal(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const [whole, frac] = text.split('点');
  const w = parseChineseNumeral(whole ?? '');
  if (w === null) return null;
  if (frac === undefined) return w;
  const digits = [...frac].map((c) => DIGIT[c]);
  if (digits.some((d) => d === undefined)) return null;
  return Number(`${w}.${digits.join('')}`);
}

/** Replaces the characters of `words` in `text` with placeholders of the same length. */
function mask(text: string): string {
  return text.replace(notFigurePattern, (w) => '\u0000'.repeat(w.length));
}

/** Chinese numerals that quantify something → Arabic digits; fractions → percentages. */
export function convertChineseNumerals(text: string): string {
  let out = text.replace(fraction, (whole, kind: string, amount: string) => {
    const value = parseChineseDecimal(amount);
    if (value === null) return whole;
    const percent = kind === '百' ? value : kind === '千' ? value / 10 : value / 100;
    return `${formatDecimal(percent)}%`;
  });
  out = out.replace(chineseYear, (numeral: string) => String(parseChineseNumeral(numeral) ?? numeral));

  const masked = mask(out);
  const pieces: string[] = [];
  let last = 0;
  for (const m of masked.matchAll(numeralBeforeUnit)) {
    const numeral = m[2]!;
    const unit = m[3]!;
    const start = m.index + (m[1] ? 1 : 0);
    const value = parseChineseNumeral(numeral);
    if (value === null) continue;
    if (value === 1 && numeral === '一' && COUNT_UNITS.includes(unit) && !m[1]) continue;
    pieces.push(out.slice(last, start), String(value));
    last = start + numeral.length;
  }
  pieces.push(out.slice(last));
  return pieces.join('');
}

/** Removes thousands separators: `1,440`, `1，440`, `12,000.50` → digits only. */
export function removeThousandsSeparators(text: string): string {
  return text.replace(/(?<![\d.])\d{1,3}(?:[,，]\d{3})+(?![\d])/g, (m) => m.replace(/[,，]/g, ''));
}

/** Full normalisation for figures: half-width, Chinese numerals to digits, no thousands separators. */
export function normaliseFigures(text: string): string {
  return removeThousandsSeparators(convertChineseNumerals(toHalfWidth(text)));
}

const pad2 = (n: string) => n.padStart(2, '0');

/**
 * `normaliseFigures`, then dates in a single form: full dates as `YYYY-MM-DD`, month-day dates as
 * `MM-DD` (`2026年5月14日` → `2026-05-14`, `5月14号` → `05-14`).
 */
export function normaliseDates(text: string): string {
  return normaliseFigures(text)
    .replace(
      /(?<!\d)(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?|[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2}))(?!\d)/g,
      (whole, y: string, m1?: string, d1?: string, m2?: string, d2?: string) => {
        const m = m1 ?? m2 ?? '';
        const d = d1 ?? d2 ?? '';
        return validMonthDay(m, d) ? `${y}-${pad2(m)}-${pad2(d)}` : whole;
      },
    )
    .replace(/(?<![\d-])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/g, (whole, m: string, d: string) =>
      validMonthDay(m, d) ? `${pad2(m)}-${pad2(d)}` : whole,
    );
}

export function validMonthDay(month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** The forms of a reply that facts and forbidden claims are tried against: raw, figures, dates. */
export function matchingVariants(text: string): string[] {
  return [...new Set([text, normaliseFigures(text), normaliseDates(text)])];
}
