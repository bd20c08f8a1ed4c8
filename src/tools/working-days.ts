import { createRequire } from 'node:module';
import { join } from 'node:path';
import { z } from 'zod';
import { DomainError } from '../errors.js';
import { KnowledgeError } from '../knowledge/load.js';
import { isoDate } from '../knowledge/schema.js';
import { type CalendarTable, loadCalendarTable, statutoryDaysMissing } from './calendar-table.js';
import { dayNumberOf, isoOf, isWeekend, WEEKDAYS, weekdayOf, yearOf } from './iso-days.js';
import { rulesForYear, statutoryDays, type StatutoryRules } from './statutory-holidays.js';
import { defineTool, type Basis, type Tool } from './tool.js';

const TABLE_FILE = 'knowledge/tables/calendar.yaml';

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
  /** True in a year without a State Council notice: counted on the statutory holidays only. */
  provisional?: true;
}

export interface SkippedHoliday {
  date: string;
  holiday: string;
}

export interface Calendar {
  /** First and last year any date is computed for (the provisional years included). */
  coveredFrom: number;
  coveredTo: number;
  /** Last year with a State Council notice; the years after it up to coveredTo are provisional. */
  lastNoticeYear: number;
  /** Last day any date is computed for (YYYY-12-31 of coveredTo). */
  lastDay: string;
  /** Days before lastDay from which `npm run kb:check` warns. */
  warnDaysBeforeEnd: number;
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
  /** The holiday notices (and, for provisional years, the statutory rules) from `from`'s year to `to`'s year, as citations. */
  basisBetween(from: string, to: string): Basis[];
  /** The years from `from`'s to `to`'s that have no notice, i.e. were counted provisionally. */
  provisionalYearsBetween(from: string, to: string): number[];
  /** Plain words saying why a result over these years is provisional. */
  provisionalReason(years: readonly number[]): string;
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

// The chinese-days schedule, read from the package's own data file: its date functions format
// dates in the process's local time zone and so answer for the wrong day west of UTC.
const packageSchedule = z
  .object({ holidays: z.record(z.string(), z.string()), workdays: z.record(z.string(), z.string()) })
  .parse(createRequire(import.meta.url)('chinese-days/dist/chinese-days.json'));

/** Whether chinese-days counts `iso` as a working day (make-up days included). */
function packageSaysWorking(iso: string, day: number): boolean {
  if (packageSchedule.workdays[iso] !== undefined) return true;
  if (packageSchedule.holidays[iso] !== undefined) return false;
  return !isWeekend(day);
}

/** True when chinese-days has a schedule for `year` (for other years its functions silently answer Monday–Friday). */
export function packageHasYear(year: number): boolean {
  return Object.keys(packageSchedule.holidays).some((date) => date.startsWith(`${year}-`));
}

const basisOfRules = (rules: StatutoryRules): Basis => ({
  label: `《${rules.source.title}》${rules.source.article ?? ''}（${rules.source.date.slice(0, 4)}年修订）`,
  source: rules.source,
  scope: 'national',
  // Read in a full-text copy in a law database.
  verification: 'verbatim-reprint',
  confidence: 'official',
});

/**
 * Builds the working-day calendar from the table: for each notice year, its days off and make-up
 * working days; for the years right after the last notice, the statutory holidays and weekends
 * (provisional). Each notice year is checked against the statutory rules in force, and, where the
 * chinese-days package has that year, against the package day by day, so a notice typed or parsed
 * wrong, or a package update that disagrees, stops start-up.
 */
export function createCalendar(table: CalendarTable, options: CreateCalendarOptions = {}): Calendar {
  const file = options.file ?? TABLE_FILE;
  const coveredFrom = table.noticeYears.from;
  const lastNoticeYear = table.noticeYears.to;
  const coveredTo = lastNoticeYear + table.provisional.yearsAfterLastNotice;
  const firstDay = dayNumberOf(`${coveredFrom}-01-01`)!;
  const lastDay = dayNumberOf(`${coveredTo}-12-31`)!;

  const listed = new Map<number, ListedDay>();
  table.years.forEach((entry, i) => {
    const missing = statutoryDaysMissing(entry, table.statutoryHolidays);
    if (missing.length > 0) throw new KnowledgeError(file, `years[${i}].holidays`, `${missing.join('；')}；请对照当年国务院办公厅通知核对`);
    entry.holidays.forEach((h, j) => {
      for (let d = dayNumberOf(h.from)!; d <= dayNumberOf(h.to)!; d++)
        listed.set(d, { kind: 'holiday', name: h.name, field: `years[${i}].holidays[${j}]` });
    });
    entry.makeUpWorkdays.forEach((m, j) =>
      listed.set(dayNumberOf(m.date)!, { kind: 'make-up', name: m.for, field: `years[${i}].makeUpWorkdays[${j}]` }),
    );
  });
  for (let year = lastNoticeYear + 1; year <= coveredTo; year++) {
    const rules = rulesForYear(table.statutoryHolidays, year)!;
    for (const day of statutoryDays(rules, year))
      listed.set(dayNumberOf(day.date)!, { kind: 'holiday', name: day.name, field: 'statutoryHolidays' });
  }

  const working: boolean[] = [];
  const checkedYears = new Set<number>();
  for (let year = coveredFrom; year <= lastNoticeYear; year++) if (packageHasYear(year)) checkedYears.add(year);
  for (let d = firstDay; d <= lastDay; d++) {
    const entry = listed.get(d);
    const weekday = weekdayOf(d);
    const expected = entry ? entry.kind === 'make-up' : !isWeekend(d);
    const iso = isoOf(d);
    if (checkedYears.has(yearOf(iso))) {
      const fromPackage = packageSaysWorking(iso, d);
      if (fromPackage !== expected) {
        const said = fromPackage ? '工作日' : '休息日';
        const problem = entry
          ? `${iso}（${WEEKDAYS[weekday]}）在表中是「${entry.name}」的${entry.kind === 'holiday' ? '放假日' : '调休上班日'}，但 chinese-days 数据为${said}；请对照当年国务院办公厅通知核对`
          : `${iso}（${WEEKDAYS[weekday]}）表中未列为放假日或调休上班日，但 chinese-days 数据为${said}；请对照当年国务院办公厅通知核对`;
        const yearIndex = table.years.findIndex((y) => y.year === yearOf(iso));
        throw new KnowledgeError(file, entry?.field ?? (yearIndex >= 0 ? `years[${yearIndex}]` : 'years'), problem);
      }
    }
    working.push(expected);
  }

  const provisionalYears = (from: number, to: number) => {
    const out: number[] = [];
    for (let year = Math.max(from, lastNoticeYear + 1); year <= to; year++) out.push(year);
    return out;
  };
  const coverage =
    coveredTo > lastNoticeYear
      ? `${coveredFrom}–${coveredTo} 年，其中 ${provisionalYears(coveredFrom, coveredTo).join('、')} 年尚无放假通知、按法定节假日暂定推算`
      : `${coveredFrom}–${coveredTo} 年`;
  const outOfRange = (detail: string, date: string) =>
    new DomainError(
      'DATE_OUT_OF_RANGE',
      422,
      `${detail}超出工作日历覆盖的年份（${coverage}）。更早或更晚的年份不作推算；请以当年国务院办公厅发布的节假日安排为准，或向经办机构确认。`,
      { details: { date, coveredFrom, coveredTo, lastNoticeYear } },
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
    const iso = isoOf(day);
    const base: DayDescription = { date: iso, weekday: WEEKDAYS[weekdayOf(day)]!, working: isWorking(day) };
    if (entry?.kind === 'holiday') base.holiday = entry.name;
    if (entry?.kind === 'make-up') Object.assign(base, { makeUpDay: true, makeUpFor: entry.name });
    if (yearOf(iso) > lastNoticeYear) base.provisional = true;
    return base;
  };

  const sources = new Map(table.years.map((y) => [y.year, y.source]));
  const yearsOf = (from: string, to: string) => {
    const years = [yearOf(isoOf(dayOf(from))), yearOf(isoOf(dayOf(to)))];
    return [Math.min(...years), Math.max(...years)] as const;
  };

  return {
    coveredFrom,
    coveredTo,
    lastNoticeYear,
    lastDay: isoOf(lastDay),
    warnDaysBeforeEnd: table.provisional.warnDaysBeforeEnd,
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
      const [first, last] = yearsOf(from, to);
      const out: Basis[] = [];
      for (let year = first; year <= last; year++) {
        const source = sources.get(year);
        if (source) out.push({ label: `${source.docNumber}（${source.title}）`, source, scope: 'national', verification: 'original', confidence: 'official' });
        else {
          const basis = basisOfRules(rulesForYear(table.statutoryHolidays, year)!);
          if (!out.some((b) => b.label === basis.label)) out.push(basis);
        }
      }
      return out;
    },

    provisionalYearsBetween(from, to) {
      const [first, last] = yearsOf(from, to);
      return provisionalYears(first, last);
    },

    provisionalReason: (years) => table.provisional.reason.replace('{years}', years.join('、')),
  };
}

