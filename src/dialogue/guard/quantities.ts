/**
 * Quantities as a reader understands them: a value with its unit and kind, the role the sentence
 * gives it (whose time limit, whose share), whether it states a rule, and for dates the weekday
 * written beside them. The figure guard compares these, so "转出地5个工作日" is not backed by a
 * destination's 5 working days, "45个工作日" is not backed by 45 months, and "2027年1月4日（周二）"
 * is caught although 2027-01-04 is right.
 */
import { parseChineseNumber, roundNumber } from '../understand/numbers.js';

/** What a number measures. Durations in years are kept in months, so 两年, 24个月 and 2年 agree. */
export type QuantityUnit =
  | 'working_days'
  | 'days'
  | 'months'
  | 'yuan'
  | 'percent'
  | 'age'
  | 'times'
  | 'count'
  /** A calendar date, YYYY-MM-DD. */
  | 'date'
  /** MM-DD without a year. */
  | 'monthday'
  /** YYYY-MM. */
  | 'yearmonth'
  /** A calendar year, 2025. */
  | 'year'
  /** A month of the year, 1–12. */
  | 'month'
  /** A day of the month, 1–31 ("次月15日", "20号"). */
  | 'day_of_month'
  | 'hotline'
  /** A document number, normalised: 医保办发〔2021〕43号. */
  | 'doc'
  /** An article or paragraph: 条32, 款2. */
  | 'article'
  /** A number with nothing that says what it counts. */
  | 'none';

/** Whose figure it is, as the sentence says. */
export type QuantityRole = 'origin' | 'destination' | 'employer' | 'individual';

/**
 * What the figure is of: a date that ends a stage or starts one; months of a waiting period or of
 * a gap in payment. "转入地最晚5月14日" is not backed by the destination stage starting on 5月14日.
 */
export type QuantityAspect = 'deadline' | 'start' | 'waiting' | 'gap';

export interface Quantity {
  unit: QuantityUnit;
  /** Canonical value: a decimal ("1500", "7.5"), an ISO date or month, or normalised text (documents). */
  value: string;
  /** The text as written, unit included ("10个工作日", "2026年5月14日（周四）"). */
  raw: string;
  index: number;
  role?: QuantityRole;
  aspect?: QuantityAspect;
  /** The sentence states a rule with it (a time limit, a cap, a deadline), not the user's own case. */
  policy: boolean;
  /** The sentence reports it as someone's claim or an old rule (网上说…, 旧规定…), not as today's rule. */
  attributed: boolean;
  /** 0 (Sunday) … 6, when a weekday is written beside a date. */
  weekday?: number;
}

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0E\uFF0C\uFF05\uFF0D\uFF0F\uFF1A]/g;
/** Same length as the input, so indices stay valid. */
const toHalfWidth = (s: string) => s.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

const FINANCIAL: Readonly<Record<string, string>> = { 壹: '一', 贰: '二', 貳: '二', 叁: '三', 參: '三', 肆: '四', 伍: '五', 陆: '六', 陸: '六', 柒: '七', 捌: '八', 玖: '九', 拾: '十', 佰: '百', 仟: '千', 萬: '万', 圆: '元', 圓: '元' };
/** 贰佰伍拾元 → 二百五十元, one character for one, so indices stay valid. */
const plainNumerals = (s: string) => s.replace(/[壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬圆圓]/g, (c) => FINANCIAL[c]!);

const WEEKDAY_NUMBER: Readonly<Record<string, number>> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const WEEKDAY_AFTER = /^\s*[（(，,\s]?\s*(?:周|星期|礼拜)([一二三四五六日天])\s*[)）]?/;

const pad2 = (n: number | string) => String(n).padStart(2, '0');
const canonical = (n: number) => String(roundNumber(n, 6));

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Weekday (0 = Sunday) of an ISO date. */
export function weekdayOfIso(iso: string): number {
  return new Date(`${iso}T00:00:00Z`).getUTCDay();
}

const ROLE_WORDS: ReadonlyArray<[RegExp, QuantityRole]> = [
  [/转出地|转出方|原参保地|原统筹地区|转出的?(?:地方|城市|一方)|转出/y, 'origin'],
  [/转入地|转入方|新参保地|新统筹地区|转入的?(?:地方|城市|一方)|转入/y, 'destination'],
  [/用人单位|单位|企业|公司|雇主/y, 'employer'],
  [/职工个人|个人(?!账户|帐户|医保|信息|名下|所有|情况|身份)|本人|自己/y, 'individual'],
];

