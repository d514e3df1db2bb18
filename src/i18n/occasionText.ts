import { domain } from '../config/domain.js';
import type { ImportantDayProblem } from '../domain/occasionInput.js';
import type { ImportantDay, OccasionDate } from '../domain/occasions.js';
import type { Messages } from './index.js';

/** A birthday or important day as people say it: 农历八月十五 / 8th lunar month, day 15; 5月20日 / 20 May. Plain text. */
export function occasionDateText(t: Messages, date: OccasionDate): string {
  const m = t.occasions;
  if (date.calendar === 'solar') {
    return date.year === undefined
      ? m.solarDate(date.month, date.day)
      : m.solarDateWithYear(date.year, date.month, date.day);
  }
  const regular = m.lunarMonths[date.month - 1] ?? String(date.month);
  const month = date.leapMonth ? m.leapMonth(regular) : regular;
  const day = m.lunarDays[date.day - 1] ?? String(date.day);
  return date.year === undefined ? m.lunarDate(month, day) : m.lunarDateWithYear(date.year, month, day);
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A date as the card modal fills it in for an edit (and an export writes
 * it), read back unchanged: solar as digits (1990-05-20, 05-20); lunar
 * written out in Chinese (农历1990年腊月初八) for Chinese readers, and as
 * `lunar 1990-12-08` (`lunar leap 04-05`) for English ones.
 */
export function occasionInputText(t: Messages, date: OccasionDate): string {
  if (date.calendar === 'lunar')
    return t.occasions.lunarInput(date.month, date.day, date.year, date.leapMonth === true);
  const monthDay = `${pad(date.month)}-${pad(date.day)}`;
  return date.year === undefined ? monthDay : `${date.year}-${monthDay}`;
}

/** Important days as the modal fills them in: one line each, the label, the date and 每年 / 一次 said. */
export function importantDaysInputText(t: Messages, days: readonly ImportantDay[] | undefined): string | undefined {
  if (!days?.length) return undefined;
  return days.map((d) => `${d.label} ${occasionInputText(t, d)} ${t.occasions.recurrence[d.recurrence]}`).join('\n');
}

/** The inline error for a date, or a line of important days, that cannot be kept. */
export function importantDayProblemText(t: Messages, problem: ImportantDayProblem): string {
  if (problem === 'yearTooEarly') return t.occasions.yearTooEarly(domain.occasions.earliestYear);
  if (problem === 'labelTooLong') return t.occasions.labelTooLong(domain.occasions.labelMaxLength);
  if (problem === 'tooMany') return t.occasions.tooMany(domain.occasions.maxImportantDays);
  return t.occasions.problems[problem];
}
