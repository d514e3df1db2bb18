/**
 * Birthdays, important family days and festivals (issue 20): when a day the
 * customer keeps falls, in the solar calendar the team works by. Lunar (农历)
 * conversion is tyme4ts's; nothing here computes a new moon.
 *
 * Decisions, each tested in test/occasions.test.ts:
 * - 2月29日 without a year is valid, and falls on 28 Feb in common years.
 * - A lunar day 30 falls on the month's last day when that month has 29 days.
 * - A date in a leap month (闰月) is kept in the regular month of that number
 *   (闰四月初五 → 四月初五), except on the dated day itself.
 * - `year` is in the date's own calendar: 农历1990年腊月初八 is lunar year 1990
 *   (solar 1991-01-23). A dated yearly day never falls before that date.
 * - "When" is always the next occurrence on or after a day, never "the date in
 *   solar year Y": a lunar date can fall twice in one solar year, or not at all
 *   (腊月 dates move between December and January).
 */
import { LunarDay, LunarMonth, LunarYear, SolarDay, SolarMonth, SolarTerm } from 'tyme4ts';
import { domain } from '../config/domain.js';
import type { CalendarDate } from '../time.js';

export type OccasionCalendar = 'solar' | 'lunar';
type Recurrence = 'yearly' | 'once';

/** A day as the customer gives it: month and day, the year when known, in 公历 or 农历. */
export interface OccasionDate {
  calendar: OccasionCalendar;
  /** 1–12. */
  month: number;
  /** 1–31 solar, 1–30 lunar. */
  day: number;
  /** In the date's own calendar (a lunar year for a lunar date). */
  year?: number;
  /** 闰月: the leap month following the regular month `month` (lunar only). */
  leapMonth?: boolean;
}

export interface Occasion extends OccasionDate {
  recurrence: Recurrence;
}

/** A dated, labelled day in the family section: 儿子高考, 结婚纪念日, 公司周年. */
export interface ImportantDay extends Occasion {
  label: string;
}

/** Why a date cannot be kept; each has a message in `messages.occasions.problems`. */
export type OccasionProblem =
  | 'notADate'
  | 'invalidYear'
  | 'monthOutOfRange'
  | 'dayOutOfRange'
  | 'leapOnlyLunar'
  | 'noSuchLeapMonth'
  | 'yearTooEarly'
  | 'yearTooLate'
  | 'birthInFuture'
  | 'onceNeedsYear'
  | 'calendarConflict';

type FestivalRule = (typeof domain.occasions.festivals)[number];
export type FestivalId = FestivalRule['id'];
/** Every festival a team can pick, in the order they are offered. */
export const FESTIVAL_IDS: readonly FestivalId[] = domain.occasions.festivals.map((f) => f.id);

/** tyme4ts stops at solar 9999, which the end of lunar 9999 passes; a later year would make it throw. */
const LIBRARY_LAST_YEAR = 9998;
const LUNAR_DAYS_MAX = 30;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const format = (day: SolarDay): CalendarDate => `${pad(day.getYear(), 4)}-${pad(day.getMonth())}-${pad(day.getDay())}`;

function solarDay(date: CalendarDate): SolarDay {
  const [year = NaN, month = NaN, day = NaN] = date.split('-').map(Number);
  return SolarDay.fromYmd(year, month, day);
}

/** The year `date` belongs to in `calendar`: early in a solar year it is often still the previous lunar year. */
function yearOf(calendar: OccasionCalendar, date: CalendarDate): number {
  const day = solarDay(date);
  return calendar === 'solar' ? day.getYear() : day.getLunarDay().getYear();
}

function solarMonthLength(year: number | undefined, month: number): number {
  // Without a year, February may hold a 29th (a birthday kept on the 28th in common years).
  return SolarMonth.fromYm(year ?? 2000, month).getDayCount();
}

/** tyme4ts numbers a leap month negatively: 闰四月 is -4. */
const lunarMonthNumber = (month: number, leap: boolean | undefined) => (leap ? -month : month);

