import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezone from 'dayjs/plugin/timezone.js';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(customParseFormat);

/** A calendar date as the user picked it, `YYYY-MM-DD`, with no time zone attached. */
export type CalendarDate = string;

const DATE_FORMAT = 'YYYY-MM-DD';

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function isCalendarDate(value: string): boolean {
  return dayjs(value, DATE_FORMAT, true).isValid();
}

export function localNow(now: Date, tz: string): Dayjs {
  return dayjs(now).tz(tz);
}

export function todayIn(now: Date, tz: string): CalendarDate {
  return localNow(now, tz).format(DATE_FORMAT);
}

export function yearIn(now: Date, tz: string): number {
  return localNow(now, tz).year();
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return dayjs(date, DATE_FORMAT, true).add(days, 'day').format(DATE_FORMAT);
}

/** Whole days from `from` to `to`, counted in UTC so a daylight-saving change cannot cost a day. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return dayjs.utc(to).diff(dayjs.utc(from), 'day');
}

/** The instant when `date` reaches `hour`:00 in the team's time zone. */
export function instantAt(date: CalendarDate, hour: number, tz: string): Date {
  return dayjs.tz(`${date} ${String(hour).padStart(2, '0')}:00`, 'YYYY-MM-DD HH:mm', tz).toDate();
}

export function formatInstant(at: Date, tz: string): string {
  return dayjs(at).tz(tz).format('YYYY-MM-DD HH:mm');
}