// A rule, not the user's own case: a limit, a cap, a deadline, a standard rate.
const POLICY_CUE = /规定|等待期|时限|期限|最长|最多|最少|至少|不超过|不得超过|超过|以内|之内|以上|以下|办结|办完|法定|标准|上限|下限|比例|划入|滞纳金|最晚|最迟|截止|必须|应当|需要|要求|满/;

/** Where a role or a rule is read: the part of the sentence between commas, list marks and stops. */
const CLAUSE_BREAK = /[。；;！!？?\n，,、：:]/;
const SENTENCE_BREAK = /[。；;！!？?\n]/;

function clauseBounds(text: string, index: number, breaks: RegExp): [number, number] {
  let start = index;
  while (start > 0 && !breaks.test(text[start - 1]!)) start -= 1;
  let end = index;
  while (end < text.length && !breaks.test(text[end]!)) end += 1;
  return [start, end];
}

// A figure between a role word and this figure belongs to that role word ("单位8% 个人2%").
const FIGURE_BETWEEN = /\d|[零〇一二两三四五六七八九十百千]+(?=个|%|元|年|月|天|日|岁|倍)/;

/**
 * The role of the figure at `index`: the first role word in its clause that no other figure stands
 * between ("转入地在收到转出地发出的信息表后5个工作日" is the destination's); else the nearest role
 * word earlier in the sentence.
 */
function roleAt(text: string, index: number): QuantityRole | undefined {
  const [start] = clauseBounds(text, index, CLAUSE_BREAK);
  for (let i = start; i < index; i++) {
    const hit = roleWordAt(text, i, index);
    if (hit && !FIGURE_BETWEEN.test(maskWords(text.slice(hit.end, index)))) return hit.role;
  }
  // "· 转出地：最晚5月14日", "转入地收到后，5个工作日内": whose stage it is carries over the clause
  // break; whose share of a payment does not.
  const [sentenceStart] = clauseBounds(text, index, SENTENCE_BREAK);
  let nearest: QuantityRole | undefined;
  for (let i = sentenceStart; i < start; i++) {
    const role = roleWordAt(text, i, start)?.role;
    if (role === 'origin' || role === 'destination') nearest = role;
  }
  return nearest;
}

function roleWordAt(text: string, at: number, limit: number): { role: QuantityRole; end: number } | undefined {
  for (const [pattern, role] of ROLE_WORDS) {
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    if (m && m.index + m[0].length <= limit) return { role, end: m.index + m[0].length };
  }
  return undefined;
}

const ASPECT_CUES: ReadonlyArray<[RegExp, QuantityAspect, ReadonlySet<QuantityUnit>]> = [
  [/最晚|最迟|截止|之前|以前|前办|办完|办结|到期|届满|完成/g, 'deadline', new Set(['date', 'monthday', 'day_of_month'])],
  [/起算|开始算|起计|受理|收到|提交|申请|递交/g, 'start', new Set(['date', 'monthday', 'day_of_month'])],
  [/等待期|等待|享受待遇|才能报销|才能用/g, 'waiting', new Set(['months'])],
  [/断缴|断保|断交|断档|中断|断了|停保|停交|没交|没缴|未缴|未参保|欠缴|补缴|补交/g, 'gap', new Set(['months'])],
];

/** The aspect whose cue word stands nearest the figure in its clause. */
function aspectAt(text: string, index: number, length: number, unit: QuantityUnit): QuantityAspect | undefined {
  const [start, end] = clauseBounds(text, index, CLAUSE_BREAK);
  let best: { distance: number; aspect: QuantityAspect } | undefined;
  for (const [pattern, aspect, units] of ASPECT_CUES) {
    if (!units.has(unit)) continue;
    pattern.lastIndex = start;
    for (let m = pattern.exec(text); m && m.index < end; m = pattern.exec(text)) {
      const distance = m.index >= index + length ? m.index - (index + length) : m.index + m[0].length <= index ? index - (m.index + m[0].length) : 0;
      if (!best || distance < best.distance) best = { distance, aspect };
    }
  }
  return best?.aspect;
}

// Someone else's claim or a superseded rule, anywhere in the sentence.
const ATTRIBUTION_CUE = /网上|文章|有人|有的|有些|传言|说法|流传|听说|旧|以前|此前|原来|过去|曾经|早期|废止|不再|不适用|已不|并非|不是|错误|误传|谣言|老规定|之前的规定|以往/;

function attributedAt(text: string, index: number): boolean {
  const [start, end] = clauseBounds(text, index, SENTENCE_BREAK);
  return ATTRIBUTION_CUE.test(text.slice(start, end));
}

