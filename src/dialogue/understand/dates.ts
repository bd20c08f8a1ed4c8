import type { DateRules } from './dialogue-rules.js';
import { alternation } from './patterns.js';

/** What a date in a message refers to, from the cue word next to it. */
export type DateKind = 'acceptedDate' | 'infoSheetReceivedDate' | 'questioned' | 'confirmed' | 'check' | 'start' | 'generic';

/** A calendar date found in a (normalised) message. */
export interface DateMention {
  /** YYYY-MM-DD. */
  date: string;
  /** Offsets into the normalised text. */
  start: number;
  end: number;
  text: string;
  kind: DateKind;
  /** The cue word that decided the kind ("受理", "收到信息表"). */
  cue?: string;
  /**
   * Set when the date was worked out rather than written in full ("上个月20号", "下周三", "5.6",
   * "1月10号" said of the future): the reply says which calendar date it took.
   */
  resolved?: true;
}

export interface CompiledDateRules {
  pattern: RegExp;
  relativeDays: ReadonlyMap<string, number>;
  relativeYears: ReadonlyMap<string, number>;
  relativeMonths: ReadonlyMap<string, number>;
  relativeWeeks: ReadonlyMap<string, number>;
  weekdays: ReadonlyMap<string, number>;
  cues: Array<{ kind: Exclude<DateKind, 'generic'>; before: RegExp; after: RegExp }>;
  future: RegExp;
  past: RegExp;
  vague: RegExp;
  cueWindow: number;
}

const DAY_MS = 86_400_000;
const CLAUSE_BREAK = /[,。?!;\n]/;

