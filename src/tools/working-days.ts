import { join } from 'node:path';
import chineseDays from 'chinese-days';
import { z } from 'zod';
import { DomainError } from '../errors.js';
import { KnowledgeError, loadTable } from '../knowledge/load.js';
import { isoDate, sourceSchema } from '../knowledge/schema.js';
import { defineTool, type Basis, type Tool } from './tool.js';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const;
const DAY_MS = 86_400_000;
const TABLE_FILE = 'knowledge/tables/calendar.yaml';

// ---------------------------------------------------------------------------------------------
// Plain calendar arithmetic on YYYY-MM-DD strings, via UTC day numbers (no time zones involved).

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number since 1970-01-01, or null when `value` is not a real YYYY-MM-DD date. */
function dayNumberOf(value: string): number | null {
  const m = isoPattern.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

function isoOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

const yearOf = (iso: string) => Number(iso.slice(0, 4));

// ---------------------------------------------------------------------------------------------
// The table: per year, the State Council notice and its holiday ranges and make-up working days.

const holidayRangeSchema = z
  .object({ name: z.string().min(2), from: isoDate, to: isoDate })
  .strict()
  .refine((h) => h.from <= h.to, { message: '放假结束日期早于开始日期', path: ['to'] });

const makeUpWorkdaySchema = z.object({ date: isoDate, for: z.string().min(2) }).strict();

const yearEntrySchema = z
  .object({
    year: z.number().int(),
    source: sourceSchema.extend({ docNumber: z.string().min(2), issuer: z.string().min(2), date: isoDate }),
    holidays: z.array(holidayRangeSchema).min(1, '至少需要一个放假安排'),
    makeUpWorkdays: z.array(makeUpWorkdaySchema),
  })
  .strict()
  .superRefine((entry, ctx) => {
    const names = new Set(entry.holidays.map((h) => h.name));
    entry.makeUpWorkdays.forEach((m, i) => {
      const day = dayNumberOf(m.date);
      if (day !== null && weekdayOf(day) !== 0 && weekdayOf(day) !== 6)
        ctx.addIssue({ code: 'custom', message: `调休上班日 ${m.date} 不是周六或周日`, path: ['makeUpWorkdays', i, 'date'] });
      if (!names.has(m.for))
        ctx.addIssue({ code: 'custom', message: `调休上班日对应的节日「${m.for}」不在当年放假安排中`, path: ['makeUpWorkdays', i, 'for'] });
    });
  });

/** Schema of knowledge/tables/calendar.yaml. */
export const calendarTableSchema = z
  .object({
    coveredYears: z
      .object({ from: z.number().int().min(2004), to: z.number().int() })
      .strict()
      .refine((c) => c.from <= c.to, { message: '覆盖年份的结束年早于开始年', path: ['to'] }),
    years: z.array(yearEntrySchema).min(1),
  })
  .strict()
  .superRefine((table, ctx) => {
    const { from, to } = table.coveredYears;
    for (let year = from; year <= to; year++) {
      const count = table.years.filter((y) => y.year === year).length;
      if (count !== 1)
        ctx.addIssue({ code: 'custom', message: `覆盖年份 ${year} 须恰好有一个条目（现有 ${count} 个）`, path: ['years'] });
    }
    const seen = new Map<string, string>();
    table.years.forEach((entry, i) => {
      if (entry.year < from || entry.year > to)
        ctx.addIssue({ code: 'custom', message: `年份 ${entry.year} 不在覆盖范围 ${from}–${to} 内`, path: ['years', i, 'year'] });
      const note = (date: string, path: (string | number)[]) => {
        if (yearOf(date) < from || yearOf(date) > to)
          ctx.addIssue({ code: 'custom', message: `${date} 不在覆盖年份 ${from}–${to} 内`, path: ['years', i, ...path] });
        const previous = seen.get(date);
        if (previous) ctx.addIssue({ code: 'custom', message: `${date} 已在 ${previous} 中列出`, path: ['years', i, ...path] });
        seen.set(date, `years[${i}].${path.join('.')}`);
      };
      entry.holidays.forEach((h, j) => {
        const first = dayNumberOf(h.from);
        const last = dayNumberOf(h.to);
        if (first === null || last === null) return;
        for (let d = first; d <= last; d++) note(isoOf(d), ['holidays', j]);
      });
      entry.makeUpWorkdays.forEach((m, j) => note(m.date, ['makeUpWorkdays', j]));
    });
  });

export type CalendarTable = z.output<typeof calendarTableSchema>;

// ---------------------------------------------------------------------------------------------
// The calendar.

export interface DayDescription {
  date: string;
  /** 周一 … 周日. */
  weekday: string;
  working: boolean;
  /** Name of the statutory holiday when the day is off because of it (weekend days inside the range included). */
  holiday?: string;
  /** True for a Saturday or Sunday declared a working day (调休上班日). */
  makeUpDay?: boolean;
  /** The holiday a make-up working day belongs to. */
  makeUpFor?: string;
}

export interface SkippedHoliday {
  date: string;
  holiday: string;
}

export interface Calendar {
  /** First and last year whose holiday schedule is known; no date outside them is computed. */
  coveredFrom: number;
  coveredTo: number;
  isWorkingDay(date: string): boolean;
  describeDay(date: string): DayDescription;
  /**
   * The date on which a period of `n` working days that starts on `start` ends. The start day is
   * not counted: the period runs from the next day. `n = 0` returns `start`.
   * @example addWorkingDays('2025-09-30', 1) // → { date: '2025-10-09', skipped: [10-01 … 10-08] }
   */
  addWorkingDays(start: string, n: number): { date: string; skipped: SkippedHoliday[] };
  /** Working days d with from < d ≤ to. */
  countWorkingDays(from: string, to: string): number;
  /** The holiday notices of every year from `from`'s year to `to`'s year, as citations. */
  basisBetween(from: string, to: string): Basis[];
}

interface ListedDay {
  kind: 'holiday' | 'make-up';
  name: string;
  field: string;
}

export interface CreateCalendarOptions {
  /** Named in the error when the table and the chinese-days data disagree. */
  file?: string;
}

function invalidDate(value: string): DomainError {
  return new DomainError('INVALID_DATE', 400, `"${value}" 不是有效日期，请按 YYYY-MM-DD 填写，例如 2026-04-28。`, {
    details: { date: value },
  });
}

/**
 * Builds the working-day calendar. The chinese-days package decides which days are working days;
 * the table names the covered years and each year's notice, and every day of the covered years is
 * cross-checked against it, so a package update that disagrees with a notice stops start-up.
 */
export function createCalendar(table: CalendarTable, options: CreateCalendarOptions = {}): Calendar {
  const file = options.file ?? TABLE_FILE;
  const coveredFrom = table.coveredYears.from;
  const coveredTo = table.coveredYears.to;
  const firstDay = dayNumberOf(`${coveredFrom}-01-01`)!;
  const lastDay = dayNumberOf(`${coveredTo}-12-31`)!;

  const listed = new Map<number, ListedDay>();
  table.years.forEach((entry, i) => {
    entry.holidays.forEach((h, j) => {
      for (let d = dayNumberOf(h.from)!; d <= dayNumberOf(h.to)!; d++)
        listed.set(d, { kind: 'holiday', name: h.name, field: `years[${i}].holidays[${j}]` });
    });
    entry.makeUpWorkdays.forEach((m, j) =>
      listed.set(dayNumberOf(m.date)!, { kind: 'make-up', name: m.for, field: `years[${i}].makeUpWorkdays[${j}]` }),
    );
  });

  const working: boolean[] = [];
  for (let d = firstDay; d <= lastDay; d++) {
    const iso = isoOf(d);
    const fromPackage = chineseDays.getDayDetail(iso).work;
    const entry = listed.get(d);
    const weekday = weekdayOf(d);
    const expected = entry ? entry.kind === 'make-up' : weekday !== 0 && weekday !== 6;
    if (fromPackage !== expected) {
      const said = fromPackage ? '工作日' : '休息日';
      const problem = entry
        ? `${iso}（${WEEKDAYS[weekday]}）在表中是「${entry.name}」的${entry.kind === 'holiday' ? '放假日' : '调休上班日'}，但 chinese-days 数据为${said}；请对照当年国务院办公厅通知核对`
        : `${iso}（${WEEKDAYS[weekday]}）表中未列为放假日或调休上班日，但 chinese-days 数据为${said}；请对照当年国务院办公厅通知核对`;
      const yearIndex = table.years.findIndex((y) => y.year === yearOf(iso));
      throw new KnowledgeError(file, entry?.field ?? (yearIndex >= 0 ? `years[${yearIndex}]` : 'years'), problem);
    }
    working.push(fromPackage);
  }

  const outOfRange = (detail: string, date: string) =>
    new DomainError(
      'DATE_OUT_OF_RANGE',
      422,
      `${detail}超出工作日历覆盖的年份（${coveredFrom}–${coveredTo} 年）。这些年份以外的节假日和调休安排尚未核实，因此不作推算；请以当年国务院办公厅发布的节假日安排为准，或向经办机构确认。`,
      { details: { date, coveredFrom, coveredTo } },
    );

  /** Parses and range-checks a date given by the caller. */
  const dayOf = (value: string): number => {
    const day = dayNumberOf(value);
    if (day === null) throw invalidDate(value);
    if (day < firstDay || day > lastDay) throw outOfRange(`日期 ${value} `, value);
    return day;
  };

  const isWorking = (day: number) => working[day - firstDay]!;

  const describe = (day: number): DayDescription => {
    const entry = listed.get(day);
    const base = { date: isoOf(day), weekday: WEEKDAYS[weekdayOf(day)]!, working: isWorking(day) };
    if (entry?.kind === 'holiday') return { ...base, holiday: entry.name };
    if (entry?.kind === 'make-up') return { ...base, makeUpDay: true, makeUpFor: entry.name };
    return base;
  };

  const sources = new Map(table.years.map((y) => [y.year, y.source]));

  return {
    coveredFrom,
    coveredTo,
    isWorkingDay: (date) => isWorking(dayOf(date)),
    describeDay: (date) => describe(dayOf(date)),

    addWorkingDays(start, n) {
      if (!Number.isInteger(n) || n < 0)
        throw new DomainError('BAD_REQUEST', 400, `工作日天数须为不小于 0 的整数，收到的是 ${n}。`);
      let day = dayOf(start);
      const skipped: SkippedHoliday[] = [];
      for (let remaining = n; remaining > 0; ) {
        day += 1;
        if (day > lastDay) throw outOfRange(`从 ${start} 起算 ${n} 个工作日，`, start);
        if (isWorking(day)) remaining -= 1;
        else {
          const entry = listed.get(day);
          if (entry?.kind === 'holiday') skipped.push({ date: isoOf(day), holiday: entry.name });
        }
      }
      return { date: isoOf(day), skipped };
    },

    countWorkingDays(from, to) {
      const first = dayOf(from);
      const last = dayOf(to);
      if (last < first)
        throw new DomainError('BAD_REQUEST', 400, `结束日期 ${to} 早于开始日期 ${from}，请检查两个日期的先后。`, {
          details: { from, to },
        });
      let count = 0;
      for (let d = first + 1; d <= last; d++) if (isWorking(d)) count += 1;
      return count;
    },

    basisBetween(from, to) {
      const years = [yearOf(isoOf(dayOf(from))), yearOf(isoOf(dayOf(to)))];
      const out: Basis[] = [];
      for (let year = Math.min(...years); year <= Math.max(...years); year++) {
        const source = sources.get(year)!;
        out.push({ label: `${source.docNumber}（${source.title}）`, source, scope: 'national', verification: 'original', confidence: 'official' });
      }
      return out;
    },
  };
}

/** Reads knowledge/tables/calendar.yaml and builds the calendar (cross-checked against chinese-days). */
export function loadCalendar(dir?: string): Calendar {
  if (dir === undefined) return createCalendar(loadTable('calendar', calendarTableSchema));
  return createCalendar(loadTable('calendar', calendarTableSchema, dir), { file: join(dir, 'calendar.yaml') });
}

// ---------------------------------------------------------------------------------------------
// The tool.

export const workingDaysInputSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('add').describe('从 start 起算 days 个工作日，求到期日'),
    start: isoDate.describe('起算日期 YYYY-MM-DD（当天不计入）'),
    days: z.number().int().min(0).max(366).describe('工作日天数'),
  }),
  z.object({
    op: z.literal('count').describe('统计 from（不含）到 to（含）之间的工作日数'),
    from: isoDate.describe('开始日期 YYYY-MM-DD（不计入）'),
    to: isoDate.describe('结束日期 YYYY-MM-DD（计入）'),
  }),
  z.object({
    op: z.literal('check').describe('某一天是不是工作日（含节假日名称和调休上班日）'),
    date: isoDate.describe('日期 YYYY-MM-DD'),
  }),
]);
export type WorkingDaysInput = z.output<typeof workingDaysInputSchema>;