/** Reads knowledge/tables/calendar.yaml and builds the calendar (checked against the statutory rules and chinese-days). */
export function loadCalendar(dir?: string): Calendar {
  if (dir === undefined) return createCalendar(loadCalendarTable());
  return createCalendar(loadCalendarTable(dir), { file: join(dir, 'calendar.yaml') });
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
  z.object({
    op: z.literal('month').describe('某个月有多少个工作日'),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份须为 YYYY-MM')
      .describe('月份 YYYY-MM'),
  }),
]);
export type WorkingDaysInput = z.output<typeof workingDaysInputSchema>;

/** Whether a result rests on a year without a notice, and why in plain words. */
export interface Provisional {
  provisional: boolean;
  provisionalReason?: string;
}

export type WorkingDaysOutput = (
  | { start: string; days: number; date: string; skipped: SkippedHoliday[]; basis: Basis[] }
  | { from: string; to: string; days: number; basis: Basis[] }
  | { month: string; from: string; to: string; days: number; basis: Basis[] }
  | { day: DayDescription; basis: Basis[] }
) &
  Provisional;

/** `provisional` (and its reason) for a result that spans `from`'s year to `to`'s year. */
export function provisionalOf(calendar: Calendar, from: string, to: string): Provisional {
  const years = calendar.provisionalYearsBetween(from, to);
  return years.length > 0 ? { provisional: true, provisionalReason: calendar.provisionalReason(years) } : { provisional: false };
}