/** True when y-m-d is a real calendar date (2月30日 is not). */
export function isValidDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || year < 1900 || year > 2100) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** Parses 'YYYY-MM-DD' (the caller's "today"); throws on anything else. */
export function parseIsoDate(value: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw new RangeError(`today 不是有效的 YYYY-MM-DD 日期：${value}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** Adds calendar days to a YYYY-MM-DD date. */
export function addCalendarDays(date: string, days: number): string {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Precompiles knowledge/dialogue/dates.yaml (once, at load). */
export function compileDateRules(rules: DateRules): CompiledDateRules {
  const relDays = alternation(Object.keys(rules.relativeDays));
  const relYears = alternation(Object.keys(rules.relativeYears));
  const relMonths = alternation(Object.keys(rules.relativeMonths));
  const relWeeks = alternation(Object.keys(rules.relativeWeeks));
  const weekday = `[${Object.keys(rules.weekdays).join('')}]`;
  const pattern = new RegExp(
    [
      // 2026年4月28日 / 2026年4月28号 / 去年12月30日 / 4月28号 / 4月28
      `(?:(?<year>(?<!\\d)\\d{4})\\s*年|(?<relYear>${relYears}))?\\s*(?<!\\d)(?<month>\\d{1,2})\\s*月(?:份)?\\s*(?<day>\\d{1,2})(?!\\d)\\s*(?:日|号)?(?![\\d个天月年])`,
      // 2026-04-28 / 2026/4/28 / 2026.4.28
      `(?<!\\d)(?<isoYear>\\d{4})(?<sep>[-/.])(?<isoMonth>\\d{1,2})\\k<sep>(?<isoDay>\\d{1,2})(?![\\d.])`,
      // 上个月20号 / 这个月3号
      `(?<relMonth>${relMonths})(?:的)?\\s*(?<rmDay>\\d{1,2})\\s*(?:日|号)`,
      // 下周三 / 这周五 / 上星期一
      `(?<relWeek>${relWeeks})(?:的)?\\s*(?:周|星期|礼拜)?(?<weekday>${weekday})(?![\\d个天月年号日])`,
      // 5.6 / 5/6 (month and day, only where a date is meant: see shortDateOk)
      `(?<![\\d.:/])(?<shortMonth>\\d{1,2})(?<shortSep>[./])(?<shortDay>\\d{1,2})(?![\\d.%/万千元个年月岁倍天])`,
      `(?<relDay>${relDays})`,
    ].join('|'),
    'g',
  );
  const kinds = ['infoSheetReceivedDate', 'acceptedDate', 'questioned', 'confirmed', 'check', 'start'] as const;
  return {
    pattern,
    relativeDays: new Map(Object.entries(rules.relativeDays)),
    relativeYears: new Map(Object.entries(rules.relativeYears)),
    relativeMonths: new Map(Object.entries(rules.relativeMonths)),
    relativeWeeks: new Map(Object.entries(rules.relativeWeeks)),
    weekdays: new Map(Object.entries(rules.weekdays)),
    cues: kinds.map((kind) => ({
      kind,
      before: new RegExp(`${alternation(rules.kinds[kind])}`, 'g'),
      after: new RegExp(alternation(rules.kinds[kind])),
    })),
    future: new RegExp(alternation(rules.tense.future)),
    past: new RegExp(alternation(rules.tense.past)),
    vague: new RegExp(alternation(rules.vague)),
    cueWindow: rules.cueWindow,
  };
}

/** True when the message names a time it does not pin down (年后, 月底 …): ask for the date. */
export function hasVagueDate(text: string, rules: CompiledDateRules): boolean {
  return rules.vague.test(text);
}

// "5.6" is a date only next to a date word; a rate (费率7.5), an amount or a version is not.
const DATE_CONTEXT = /受理|申请|提交|递交|收到|号|日|那天|哪天|上班|工作日|截止|之前|以后|之后|起|交的|办的|放假|调休/;
const NOT_A_DATE_BEFORE = /(费率|比例|基数|缴费|工资|金额|块|元|%|版本|第)\s*$/;

function classify(text: string, start: number, end: number, previousEnd: number, nextStart: number, rules: CompiledDateRules): Pick<DateMention, 'kind' | 'cue'> {
  // The same clause only: the text before back to the previous date or punctuation, and after
  // up to the next date or punctuation, each at most cueWindow characters.
  let before = text.slice(Math.max(previousEnd, start - rules.cueWindow), start);
  const breakAt = Math.max(...[...before].map((c, i) => (CLAUSE_BREAK.test(c) ? i : -1)));
  if (breakAt >= 0) before = before.slice(breakAt + 1);
  let after = text.slice(end, Math.min(nextStart, end + rules.cueWindow));
  const stop = after.search(CLAUSE_BREAK);
  if (stop >= 0) after = after.slice(0, stop);

  let best: { kind: Exclude<DateKind, 'generic'>; cue: string; distance: number } | undefined;
  for (const { kind, before: beforeCue, after: afterCue } of rules.cues) {
    beforeCue.lastIndex = 0;
    for (let m = beforeCue.exec(before); m; m = beforeCue.exec(before)) {
      const distance = before.length - (m.index + m[0].length);
      if (!best || distance < best.distance) best = { kind, cue: m[0], distance };
    }
    const a = afterCue.exec(after);
    if (a && (!best || a.index < best.distance)) best = { kind, cue: a[0], distance: a.index };
  }
  return best ? { kind: best.kind, cue: best.cue } : { kind: 'generic' };
}

/**
 * Every date in a normalised message, in order, with what it refers to.
 *
 * A month and day without a year ("4月28号") takes today's year, even when that date is long past
 * or still ahead: people asking about a transfer mean this year's date, and guessing "last year"
 * would silently move a deadline by a year. Say 去年/明年 or the full year to mean another year.
 * Dates that do not exist (2月30日) are skipped.
 *
 * In a conversation that already talks about another year ("2025年1月20日受理…" then "2月8日那天
 * 上班吗"), `contextYear` is that year and a bare month and day takes it instead.
 *
 * @param today 'YYYY-MM-DD' in Asia/Shanghai.
 * @example findDates('4月28号受理的', '2026-05-06', rules) // [{ date: '2026-04-28', kind: 'acceptedDate', cue: '受理', … }]
 */
export function findDates(text: string, today: string, rules: CompiledDateRules, contextYear?: number): DateMention[] {
  const now = parseIsoDate(today);
  const bareYear = contextYear ?? now.year;
  const future = rules.future.test(text);
  const pastTense = !future && rules.past.test(text);
  const todayMs = Date.UTC(now.year, now.month - 1, now.day);
  /** A month and day without a year: the conversation's year; the next such date for the future, the last for the past. */
  const yearFor = (mo: number, d: number): number => {
    if (contextYear !== undefined) return contextYear;
    const thisYear = Date.UTC(now.year, mo - 1, d);
    if (future && thisYear < todayMs) return now.year + 1;
    if (pastTense && thisYear > todayMs) return now.year - 1;
    return bareYear;
  };
  const raw: Array<{ date: string; start: number; end: number; text: string; resolved?: true }> = [];
  rules.pattern.lastIndex = 0;
  for (let m = rules.pattern.exec(text); m; m = rules.pattern.exec(text)) {
    const g = m.groups ?? {};
    let date: string | undefined;
    let resolved = false;
    if (g.relDay !== undefined) {
      date = addCalendarDays(today, rules.relativeDays.get(g.relDay) ?? 0);
      resolved = g.relDay !== '今天' && g.relDay !== '今日';
    } else if (g.isoYear !== undefined) {
      const [y, mo, d] = [Number(g.isoYear), Number(g.isoMonth), Number(g.isoDay)];
      if (isValidDate(y, mo, d)) date = iso(y, mo, d);
    } else if (g.month !== undefined) {
      const [mo, d] = [Number(g.month), Number(g.day)];
      const explicit = g.year !== undefined || g.relYear !== undefined;
      const y = g.year !== undefined ? Number(g.year) : g.relYear ? now.year + (rules.relativeYears.get(g.relYear) ?? 0) : yearFor(mo, d);
      if (isValidDate(y, mo, d)) date = iso(y, mo, d);
      resolved = !explicit && y !== now.year;
    } else if (g.relMonth !== undefined) {
      const shifted = new Date(Date.UTC(now.year, now.month - 1 + (rules.relativeMonths.get(g.relMonth) ?? 0), 1));
      const [y, mo, d] = [shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, Number(g.rmDay)];
      if (isValidDate(y, mo, d)) date = iso(y, mo, d);
      resolved = true;
    } else if (g.relWeek !== undefined) {
      // Weeks run Monday to Sunday: 下周三 is the Wednesday of next week, whatever today is.
      const todayWeekday = new Date(todayMs).getUTCDay();
      const mondayOffset = -((todayWeekday + 6) % 7);
      const target = rules.weekdays.get(g.weekday!) ?? 1;
      const offset = mondayOffset + 7 * (rules.relativeWeeks.get(g.relWeek) ?? 0) + ((target + 6) % 7);
      date = addCalendarDays(today, offset);
      resolved = true;
    } else if (g.shortMonth !== undefined) {
      const [mo, d] = [Number(g.shortMonth), Number(g.shortDay)];
      const before = text.slice(Math.max(0, m.index - 6), m.index);
      if (mo >= 1 && mo <= 12 && !NOT_A_DATE_BEFORE.test(before) && DATE_CONTEXT.test(text)) {
        const y = yearFor(mo, d);
        if (isValidDate(y, mo, d)) date = iso(y, mo, d);
        resolved = true;
      }
    }
    if (date) raw.push({ date, start: m.index, end: m.index + m[0].length, text: m[0], ...(resolved ? { resolved: true as const } : {}) });
  }
  return raw.map((found, i) => ({
    ...found,
    ...classify(text, found.start, found.end, raw[i - 1]?.end ?? 0, raw[i + 1]?.start ?? text.length, rules),
  }));
}
