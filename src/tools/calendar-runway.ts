import { daysFromTo } from './iso-days.js';
import type { Calendar } from './working-days.js';

/** How long the working-day calendar still answers, seen from `today`. */
export interface CalendarRunway {
  today: string;
  lastNoticeYear: number;
  /** Last day counted on a State Council notice (31 December of the last notice year). */
  noticeCoveredUntil: string;
  /** Last day any date is computed for, the provisional years included; later dates get a 422. */
  lastDay: string;
  /** Calendar days from today to lastDay (0 once it has passed). */
  daysRemaining: number;
  /** Calendar days from today to noticeCoveredUntil (0 once it has passed). */
  noticeDaysRemaining: number;
  /** True when daysRemaining is within the table's warning period. */
  warn: boolean;
}

/**
 * The calendar's runway on `today` (YYYY-MM-DD, China time): what `npm run kb:check` warns about,
 * `/metrics` exports as calendar_days_remaining and `/readyz` reports.
 */
export function calendarRunway(calendar: Calendar, today: string): CalendarRunway {
  const noticeCoveredUntil = `${calendar.lastNoticeYear}-12-31`;
  const daysRemaining = Math.max(0, daysFromTo(today, calendar.lastDay));
  return {
    today,
    lastNoticeYear: calendar.lastNoticeYear,
    noticeCoveredUntil,
    lastDay: calendar.lastDay,
    daysRemaining,
    noticeDaysRemaining: Math.max(0, daysFromTo(today, noticeCoveredUntil)),
    warn: daysRemaining <= calendar.warnDaysBeforeEnd,
  };
}