function policyAt(text: string, index: number, length: number, unit: QuantityUnit): boolean {
  if (unit === 'working_days' || unit === 'days' || unit === 'hotline' || unit === 'doc' || unit === 'article' || unit === 'age' || unit === 'times') return true;
  const [start, end] = clauseBounds(text, index, CLAUSE_BREAK);
  const clause = text.slice(start, index) + text.slice(index + length, end);
  return POLICY_CUE.test(clause);
}

const maskWords = (text: string) => text.replace(NOT_A_FIGURE, (w) => '＿'.repeat(w.length));

const NUMERAL = '零〇一二两三四五六七八九十百千万亿';
const NUMERAL_RUN = new RegExp(`[${NUMERAL}]+(?:点[零〇一二三四五六七八九]+)?`, 'g');

// Words made of numeral characters that are not figures.
const NOT_A_FIGURE =
  /最后一天|前一天|后一天|同一天|第一天|每一天|哪一|某一|任一|每一|同一|统一|唯一|一律|一并|一旦|一些|一下|一定|一样|一方|一般|一致|一起|一次性|一体|一站式|一网通办|一窗|一件事|一码|一卡通|一对一|一一|之一|一直|一经|一同|一边|一是|二是|三是|百分百|一系列|一揽子|不一|逐一|一家人|一个人|第一时间|一二三|三险一金|五险一金|(?<![零〇一二两三四五六七八九十百千万])(?:万一|千万|十分)|四川|十堰|六安|三门峡|三明|三亚|九江|七台河|万宁|万州|五指山|六盘水|四平|二连浩特|石河子|五家渠|十里/g;

// Units after a number, longest first.
const UNIT_AFTER: ReadonlyArray<[RegExp, QuantityUnit | 'years' | 'wan']> = [
  [/^\s*个?工作日/, 'working_days'],
  [/^\s*个?自然日/, 'days'],
  [/^\s*个?(?:多)?月(?![0-9一二三四五六七八九十]{1,3}[日号])/, 'months'],
  [/^\s*(?:周岁|岁)/, 'age'],
  [/^\s*(?:万元|万块)/, 'wan'],
  [/^\s*(?:元|块钱|块)/, 'yuan'],
  [/^\s*(?:%|％|个百分点)/, 'percent'],
  [/^\s*倍/, 'times'],
  [/^\s*(?:多)?(?:年)(?![0-9一二三四五六七八九十]{1,2}月)/, 'years'],
  [/^\s*(?:天|日)(?!期)/, 'days'],
  [/^\s*个?(?:项|种|类|次|人|名|步|条|款|批|份|张|家|个)/, 'count'],
];

interface NumberToken {
  index: number;
  length: number;
  value: number;
  /** Set when the token itself carries a unit (百分之七点五, 半年, 一年半). */
  unit?: QuantityUnit;
  ordinal?: boolean;
}

/** Texts read recently, with their quantities: tool outputs and entries repeat from turn to turn. */
const recent = new Map<string, readonly Readonly<Quantity>[]>();
const RECENT_MAX = 4_096;

/**
 * Every quantity in a text, in order of appearance (frozen: the same text gives the same array).
 * @example extractQuantities('转出地10个工作日') // [{ unit: 'working_days', value: '10', role: 'origin', policy: true, … }]
 */
export function extractQuantities(input: string): readonly Readonly<Quantity>[] {
  const known = recent.get(input);
  if (known) return known;
  const found = Object.freeze(readQuantities(input).map((q) => Object.freeze(q)));
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(input, found);
  return found;
}