/** Problems visible in the date alone: ranges, the leap month and the day existing in the year given. */
export function dateProblem(date: OccasionDate): OccasionProblem | undefined {
  const { calendar, month, day, year, leapMonth } = date;
  if (calendar !== 'solar' && calendar !== 'lunar') return 'notADate';
  if (!Number.isInteger(month) || month < 1 || month > 12) return 'monthOutOfRange';
  if (leapMonth && calendar === 'solar') return 'leapOnlyLunar';
  if (year !== undefined && !Number.isInteger(year)) return 'invalidYear';
  if (year !== undefined && year < domain.occasions.earliestYear) return 'yearTooEarly';
  if (year !== undefined && year > LIBRARY_LAST_YEAR) return 'yearTooLate';
  if (leapMonth && year !== undefined && LunarYear.fromYear(year).getLeapMonth() !== month) return 'noSuchLeapMonth';
  const longest =
    calendar === 'solar'
      ? solarMonthLength(year, month)
      : year === undefined
        ? LUNAR_DAYS_MAX
        : LunarMonth.fromYm(year, lunarMonthNumber(month, leapMonth)).getDayCount();
  if (!Number.isInteger(day) || day < 1 || day > longest) return 'dayOutOfRange';
  return undefined;
}

/** The dated day itself (leap month included), as a solar date. Needs a year. */
export function datedDay(date: OccasionDate & { year: number }): CalendarDate {
  if (date.calendar === 'solar') return format(SolarDay.fromYmd(date.year, date.month, date.day));
  return format(LunarDay.fromYmd(date.year, lunarMonthNumber(date.month, date.leapMonth), date.day).getSolarDay());
}

/**
 * Whether a birthday or important day can be kept, as of `today` (the team's
 * date): a birth date is never after today; any other day is at most
 * `maxYearsAhead` years ahead; a once-only day needs its year.
 */
export function occasionProblem(
  occasion: Occasion,
  context: { today: CalendarDate; birth: boolean },
): OccasionProblem | undefined {
  const problem = dateProblem(occasion);
  if (problem) return problem;
  if (occasion.year === undefined) return occasion.recurrence === 'once' ? 'onceNeedsYear' : undefined;
  const dated = datedDay({ ...occasion, year: occasion.year });
  if (context.birth) return dated > context.today ? 'birthInFuture' : undefined;
  const lastYear = Number(context.today.slice(0, 4)) + domain.occasions.maxYearsAhead;
  return Number(dated.slice(0, 4)) > lastYear ? 'yearTooLate' : undefined;
}

/**
 * When a yearly day falls in `year` of its own calendar: the dated day itself
 * in its year; otherwise the regular month (never the leap one), the day
 * capped at the month's length (2月29日 → 28 Feb, lunar 三十 → 廿九).
 */
function occurrenceIn(date: OccasionDate, year: number): CalendarDate {
  if (date.year === year) return datedDay({ ...date, year });
  if (date.calendar === 'solar')
    return format(SolarDay.fromYmd(year, date.month, Math.min(date.day, solarMonthLength(year, date.month))));
  const days = LunarMonth.fromYm(year, date.month).getDayCount();
  return format(LunarDay.fromYmd(year, date.month, Math.min(date.day, days)).getSolarDay());
}

/**
 * The first day on or after `onOrAfter` when the occasion falls; null for a
 * once-only day already past. Takes a valid occasion (see occasionProblem).
 */
export function nextOccurrence(occasion: Occasion, onOrAfter: CalendarDate): CalendarDate | null {
  if (occasion.recurrence === 'once') {
    if (occasion.year === undefined) return null;
    const dated = datedDay({ ...occasion, year: occasion.year });
    return dated >= onOrAfter ? dated : null;
  }
  // The occurrence in onOrAfter's own-calendar year, else the next year's: a
  // year later it is past onOrAfter whatever the calendar.
  const year = Math.max(yearOf(occasion.calendar, onOrAfter), occasion.year ?? -Infinity);
  const first = occurrenceIn(occasion, year);
  return first >= onOrAfter ? first : occurrenceIn(occasion, year + 1);
}