export type WorkingDaysOutput =
  | { start: string; days: number; date: string; skipped: SkippedHoliday[]; basis: Basis[] }
  | { from: string; to: string; days: number; basis: Basis[] }
  | { day: DayDescription; basis: Basis[] };

/** The `working_days` tool (`POST /v1/tools/working-days`). */
export function createWorkingDaysTool(calendar: Calendar): Tool<typeof workingDaysInputSchema, WorkingDaysOutput> {
  return defineTool({
    name: 'working_days',
    route: 'working-days',
    description:
      `按国务院办公厅每年的节假日安排（周末休息、法定节假日放假、调休上班日照常上班）计算工作日。` +
      `add：从 start 的次日起数 days 个工作日，返回到期日及跳过的节假日；` +
      `count：统计 from 之后（不含 from）到 to（含 to）的工作日数；check：某一天是否为工作日。` +
      `只覆盖 ${calendar.coveredFrom}–${calendar.coveredTo} 年，超出范围的日期会被拒绝而不是推测。`,
    input: workingDaysInputSchema,
    run(input) {
      if (input.op === 'add') {
        const { date, skipped } = calendar.addWorkingDays(input.start, input.days);
        return { start: input.start, days: input.days, date, skipped, basis: calendar.basisBetween(input.start, date) };
      }
      if (input.op === 'check') return { day: calendar.describeDay(input.date), basis: calendar.basisBetween(input.date, input.date) };
      return { from: input.from, to: input.to, days: calendar.countWorkingDays(input.from, input.to), basis: calendar.basisBetween(input.from, input.to) };
    },
  });
}