function readQuantities(input: string): Quantity[] {
  const text = plainNumerals(toHalfWidth(input));
  const found: Quantity[] = [];
  const taken: Array<[number, number]> = [];
  const free = (start: number, end: number) => taken.every(([a, b]) => end <= a || start >= b);
  const add = (start: number, end: number, q: Omit<Quantity, 'index' | 'raw' | 'policy' | 'attributed' | 'role'> & { role?: QuantityRole }, roleFrom = start) => {
    if (!free(start, end)) return false;
    taken.push([start, end]);
    const role = q.role ?? roleAt(text, roleFrom);
    const quantity: Quantity = {
      ...q,
      raw: input.slice(start, end),
      index: start,
      policy: policyAt(text, start, end - start, q.unit),
      attributed: attributedAt(text, start),
    };
    if (role && q.unit !== 'doc' && q.unit !== 'article' && q.unit !== 'hotline' && q.unit !== 'year') quantity.role = role;
    const aspect = aspectAt(text, start, end - start, q.unit);
    if (aspect) quantity.aspect = aspect;
    found.push(quantity);
    return true;
  };
  const weekdayAfter = (end: number): { weekday?: number; end: number } => {
    const m = WEEKDAY_AFTER.exec(text.slice(end));
    return m ? { weekday: WEEKDAY_NUMBER[m[1]!]!, end: end + m[0].length } : { end };
  };

  // Document numbers: 医保办发〔2021〕43号, 国办发明电[2025]7号. The two characters before the
  // bracket name the series (办发, 明电, 保规) whatever words lead into it ("按医保办发…").
  for (const m of text.matchAll(/([\u4e00-\u9fa5]{2})\s*[〔[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(\d{1,4})\s*号/g)) {
    add(m.index, m.index + m[0].length, { unit: 'doc', value: `${m[1]}〔${m[2]}〕${Number(m[3])}号` });
  }
  // Full dates, with the weekday written after them.
  for (const m of text.matchAll(/(?<!\d)(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?|[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2}))(?!\d)/g)) {
    const y = Number(m[1]);
    const mo = Number(m[2] ?? m[4]);
    const d = Number(m[3] ?? m[5]);
    if (!validDate(y, mo, d)) continue;
    const w = weekdayAfter(m.index + m[0].length);
    add(m.index, w.end, { unit: 'date', value: `${y}-${pad2(mo)}-${pad2(d)}`, ...(w.weekday !== undefined ? { weekday: w.weekday } : {}) });
  }
  // Year and month: 2025年6月.
  for (const m of text.matchAll(/(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)/g)) {
    if (validDate(Number(m[1]), Number(m[2]), 1)) add(m.index, m.index + m[0].length, { unit: 'yearmonth', value: `${m[1]}-${pad2(m[2]!)}` });
  }
  // Month and day: 5月14日, 5月14号, 1月4日（周一）.
  for (const m of text.matchAll(/(?<![\d.-])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/g)) {
    if (!validDate(2024, Number(m[1]), Number(m[2]))) continue;
    const w = weekdayAfter(m.index + m[0].length);
    add(m.index, w.end, { unit: 'monthday', value: `${pad2(m[1]!)}-${pad2(m[2]!)}`, ...(w.weekday !== undefined ? { weekday: w.weekday } : {}) });
  }
  // Day of a month without the month: 次月15日, 每月20号, 5月1日至5日. A bare "10日" is ten days.
  for (const m of text.matchAll(/(?<![\d.])(\d{1,2})\s*([日号])(?![\d期常文])/g)) {
    const day = Number(m[1]);
    const lead = text.slice(Math.max(0, m.index - 2), m.index);
    const ofMonth = m[2] === '号' || /月\s*$|[至到—–\-~～]\s*$/.test(lead);
    if (ofMonth && day >= 1 && day <= 31) add(m.index, m.index + m[0].length, { unit: 'day_of_month', value: String(day) });
  }
  // Years: 2025年, 2025年起.
  for (const m of text.matchAll(/(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)(?!\s*[半])/g)) {
    add(m.index, m.index + m[0].length, { unit: 'year', value: m[1]! });
  }
  // Hotlines.
  // A service number is not followed by a unit ("12300天" is days, not a hotline).
  for (const m of text.matchAll(/(?<!\d)(123\d{2})(?![\d.]|\s*(?:个|天|日|元|块|月|年|周|%|号|岁|倍|工作日))/g)) add(m.index, m.index + m[0].length, { unit: 'hotline', value: m[1]! });

  const tokens = numberTokens(text).filter((t) => free(t.index, t.index + t.length));
  const pending: Array<{ token: NumberToken; start: number; end: number }> = [];
  for (const token of tokens) {
    const end = token.index + token.length;
    const before = text.slice(Math.max(0, token.index - 1), token.index);
    if (token.unit) {
      add(token.index, end, { unit: token.unit, value: canonical(token.value) });
      continue;
    }
    const after = text.slice(end);
    if (before === '第') {
      const level = /^\s*(条|款|项|章|节)/.exec(after);
      if (level) add(token.index - 1, end + level[0].length, { unit: 'article', value: `${level[1]}${canonical(token.value)}` });
      else add(token.index - 1, end, { unit: 'count', value: canonical(token.value) });
      continue;
    }
    const month = /^\s*月(?:份|底|初|中|末)?/.exec(after);
    if (month && token.value >= 1 && token.value <= 12 && Number.isInteger(token.value) && !/^\s*个/.test(after)) {
      add(token.index, end + month[0].length, { unit: 'month', value: canonical(token.value) });
      continue;
    }
    let matched = false;
    for (const [pattern, unit] of UNIT_AFTER) {
      const u = pattern.exec(after);
      if (!u) continue;
      // 一年半, 两年半: half a year more.
      const half = unit === 'years' ? /^半/.exec(after.slice(u[0].length)) : null;
      const unitEnd = end + u[0].length + (half ? 1 : 0);
      if (unit === 'years') add(token.index, unitEnd, { unit: 'months', value: canonical(token.value * 12 + (half ? 6 : 0)) });
      else if (unit === 'wan') add(token.index, unitEnd, { unit: 'yuan', value: canonical(token.value * 10_000) });
      else add(token.index, unitEnd, { unit, value: canonical(token.value) });
      matched = true;
      break;
    }
    if (!matched) pending.push({ token, start: token.index, end });
  }
  // A bare number in a list or range shares the unit of the figure it is listed with: 3到6个月,
  // 转出地10、转入地5个工作日.
  for (const { token, start, end } of pending) {
    const next = found.filter((q) => q.index >= end).sort((x, y) => x.index - y.index)[0];
    const between = next ? text.slice(end, next.index) : '';
    const shares = next && /^\s*(?:[、和及与或到至~～\-—–]|或者)\s*[\u4e00-\u9fa5]{0,6}\s*$/.test(between) && !/[。；;\n]/.test(between);
    const unit = shares && next.unit !== 'date' && next.unit !== 'doc' && next.unit !== 'hotline' ? next.unit : 'none';
    // A shared "months" came from years if the next figure was written in years.
    const value = unit === 'months' && next && /年/.test(next.raw) ? token.value * 12 : token.value;
    add(start, end, { unit, value: canonical(value) });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** Arabic and Chinese numbers, including 1.2万, 四千五, 百分之七点五, 万分之五, 半年, 一年半. */
function numberTokens(text: string): NumberToken[] {
  const tokens: NumberToken[] = [];
  const taken: Array<[number, number]> = [];
  const push = (t: NumberToken) => {
    if (taken.some(([a, b]) => t.index < b && t.index + t.length > a)) return;
    taken.push([t.index, t.index + t.length]);
    tokens.push(t);
  };
  // 百分之七点五, 万分之五 (= 0.05 %), 千分之二.
  for (const m of text.matchAll(new RegExp(`(万|千|百)分之([\\d.]+|[${NUMERAL}点]+)`, 'g'))) {
    const n = /^[\d.]+$/.test(m[2]!) ? Number(m[2]) : parseChineseNumber(m[2]!);
    if (n === undefined || !Number.isFinite(n)) continue;
    const per = m[1] === '万' ? 100 : m[1] === '千' ? 10 : 1;
    push({ index: m.index, length: m[0].length, value: n / per, unit: 'percent' });
  }
  // 半年, 半个月.
  for (const m of text.matchAll(/(?<![一二两三四五六七八九十\d])半(个月|年)/g)) {
    push({ index: m.index, length: m[0].length, value: m[1] === '年' ? 6 : 0.5, unit: 'months' });
  }
  // Arabic numbers, with thousands separators, decimals and 万/千 (1.2万, 3千5).
  for (const m of text.matchAll(/\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:\s*(?:万|千)(?:\d(?![\d万千]))?)?/g)) {
    const raw = m[0].replace(/,/g, '').replace(/\s+/g, '');
    const mixed = /^(\d+(?:\.\d+)?)(万|千)(\d)?$/.exec(raw);
    const value = mixed ? Number(mixed[1]) * (mixed[2] === '万' ? 10_000 : 1000) + (mixed[3] ? Number(mixed[3]) * (mixed[2] === '万' ? 1000 : 100) : 0) : Number(raw);
    if (Number.isFinite(value)) push({ index: m.index, length: m[0].length, value });
  }
  // Chinese numerals that quantify something (a unit follows, 第 precedes, or the numeral is
  // unambiguous on its own such as 四十五 or 一千五); words like 一般 and 统一 are not figures.
  const masked = maskWords(text);
  for (const m of masked.matchAll(NUMERAL_RUN)) {
    const numeral = m[0];
    const value = parseChineseNumber(numeral);
    if (value === undefined) continue;
    const after = masked.slice(m.index + numeral.length);
    const before = masked[m.index - 1];
    const quantifies =
      before === '第' || UNIT_AFTER.some(([p]) => p.test(after)) || /^\s*月/.test(after) || /^半/.test(after) || numeral.length >= 2 && /[十百千万点]/.test(numeral);
    if (quantifies) push({ index: m.index, length: numeral.length, value });
  }
  return tokens.sort((a, b) => a.index - b.index);
}