/** "2024–2026 年有国务院放假通知，2027 年按法定节假日暂定推算" for tool descriptions. */
export function describeCoverage(calendar: Calendar): string {
  const notices = `${calendar.coveredFrom}–${calendar.lastNoticeYear} 年按国务院办公厅放假通知计算`;
  if (calendar.coveredTo === calendar.lastNoticeYear) return `只覆盖 ${notices}`;
  const provisional = calendar.provisionalYearsBetween(`${calendar.lastNoticeYear + 1}-01-01`, calendar.lastDay).join('、');
  return `${notices}，${provisional} 年尚无通知、按法定节假日暂定推算（结果带 provisional: true）`;
}

/** The `working_days` tool (`POST /v1/tools/working-days`). */
export function createWorkingDaysTool(calendar: Calendar): Tool<typeof workingDaysInputSchema, WorkingDaysOutput> {
  return defineTool({
    name: 'working_days',
    route: 'working-days',
    description:
      `按国务院办公厅每年的节假日安排（周末休息、法定节假日放假、调休上班日照常上班）计算工作日。` +
      `add：从 start 的次日起数 days 个工作日，返回到期日及跳过的节假日；` +
      `count：统计 from 之后（不含 from）到 to（含 to）的工作日数；check：某一天是否为工作日；month：某个月的工作日数。` +
      `${describeCoverage(calendar)}；超出范围的日期会被拒绝而不是推测。`,
    input: workingDaysInputSchema,
    run(input) {
      if (input.op === 'add') {
        const { date, skipped } = calendar.addWorkingDays(input.start, input.days);
        return { start: input.start, days: input.days, date, skipped, basis: calendar.basisBetween(input.start, date), ...provisionalOf(calendar, input.start, date) };
      }
      if (input.op === 'check')
        return { day: calendar.describeDay(input.date), basis: calendar.basisBetween(input.date, input.date), ...provisionalOf(calendar, input.date, input.date) };
      if (input.op === 'month') {
        // A whole month: from the last day of the month before (not counted) to its last day.
        const [y, m] = input.month.split('-').map(Number) as [number, number];
        const iso = (d: Date) => d.toISOString().slice(0, 10);
        const from = iso(new Date(Date.UTC(y, m - 1, 0)));
        const to = iso(new Date(Date.UTC(y, m, 0)));
        return { month: input.month, from, to, days: calendar.countWorkingDays(from, to), basis: calendar.basisBetween(to.slice(0, 8) + '01', to), ...provisionalOf(calendar, to.slice(0, 8) + '01', to) };
      }
      return {
        from: input.from,
        to: input.to,
        days: calendar.countWorkingDays(input.from, input.to),
        basis: calendar.basisBetween(input.from, input.to),
        ...provisionalOf(calendar, input.from, input.to),
      };
    },
  });
}
