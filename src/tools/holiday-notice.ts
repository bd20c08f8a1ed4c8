import { type NoticeYear, statutoryDaysMissing } from './calendar-table.js';
import { dayNumberOf, dayNumberOfParts, isoOf, isWeekend, WEEKDAYS, weekdayOf } from './iso-days.js';
import type { StatutoryRules } from './statutory-holidays.js';

/**
 * Reads the text of a State Council holiday notice (国务院办公厅关于20XX年部分节假日安排的通知) as
 * published: its title, document number and date, and one numbered line per holiday with the days
 * off (放假 / 补休) and the make-up working days (上班). Problems come back as values, in Chinese,
 * never as a guess.
 */

/** A notice as read from its text; `docNumber` is missing when the published copy has none (Xinhua's). */
export interface ParsedNotice {
  year: number;
  title: string;
  docNumber?: string;
  /** Date of issue, from the line under the signature. */
  date: string;
  holidays: NoticeYear['holidays'];
  makeUpWorkdays: NoticeYear['makeUpWorkdays'];
}

export type NoticeReading = { ok: true; notice: ParsedNotice } | { ok: false; problems: string[] };

export interface NoticeDay {
  date: string;
  kind: 'off' | 'work';
  holiday: string;
}

const titlePattern = /国务院办公厅关于\s*(\d{4})\s*年\s*部分节假日安排的通知/;
const docNumberPattern = /国办发明电\s*[〔[（(]\s*(\d{4})\s*[〕\]）)]\s*(\d+)\s*号/;
const issueDatePattern = /^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$/gm;
const itemPattern = /^\s*([一二三四五六七八九十]+)、\s*([^:]+?)\s*:\s*(.+?)\s*$/gm;
// 2026年1月1日 / 1月1日 / 3日, each with an optional note in brackets: (周四) (农历除夕、周二).
const datePattern = /(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?/g;
const rangeSeparator = /^\s*(至|—|-|~)\s*$/;
const weekdayNames: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

interface DateToken {
  day: number;
  iso: string;
  /** Index just after the token in its clause. */
  end: number;
  start: number;
}

/** Full-width digits, brackets, colons and commas as their ASCII forms; ideographic spaces as spaces. */
const normalise = (text: string) => text.normalize('NFKC').replace(/\r\n?/g, '\n');

/**
 * Reads a notice text into its year, source and days.
 * @example readHolidayNotice(text2026).ok && notice.holidays[0] // { name: '元旦', from: '2026-01-01', to: '2026-01-03' }
 */
export function readHolidayNotice(raw: string): NoticeReading {
  const text = normalise(raw);
  const problems: string[] = [];
  const title = titlePattern.exec(text);
  if (!title) return { ok: false, problems: ['找不到通知标题「国务院办公厅关于20XX年部分节假日安排的通知」，请提供通知全文'] };
  const year = Number(title[1]);

  const issued = [...text.matchAll(issueDatePattern)].at(-1);
  const issueDay = issued ? dayNumberOfParts(Number(issued[1]), Number(issued[2]), Number(issued[3])) : null;
  if (issueDay === null) problems.push('找不到落款日期（署名“国务院办公厅”下一行的“YYYY年M月D日”）');
  const announced = /现将(\d{4})年/.exec(text);
  if (announced && Number(announced[1]) !== year) problems.push(`标题是 ${year} 年的通知，正文却安排 ${announced[1]} 年的假期`);

  const holidays: ParsedNotice['holidays'] = [];
  const makeUpWorkdays: ParsedNotice['makeUpWorkdays'] = [];
  const items = [...text.matchAll(itemPattern)];
  if (items.length === 0) problems.push('找不到编号的放假安排（如“一、元旦：1月1日放假……”）');
  for (const [, , name, body] of items) readItem(name!, body!, year, holidays, makeUpWorkdays, problems);

  if (problems.length > 0) return { ok: false, problems };
  const doc = docNumberPattern.exec(text);
  const notice: ParsedNotice = {
    year,
    title: `国务院办公厅关于${year}年部分节假日安排的通知`,
    ...(doc ? { docNumber: `国办发明电〔${doc[1]}〕${doc[2]}号` } : {}),
    date: isoOf(issueDay!),
    holidays,
    makeUpWorkdays,
  };
  return { ok: true, notice };
}

/** One numbered line: "春节：2月15日（…）至23日（…）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。" */
function readItem(
  name: string,
  body: string,
  year: number,
  holidays: ParsedNotice['holidays'],
  makeUpWorkdays: ParsedNotice['makeUpWorkdays'],
  problems: string[],
): void {
  const offDays: number[] = [];
  let lastRange: { first: number; last: number } | undefined;
  for (const sentence of body.split('。').map((s) => s.trim()).filter(Boolean)) {
    // "鼓励各单位……安排职工在除夕（2月9日）休息" encourages; it arranges nothing.
    if (sentence.startsWith('鼓励')) continue;
    for (const clause of sentence.split(',').map((c) => c.trim()).filter(Boolean)) {
      const dates = datesIn(clause, year, name, problems);
      const count = /(?:共|放假)(\d+)天/.exec(clause);
      if (/上班/.test(clause)) {
        if (dates.length === 0) problems.push(`「${name}」：“${clause}”没有日期`);
        for (const d of dates) makeUpWorkdays.push({ date: d.iso, for: name });
      } else if (/补休/.test(clause)) {
        offDays.push(...dates.map((d) => d.day));
      } else if (/放假/.test(clause) && dates.length > 0) {
        const range = rangeOf(clause, dates, name, problems);
        if (range) {
          for (let d = range.first; d <= range.last; d++) offDays.push(d);
          lastRange = range;
        }
      } else if (dates.length > 0) {
        problems.push(`「${name}」：无法判断“${clause}”是放假还是上班`);
      }
      if (count) {
        const stated = Number(count[1]);
        const days = lastRange ? lastRange.last - lastRange.first + 1 : 0;
        if (stated !== days) problems.push(`「${name}」：写明共 ${stated} 天，但列出的放假日期是 ${days} 天`);
      }
    }
  }
  if (offDays.length === 0) problems.push(`「${name}」：没有找到放假日期`);
  for (const run of runsOf(offDays)) holidays.push({ name, from: isoOf(run.first), to: isoOf(run.last) });
}

/** The dates of a clause; a day without a month takes the previous date's month ("1月1日至3日"). */
function datesIn(clause: string, year: number, name: string, problems: string[]): DateToken[] {
  const out: DateToken[] = [];
  let month: number | undefined;
  let yearOfPrevious = year;
  for (const m of clause.matchAll(datePattern)) {
    const explicitYear = m[1] ? Number(m[1]) : undefined;
    month = m[2] ? Number(m[2]) : month;
    if (month === undefined) {
      problems.push(`「${name}」：“${m[0]}”没有月份`);
      continue;
    }
    const y = explicitYear ?? (m[2] ? year : yearOfPrevious);
    yearOfPrevious = y;
    const day = dayNumberOfParts(y, month, Number(m[3]));
    if (day === null) {
      problems.push(`「${name}」：${y}年${month}月${m[3]}日 不是有效日期`);
      continue;
    }
    // Only 元旦 may start in the December before the notice's year.
    if (y !== year && !(y === year - 1 && month === 12 && name.includes('元旦')))
      problems.push(`「${name}」：${isoOf(day)} 不在通知的 ${year} 年内`);
    const said = m[4] ? /(?:星期|周)([日天一二三四五六])/.exec(m[4]) : null;
    if (said && weekdayNames[said[1]!] !== weekdayOf(day))
      problems.push(`「${name}」：${isoOf(day)} 标注为${said[0]}，实际是${WEEKDAYS[weekdayOf(day)]}`);
    out.push({ day, iso: isoOf(day), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** "A至B放假" or "A放假". */
function rangeOf(clause: string, dates: DateToken[], name: string, problems: string[]): { first: number; last: number } | undefined {
  if (dates.length === 1) return { first: dates[0]!.day, last: dates[0]!.day };
  if (dates.length === 2 && rangeSeparator.test(clause.slice(dates[0]!.end, dates[1]!.start))) {
    const [a, b] = [dates[0]!.day, dates[1]!.day];
    if (b < a) problems.push(`「${name}」：放假结束日期 ${isoOf(b)} 早于开始日期 ${isoOf(a)}`);
    else return { first: a, last: b };
    return undefined;
  }
  problems.push(`「${name}」：无法读出“${clause}”的放假起止日期`);
  return undefined;
}

/** Consecutive runs of day numbers. */
function runsOf(days: number[]): { first: number; last: number }[] {
  const runs: { first: number; last: number }[] = [];
  for (const d of [...new Set(days)].sort((a, b) => a - b)) {
    const run = runs.at(-1);
    if (run && d === run.last + 1) run.last = d;
    else runs.push({ first: d, last: d });
  }
  return runs;
}

/**
 * What is wrong with a notice that reads cleanly: a make-up working day that is not a Saturday or
 * Sunday, a day listed twice, or a holiday range that leaves out a statutory day off of the rules
 * in force that year. Empty when it is consistent.
 */
export function checkNotice(notice: Pick<ParsedNotice, 'year' | 'holidays' | 'makeUpWorkdays'>, rules: readonly StatutoryRules[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const day of noticeDays(notice)) {
    const previous = seen.get(day.date);
    if (previous) problems.push(`${day.date} 同时列为${previous}和${day.kind === 'off' ? '放假' : '上班'}`);
    seen.set(day.date, day.kind === 'off' ? '放假' : '上班');
  }
  for (const m of notice.makeUpWorkdays)
    if (!isWeekend(dayNumberOf(m.date)!)) problems.push(`「${m.for}」的调休上班日 ${m.date} 是${WEEKDAYS[weekdayOf(dayNumberOf(m.date)!)]}，不是周六或周日`);
  problems.push(...statutoryDaysMissing(notice, rules));
  return problems;
}

/** Every day the notice arranges, sorted by date: `off` for days off, `work` for make-up working days. */
export function noticeDays(notice: Pick<ParsedNotice, 'holidays' | 'makeUpWorkdays'>): NoticeDay[] {
  const out: NoticeDay[] = [];
  for (const h of notice.holidays)
    for (let d = dayNumberOf(h.from)!; d <= dayNumberOf(h.to)!; d++) out.push({ date: isoOf(d), kind: 'off', holiday: h.name });
  for (const m of notice.makeUpWorkdays) out.push({ date: m.date, kind: 'work', holiday: m.for });
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.kind.localeCompare(b.kind));
}
