import { join } from 'node:path';
import { z } from 'zod';
import { loadTable } from '../knowledge/load.js';
import { isoDate, sourceSchema } from '../knowledge/schema.js';
import { knowledgeDir } from '../paths.js';
import { dayNumberOf, isoOf, isWeekend, yearOf } from './iso-days.js';
import { rulesForYear, statutoryDays, statutoryRulesSchema, type StatutoryRules } from './statutory-holidays.js';

/** knowledge/tables/calendar.yaml, where `npm run calendar:import` writes. */
export const CALENDAR_TABLE_FILE = join(knowledgeDir, 'tables', 'calendar.yaml');

const holidayRangeSchema = z
  .object({ name: z.string().min(2), from: isoDate, to: isoDate })
  .strict()
  .refine((h) => h.from <= h.to, { message: '放假结束日期早于开始日期', path: ['to'] });

const makeUpWorkdaySchema = z.object({ date: isoDate, for: z.string().min(2) }).strict();

/** One State Council notice: the year it arranges, its source, its days off and make-up working days. */
export const noticeYearSchema = z
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
      if (day !== null && !isWeekend(day))
        ctx.addIssue({ code: 'custom', message: `调休上班日 ${m.date} 不是周六或周日`, path: ['makeUpWorkdays', i, 'date'] });
      if (!names.has(m.for))
        ctx.addIssue({ code: 'custom', message: `调休上班日对应的节日「${m.for}」不在当年放假安排中`, path: ['makeUpWorkdays', i, 'for'] });
    });
  });

export type NoticeYear = z.output<typeof noticeYearSchema>;

const provisionalPolicySchema = z
  .object({
    /** How many years after the last notice year are counted on the statutory holidays alone. */
    yearsAfterLastNotice: z.number().int().min(1).max(3),
    /** Plain words for the user; `{years}` becomes e.g. "2027". */
    reason: z.string().min(10).refine((s) => s.includes('{years}'), '须包含 {years}'),
    /** `npm run kb:check` warns when the last computable day is this close. */
    warnDaysBeforeEnd: z.number().int().min(1).max(366),
  })
  .strict();

/** Schema of knowledge/tables/calendar.yaml. */
export const calendarTableSchema = z
  .object({
    noticeYears: z
      .object({ from: z.number().int().min(2004), to: z.number().int() })
      .strict()
      .refine((c) => c.from <= c.to, { message: '通知年份的结束年早于开始年', path: ['to'] }),
    provisional: provisionalPolicySchema,
    statutoryHolidays: z.array(statutoryRulesSchema).min(1),
    years: z.array(noticeYearSchema).min(1),
  })
  .strict()
  .superRefine((table, ctx) => {
    const { from, to } = table.noticeYears;
    for (let year = from; year <= to; year++) {
      const count = table.years.filter((y) => y.year === year).length;
      if (count !== 1)
        ctx.addIssue({ code: 'custom', message: `通知年份 ${year} 须恰好有一个条目（现有 ${count} 个）`, path: ['years'] });
    }
    for (let year = from; year <= to + table.provisional.yearsAfterLastNotice; year++)
      if (!rulesForYear(table.statutoryHolidays, year))
        ctx.addIssue({ code: 'custom', message: `${year} 年没有适用的法定节假日规定`, path: ['statutoryHolidays'] });
    const seen = new Map<string, string>();
    table.years.forEach((entry, i) => {
      if (entry.year < from || entry.year > to)
        ctx.addIssue({ code: 'custom', message: `年份 ${entry.year} 不在通知年份 ${from}–${to} 内`, path: ['years', i, 'year'] });
      const note = (date: string, path: (string | number)[]) => {
        if (yearOf(date) < from || yearOf(date) > to)
          ctx.addIssue({ code: 'custom', message: `${date} 不在通知年份 ${from}–${to} 内`, path: ['years', i, ...path] });
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

/** Reads and validates knowledge/tables/calendar.yaml (or calendar.yaml in `dir`). */
export function loadCalendarTable(dir?: string): CalendarTable {
  return dir === undefined ? loadTable('calendar', calendarTableSchema) : loadTable('calendar', calendarTableSchema, dir);
}

/**
 * Where a notice disagrees with the rules in force that year: a statutory day off that no holiday
 * range of the notice contains (a range named "国庆节、中秋节" holds both holidays' days).
 * Empty when the notice is consistent.
 */
export function statutoryDaysMissing(entry: Pick<NoticeYear, 'year' | 'holidays'>, versions: readonly StatutoryRules[]): string[] {
  const rules = rulesForYear(versions, entry.year);
  if (!rules) return [`${entry.year} 年没有适用的法定节假日规定`];
  const problems: string[] = [];
  for (const day of statutoryDays(rules, entry.year)) {
    const ranges = entry.holidays.filter((h) => h.name.split('、').includes(day.name));
    if (ranges.length === 0) problems.push(`通知没有「${day.name}」的放假安排`);
    else if (!ranges.some((h) => h.from <= day.date && day.date <= h.to))
      problems.push(`「${day.name}」的法定假日 ${day.date} 不在通知的放假日期 ${ranges.map((h) => `${h.from} 至 ${h.to}`).join('、')} 内`);
  }
  return [...new Set(problems)];
}
