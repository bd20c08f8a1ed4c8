// Plain calendar arithmetic on YYYY-MM-DD strings, via UTC day numbers (no time zones involved).

export const DAY_MS = 86_400_000;
export const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const;

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number since 1970-01-01, or null when `value` is not a real YYYY-MM-DD date. */
export function dayNumberOf(value: string): number | null {
  const m = isoPattern.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return dayNumberOfParts(y, mo, d);
}

/** Day number of year/month/day (month 1–12), or null when they do not form a real date. */
export function dayNumberOfParts(y: number, mo: number, d: number): number | null {
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

export function isoOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export const isWeekend = (dayNumber: number): boolean => weekdayOf(dayNumber) === 0 || weekdayOf(dayNumber) === 6;

export const yearOf = (iso: string): number => Number(iso.slice(0, 4));

/** Whole days from `from` to `to` (negative when `to` is earlier). Both must be valid dates. */
export function daysFromTo(from: string, to: string): number {
  return dayNumberOf(to)! - dayNumberOf(from)!;
}
