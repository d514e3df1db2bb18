import { ageOn, nextOccurrence, type CardOccasion, type ComingDay } from '../domain/occasions.js';
import type { Messages } from '../i18n/index.js';
import { escapeMrkdwn, joinMrkdwn, md, type Mrkdwn } from '../i18n/mrkdwn.js';
import { occasionDateText } from '../i18n/occasionText.js';
import { daysBetween, type CalendarDate } from '../time.js';

/** What the day is: 🎂 生日, or 📅 and the important day's label. */
export function comingDayWhat(t: Messages, day: Pick<ComingDay, 'label'>): Mrkdwn {
  return day.label === undefined
    ? escapeMrkdwn(t.occasions.birthdayWhat)
    : escapeMrkdwn(t.occasions.importantWhat(day.label));
}

/**
 * When a birthday or important day falls, as a salesperson plans by it: the
 * day (and the lunar date it is), how soon, and the age it brings or the
 * anniversary's count when the year is known. 10月6日（农历八月廿六）· 还有 3 天 · 满 36 岁
 */
export function comingDayWhen(t: Messages, day: ComingDay, today: CalendarDate): Mrkdwn {
  const o = t.occasions;
  const [, month, dayOfMonth] = day.date.split('-').map(Number) as [number, number, number];
  const lunar =
    day.occasion.calendar === 'lunar' ? o.lunarNote(occasionDateText(t, { ...day.occasion, year: undefined })) : '';
  const years =
    day.years === null || day.years === 0
      ? []
      : [day.label === undefined ? o.turns(day.years) : o.anniversary(day.years)];
  const parts = [`${o.solarDate(month, dayOfMonth)}${lunar}`, o.inDays(daysBetween(today, day.date)), ...years];
  return joinMrkdwn(parts.map(escapeMrkdwn), ' · ');
}

/** One of the card's days as the card lists it: what, its date as kept, and when it next falls. */
export function cardOccasionLine(t: Messages, o: CardOccasion, today: CalendarDate): Mrkdwn {
  const date = nextOccurrence(o.occasion, today);
  const kept = escapeMrkdwn(occasionDateText(t, o.occasion));
  const once = o.occasion.recurrence === 'once' ? md` · ${escapeMrkdwn(t.occasions.recurrence.once)}` : md``;
  const when =
    date === null
      ? md` · ${escapeMrkdwn(t.occasions.passed)}`
      : md` → ${comingDayWhen(t, { ...o, date, years: ageOn(o.occasion, date) }, today)}`;
  return md`*${comingDayWhat(t, o)}* ${kept}${once}${when}`;
}
