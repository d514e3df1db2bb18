/** The collection matrix: which overdue receivables to chase, how, and when. */

import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import type { CalendarDate } from '../time.js';

dayjs.extend(utc);

export type CollectionQuadrant = 'shortSmall' | 'shortLarge' | 'longSmall' | 'longLarge';

/** Whole calendar days past the due date: 0 on it, negative before it. */
export function daysOverdue(dueDate: CalendarDate, today: CalendarDate): number {
  // Counted in UTC: where daylight saving starts at midnight, a local midnight can be missing and cost a day.
  return dayjs.utc(today).diff(dayjs.utc(dueDate), 'day');
}

/** The matrix's thresholds: the team's (TeamSettings.collection), the overdue kind's defaults underneath. */
export type CollectionThresholds = { longAfterDays: number; largeFromFen: number; repeatEveryDays: number };

export function collectionQuadrant(
  daysOverdue: number,
  overdueFen: number,
  thresholds: CollectionThresholds,
): CollectionQuadrant {
  // Thresholds are inclusive: exactly longAfterDays overdue is long, exactly largeFromFen is large.
  const long = daysOverdue >= thresholds.longAfterDays;
  const large = overdueFen >= thresholds.largeFromFen;
  if (long) return large ? 'longLarge' : 'longSmall';
  return large ? 'shortLarge' : 'shortSmall';
}