/**
 * Whole years from a dated yearly day to `date` (周岁 for a birthday, the
 * count of an anniversary); null without a year, for a once-only day, or
 * before the day itself. Counted in the day's own calendar and incremented on
 * the day it is celebrated, so the age on a greeting is the number of
 * birthdays kept since birth: a lunar birthday counts lunar years (a 腊月
 * birthday falling in December one year and January the next still adds one
 * each time), a 2月29日 birthday adds one on 28 Feb in common years.
 */
export function ageOn(occasion: Occasion, date: CalendarDate): number | null {
  if (occasion.year === undefined || occasion.recurrence === 'once') return null;
  const year = yearOf(occasion.calendar, date);
  const years = year - occasion.year - (date < occurrenceIn(occasion, year) ? 1 : 0);
  return years >= 0 ? years : null;
}

function nextSolarTerm(name: string, onOrAfter: CalendarDate): CalendarDate {
  // tyme4ts counts a year's terms from the previous 冬至, so a term of year Y may fall in Y-1.
  const year = Number(onOrAfter.slice(0, 4));
  for (let y = year - 1; ; y++) {
    const day = format(SolarTerm.fromName(y, name).getSolarDay());
    if (day >= onOrAfter) return day;
  }
}

/** The first day on or after `onOrAfter` of a festival in domain.occasions.festivals. */
export function nextFestivalDate(id: FestivalId, onOrAfter: CalendarDate): CalendarDate {
  const rule: FestivalRule | undefined = domain.occasions.festivals.find((f) => f.id === id);
  if (!rule) throw new Error(`unknown festival ${id}`);
  if ('solarTerm' in rule) return nextSolarTerm(rule.solarTerm, onOrAfter);
  // A yearly occasion always has a next occurrence.
  return nextOccurrence(
    { calendar: rule.calendar, month: rule.month, day: rule.day, recurrence: 'yearly' },
    onOrAfter,
  )!;
}

/** What a card keeps of its customer's days. */
export interface CardOccasions {
  birthday?: OccasionDate;
  importantDays?: readonly ImportantDay[];
}

/** One of a card's days: the birthday, or an important day with its label. */
export interface CardOccasion {
  /**
   * Names the day among the card's others across edits: `birthday`, or an important day's date and recurrence (a
   * relabelled day is the same day; a redated one is a new one).
   */
  key: string;
  occasion: Occasion;
  /** An important day's label; none for the birthday. */
  label?: string;
}

/** When one of a card's days falls. */
export interface ComingDay extends CardOccasion {
  date: CalendarDate;
  /** Years since its dated year on that day: the age a birthday turns, an anniversary's count; null when not known. */
  years: number | null;
}

const importantDayKey = (d: ImportantDay) =>
  `day:${d.calendar}:${d.leapMonth ? 'leap-' : ''}${d.month}-${d.day}:${d.year ?? ''}:${d.recurrence}`;

/** The card's birthday and important days, each with its key. */
export function occasionsOf(card: CardOccasions): CardOccasion[] {
  const birthday: CardOccasion[] = card.birthday
    ? [{ key: 'birthday', occasion: { ...card.birthday, recurrence: 'yearly' } }]
    : [];
  const days = (card.importantDays ?? []).map((d) => ({ key: importantDayKey(d), occasion: d, label: d.label }));
  return [...birthday, ...days];
}

/** The card's days falling from `from` to `to` (both included), soonest first. */
export function daysComing(card: CardOccasions, from: CalendarDate, to: CalendarDate): ComingDay[] {
  return occasionsOf(card)
    .flatMap((o) => {
      const date = nextOccurrence(o.occasion, from);
      return date !== null && date <= to ? [{ ...o, date, years: ageOn(o.occasion, date) }] : [];
    })
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The first day on or after `from` when one of the card's days falls; undefined when none ever will. */
export function nextOccasionOn(card: CardOccasions, from: CalendarDate): CalendarDate | undefined {
  const dates = occasionsOf(card).flatMap((o) => nextOccurrence(o.occasion, from) ?? []);
  return dates.length > 0 ? dates.reduce((a, b) => (a < b ? a : b)) : undefined;
}
