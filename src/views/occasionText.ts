import { domain } from '../config/domain.js';
import type { OccasionDate, OccasionProblem } from '../domain/occasions.js';
import type { Messages } from '../i18n/index.js';

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

/** The inline error for a date that cannot be kept. */
export function occasionProblemText(t: Messages, problem: OccasionProblem): string {
  return problem === 'yearTooEarly'
    ? t.occasions.yearTooEarly(domain.occasions.earliestYear)
    : t.occasions.problems[problem];
}
