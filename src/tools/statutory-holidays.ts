import chineseDays from 'chinese-days';
import { z } from 'zod';
import { isoDate, sourceSchema } from '../knowledge/schema.js';
import { dayNumberOf, dayNumberOfParts, isoOf } from './iso-days.js';

/**
 * The days off fixed by 《全国年节及纪念日放假办法》 article 2, per version of the rules, as data in
 * knowledge/tables/calendar.yaml. A year without a State Council notice is counted on them
 * (provisionally), and every imported notice is checked against them.
 */

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|30|31)$/, '须为 MM-DD');

/** Solar terms the rules name, with the chinese-days key and the month the term falls in. */
const solarTerms = { 清明: { key: 'pure_brightness', month: 4 } } as const;

const statutoryHolidaySchema = z
  .object({
    /** As the notices name it (元旦, 春节, 清明节 …), so a notice range can be matched to it. */
    name: z.string().min(2),
    /** A Gregorian month-day (元旦 01-01). */
    solar: monthDay.optional(),
    /** A lunar month-day of the lunar year that begins in this Gregorian year (春节 01-01, 端午 05-05). */
    lunar: monthDay.optional(),
    /** A solar term's day (清明). */
    solarTerm: z.enum(Object.keys(solarTerms) as [keyof typeof solarTerms]).optional(),
    /** Days before (−) or after (+) that date the holiday starts: 除夕 is the day before 正月初一. */
    offset: z.number().int().min(-3).max(3).default(0),
    days: z.number().int().min(1).max(7),
  })
  .strict()
  .refine((h) => [h.solar, h.lunar, h.solarTerm].filter((x) => x !== undefined).length === 1, {
    message: 'solar、lunar、solarTerm 须恰好给出一个',
  });

/** One version of the rules' article 2, in force from `effective`. */
export const statutoryRulesSchema = z
  .object({
    effective: isoDate,
    source: sourceSchema.extend({ issuer: z.string().min(2), date: isoDate }),
    holidays: z.array(statutoryHolidaySchema).min(1),
  })
  .strict();

export type StatutoryRules = z.output<typeof statutoryRulesSchema>;

export interface StatutoryDay {
  date: string;
  /** The holiday's name in the rules (春节 …). */
  name: string;
}

/** The version of the rules in force on 1 January of `year`, or undefined before the first one. */
export function rulesForYear(versions: readonly StatutoryRules[], year: number): StatutoryRules | undefined {
  const start = `${year}-01-01`;
  return [...versions].filter((v) => v.effective <= start).sort((a, b) => b.effective.localeCompare(a.effective))[0];
}

// chinese-days turns a computed date into text through its own date wrapper, which reads it back in
// the process's local time zone: west of UTC, getSolarTermDate comes out a day early (2025's 清明
// as 04-03 under TZ=America/Los_Angeles). getLunarDate(…).date makes the same round trip, so the
// shift it shows for a known day is taken back out of the solar-term date.
function packageFormattingShift(): number {
  return dayNumberOf(chineseDays.getLunarDate('2000-01-01').date)! - dayNumberOf('2000-01-01')!;
}

/** Gregorian day number of a solar term in `year`. */
function solarTermDay(year: number, term: keyof typeof solarTerms): number {
  const { key, month } = solarTerms[term];
  return dayNumberOf(chineseDays.getSolarTermDate(year, month, key))! - packageFormattingShift();
}

const lunarCache = new Map<number, Map<string, number>>();

/**
 * Gregorian day numbers of the (non-leap) lunar month-days of the lunar year that begins in
 * `year`. Only the lunar fields of getLunarDate are used: they are computed from a UTC day count
 * and do not depend on the time zone.
 */
function lunarDaysOf(year: number): Map<string, number> {
  const known = lunarCache.get(year);
  if (known) return known;
  const out = new Map<string, number>();
  // A lunar year starts between 21 January and 20 February and lasts at most 385 days.
  for (let d = dayNumberOfParts(year, 1, 1)!; d <= dayNumberOfParts(year + 1, 2, 28)!; d++) {
    const lunar = chineseDays.getLunarDate(isoOf(d));
    if (lunar.lunarYear === year && !lunar.isLeap) out.set(`${String(lunar.lunarMon).padStart(2, '0')}-${String(lunar.lunarDay).padStart(2, '0')}`, d);
  }
  lunarCache.set(year, out);
  return out;
}

/** First day number of one statutory holiday in `year`. */
function firstDayOf(holiday: StatutoryRules['holidays'][number], year: number): number {
  let day: number | undefined;
  if (holiday.solar) day = dayNumberOf(`${year}-${holiday.solar}`) ?? undefined;
  else if (holiday.lunar) day = lunarDaysOf(year).get(holiday.lunar);
  else if (holiday.solarTerm) day = solarTermDay(year, holiday.solarTerm);
  if (day === undefined) throw new Error(`${year} 年找不到「${holiday.name}」的日期`);
  return day + holiday.offset;
}

/**
 * Every statutory day off of `year` under `rules`, in date order.
 * @example statutoryDays(rules2025, 2027).filter((d) => d.name === '春节') // 2027-02-05 (除夕) … 2027-02-08 (初三)
 */
export function statutoryDays(rules: StatutoryRules, year: number): StatutoryDay[] {
  const out: StatutoryDay[] = [];
  for (const holiday of rules.holidays) {
    const first = firstDayOf(holiday, year);
    for (let i = 0; i < holiday.days; i++) out.push({ date: isoOf(first + i), name: holiday.name });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}
