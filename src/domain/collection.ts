/** The collection matrix: which overdue receivables to chase, how, and when. */

import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import { domain } from '../config/domain.js';
import { addDays, type CalendarDate } from '../time.js';

dayjs.extend(utc);

export type CollectionQuadrant = 'shortSmall' | 'shortLarge' | 'longSmall' | 'longLarge';

/** Whole calendar days past the due date: 0 on it, negative before it. */
export function daysOverdue(dueDate: CalendarDate, today: CalendarDate): number {
  // Counted in UTC: where daylight saving starts at midnight, a local midnight can be missing and cost a day.
  return dayjs.utc(today).diff(dayjs.utc(dueDate), 'day');
}

/** The matrix's team-set thresholds (TeamSettings.collection); domain.collection's by default. */
export type CollectionThresholds = { longAfterDays: number; largeFromFen: number; repeatEveryDays: number };

export function collectionQuadrant(daysOverdue: number, overdueFen: number, thresholds: CollectionThresholds = domain.collection): CollectionQuadrant {
  // Thresholds are inclusive: exactly longAfterDays overdue is long, exactly largeFromFen is large.
  const long = daysOverdue >= thresholds.longAfterDays;
  const large = overdueFen >= thresholds.largeFromFen;
  if (long) return large ? 'longLarge' : 'longSmall';
  return large ? 'shortLarge' : 'shortSmall';
}

/**
 * The first nudge goes out the day a receivable becomes overdue (the day after
 * its due date), then every repeatEveryDays. A nudge whose day has passed
 * unsent (the bot was down) goes out today rather than never.
 */
export function nextOverdueNudgeDate(dueDate: CalendarDate, lastNudgedOn: CalendarDate | undefined, today: CalendarDate): CalendarDate {
  const firstOverdueDay = addDays(dueDate, 1);
  const scheduled = lastNudgedOn === undefined ? firstOverdueDay : later(firstOverdueDay, addDays(lastNudgedOn, domain.collection.repeatEveryDays));
  return later(scheduled, today);
}

/** Each reminder letter is one level firmer than the last, up to maxLetterLevel. */
export function nextLetterLevel(current: number | undefined): number {
  return Math.min((current ?? 0) + 1, domain.collection.maxLetterLevel);
}

/** `YYYY-MM-DD` strings order as their dates do. */
function later(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a >= b ? a : b;
}
