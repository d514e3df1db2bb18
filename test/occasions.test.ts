import fc from 'fast-check';
import { LunarDay, LunarYear, SolarDay } from 'tyme4ts';
import { domain } from '../src/config/domain.js';
import { parseImportantDays, parseOccasionDate, type ImportantDayProblem } from '../src/domain/occasionInput.js';
import {
  ageOn,
  dateProblem,
  nextFestivalDate,
  nextOccurrence,
  occasionProblem,
  type FestivalId,
  type Occasion,
  type OccasionDate,
  type OccasionProblem,
} from '../src/domain/occasions.js';
import { en } from '../src/i18n/en.js';
import { zh } from '../src/i18n/zh.js';
import { addDays, type CalendarDate } from '../src/time.js';
import {
  importantDayProblemText,
  importantDaysInputText,
  occasionDateText,
  occasionInputText,
} from '../src/i18n/occasionText.js';

/* The library, used directly: what the app's answers are checked against. */

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: SolarDay): CalendarDate => `${d.getYear()}-${pad(d.getMonth())}-${pad(d.getDay())}`;
const solar = (date: CalendarDate) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return SolarDay.fromYmd(y, m, d);
};
/** tyme4ts numbers a leap month negatively. */
const lunarToSolar = (year: number, month: number, day: number): CalendarDate =>
  iso(LunarDay.fromYmd(year, month, day).getSolarDay());

const yearly = (date: OccasionDate): Occasion => ({ ...date, recurrence: 'yearly' });
const lunar = (month: number, day: number, extra: Partial<OccasionDate> = {}): Occasion =>
  yearly({ calendar: 'lunar', month, day, ...extra });
const solarDate = (month: number, day: number, extra: Partial<OccasionDate> = {}): Occasion =>
  yearly({ calendar: 'solar', month, day, ...extra });

describe('festival dates, checked against published calendars', () => {
  test.each<[FestivalId, CalendarDate, CalendarDate]>([
    ['springFestival', '2026-03-01', '2027-02-06'],
    ['springFestival', '2026-01-01', '2026-02-17'],
    ['midAutumn', '2026-01-01', '2026-09-25'],
    ['dragonBoat', '2026-01-01', '2026-06-19'],
    // 除夕 is the last day of 腊月: 腊月 of lunar 2026 has 29 days, so 廿九, the day before 春节 2027.
    ['newYearsEve', '2026-03-01', '2027-02-05'],
    // The 除夕 that falls in solar 2026 is lunar 2025's.
    ['newYearsEve', '2026-01-01', '2026-02-16'],
    ['newYearsEve', '2024-06-01', '2025-01-28'],
    ['lantern', '2026-01-01', '2026-03-03'],
    ['laba', '2026-01-01', '2026-01-26'],
    ['qingming', '2026-01-01', '2026-04-05'],
    ['qingming', '2026-04-06', '2027-04-05'],
    ['nationalDay', '2026-10-02', '2027-10-01'],
    ['nationalDay', '2026-10-01', '2026-10-01'],
    ['newYear', '2026-12-31', '2027-01-01'],
  ])('%s on or after %s is %s', (id, onOrAfter, expected) => {
    expect(nextFestivalDate(id, onOrAfter)).toBe(expected);
  });

  test('除夕 is the day before 春节 in every year 1901–2099', () => {
    for (let year = 1901; year <= 2099; year++) {
      const springFestival = lunarToSolar(year, 1, 1);
      expect(nextFestivalDate('newYearsEve', `${year - 1}-12-01`)).toBe(addDays(springFestival, -1));
    }
  });

  test('the team greets 春节, 端午, 中秋 and 国庆 by default; every festival has a rule and a name in both languages', () => {
    expect(domain.occasions.defaultFestivals).toEqual(['springFestival', 'dragonBoat', 'midAutumn', 'nationalDay']);
    const ids = domain.occasions.festivals.map((f) => f.id);
    for (const id of domain.occasions.defaultFestivals) expect(ids).toContain(id);
    for (const id of ids) {
      expect(zh.occasions.festivals[id]).toBeTruthy();
      expect(en.occasions.festivals[id]).toBeTruthy();
    }
    expect(domain.occasions.birthdayDaysAhead).toBe(3);
    expect(domain.occasions.festivalDaysAhead).toBe(10);
  });

  test('every festival comes within 386 days of any day (a lunar year with a 闰月 has up to 385), never before it', () => {
    const ids = domain.occasions.festivals.map((f) => f.id);
    fc.assert(
      fc.property(fc.constantFrom(...ids), day(1950, 2100), (id, onOrAfter) => {
        const next = nextFestivalDate(id, onOrAfter);
        expect(next >= onOrAfter).toBe(true);
        expect(next <= addDays(onOrAfter, 385)).toBe(true);
        expect(nextFestivalDate(id, next)).toBe(next);
        expect(nextFestivalDate(id, addDays(next, 1)) > next).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('birthdays and important days: the decided edge cases', () => {
  test('a solar 2月29日 birthday without a year falls on 28 Feb in common years and 29 Feb in leap years', () => {
    expect(occasionProblem(solarDate(2, 29), { today: '2026-06-01', birth: true })).toBeUndefined();
    expect(nextOccurrence(solarDate(2, 29), '2027-01-01')).toBe('2027-02-28');
    expect(nextOccurrence(solarDate(2, 29), '2028-01-01')).toBe('2028-02-29');
    expect(nextOccurrence(solarDate(2, 29), '2027-03-01')).toBe('2028-02-29');
  });

  test('a leap-day baby turns a year older on 28 Feb in common years', () => {
    const born = solarDate(2, 29, { year: 2000 });
    expect(ageOn(born, '2027-02-27')).toBe(26);
    expect(ageOn(born, '2027-02-28')).toBe(27);
    expect(ageOn(born, '2028-02-28')).toBe(27);
    expect(ageOn(born, '2028-02-29')).toBe(28);
  });

  test('a lunar day 30 falls on the 29th when that month has 29 days, on the 30th when it has 30', () => {
    // 农历二月 has 29 days in 2026, 30 in 2027.
    expect(LunarDay.fromYmd(2026, 2, 29).getLunarMonth().getDayCount()).toBe(29);
    expect(LunarDay.fromYmd(2027, 2, 30).getLunarMonth().getDayCount()).toBe(30);
    expect(nextOccurrence(lunar(2, 30), '2026-01-01')).toBe('2026-04-16');
    expect(lunarToSolar(2026, 2, 29)).toBe('2026-04-16');
    expect(nextOccurrence(lunar(2, 30), '2026-04-17')).toBe('2027-04-06');
    expect(lunarToSolar(2027, 2, 30)).toBe('2027-04-06');
  });

  test('a 闰月 birthday is kept in the regular month of that number, after the day of birth itself', () => {
    // Born 农历2023年闰二月十一 (2023-04-01); 2023's regular 二月十一 (2023-03-02) was before the birth.
    const born = lunar(2, 11, { year: 2023, leapMonth: true });
    expect(occasionProblem(born, { today: '2026-06-01', birth: true })).toBeUndefined();
    expect(nextOccurrence(born, '2023-01-01')).toBe('2023-04-01');
    expect(nextOccurrence(born, '2023-04-02')).toBe('2024-03-20');
    expect(lunarToSolar(2024, 2, 11)).toBe('2024-03-20');
    expect(ageOn(born, '2024-03-20')).toBe(1);
    // Without a year, in a year that has a 闰四月 (2020), 闰四月初五 falls on the regular 四月初五.
    expect(LunarYear.fromYear(2020).getLeapMonth()).toBe(4);
    expect(nextOccurrence(lunar(4, 5, { leapMonth: true }), '2020-01-01')).toBe(lunarToSolar(2020, 4, 5));
    expect(lunarToSolar(2020, 4, 5)).toBe('2020-04-27');
  });

  test('a 腊月 birthday whose next occurrence crosses the solar new year', () => {
    // 腊月初八 of lunar 2026 is 2027-01-15.
    expect(nextOccurrence(lunar(12, 8), '2026-12-01')).toBe('2027-01-15');
    expect(nextOccurrence(lunar(12, 8), '2026-01-27')).toBe('2027-01-15');
    // 腊月初一 falls twice in solar 2024 (lunar 2023's and lunar 2024's) and not at all in solar 2025.
    expect(nextOccurrence(lunar(12, 1), '2024-01-01')).toBe('2024-01-11');
    expect(nextOccurrence(lunar(12, 1), '2024-01-12')).toBe('2024-12-31');
    expect(nextOccurrence(lunar(12, 1), '2025-01-01')).toBe('2026-01-19');
  });

  test('a lunar age counts lunar birthdays: born 农历1990年腊月初八 (1991-01-23), 36 on 2027-01-15', () => {
    const born = lunar(12, 8, { year: 1990 });
    expect(lunarToSolar(1990, 12, 8)).toBe('1991-01-23');
    expect(ageOn(born, '2027-01-14')).toBe(35);
    expect(ageOn(born, '2027-01-15')).toBe(36);
    expect(ageOn(born, '1991-01-22')).toBeNull();
    expect(ageOn(born, '1991-01-23')).toBe(0);
    expect(ageOn(lunar(12, 8), '2027-01-15')).toBeNull();
  });

  test('a once-only day falls on its date, then never again; a dated yearly day not before its date', () => {
    const exam: Occasion = { calendar: 'solar', month: 6, day: 7, year: 2027, recurrence: 'once' };
    expect(nextOccurrence(exam, '2026-06-08')).toBe('2027-06-07');
    expect(nextOccurrence(exam, '2027-06-07')).toBe('2027-06-07');
    expect(nextOccurrence(exam, '2027-06-08')).toBeNull();
    expect(ageOn(exam, '2028-06-07')).toBeNull();
    const wedding = solarDate(5, 20, { year: 2030 });
    expect(nextOccurrence(wedding, '2026-01-01')).toBe('2030-05-20');
    expect(nextOccurrence(lunar(8, 15, { year: 2030 }), '2026-01-01')).toBe(lunarToSolar(2030, 8, 15));
    expect(ageOn(solarDate(5, 20, { year: 2010 }), '2026-05-20')).toBe(16);
  });

  test('a birthday today is today', () => {
    expect(nextOccurrence(solarDate(5, 20), '2026-05-20')).toBe('2026-05-20');
    expect(nextOccurrence(lunar(8, 15), '2026-09-25')).toBe('2026-09-25');
  });
});

describe('bad input gets a problem code', () => {
  const today = '2026-06-01';
  test.each<[string, Occasion, boolean, OccasionProblem]>([
    ['2月30日', solarDate(2, 30), true, 'dayOutOfRange'],
    ['4月31日', solarDate(4, 31), true, 'dayOutOfRange'],
    ['13月', solarDate(13, 1), true, 'monthOutOfRange'],
    ['0月', solarDate(0, 1), true, 'monthOutOfRange'],
    ['lunar 十三月', lunar(13, 1), true, 'monthOutOfRange'],
    ['lunar day 31', lunar(8, 31), true, 'dayOutOfRange'],
    ['day 0', solarDate(5, 0), true, 'dayOutOfRange'],
    ['a future birth year', solarDate(5, 20, { year: 2030 }), true, 'birthInFuture'],
    ['a birth date later this year', solarDate(7, 1, { year: 2026 }), true, 'birthInFuture'],
    [
      'a lunar birth date later this year (农历2026年八月十五 = 2026-09-25)',
      lunar(8, 15, { year: 2026 }),
      true,
      'birthInFuture',
    ],
    ['a year before 1900', solarDate(5, 20, { year: 1899 }), true, 'yearTooEarly'],
    ['a family day far ahead', solarDate(5, 20, { year: 2100 }), false, 'yearTooLate'],
    ['a year past the library', solarDate(5, 20, { year: 10000 }), false, 'yearTooLate'],
    ['农历9999年腊月廿九, in solar 10000', lunar(12, 29, { year: 9999 }), false, 'yearTooLate'],
    ['1990年2月29日 (1990 is a common year)', solarDate(2, 29, { year: 1990 }), true, 'dayOutOfRange'],
    ['农历2026年二月三十 (that 二月 has 29 days)', lunar(2, 30, { year: 2026 }), false, 'dayOutOfRange'],
    [
      '农历2026年闰四月 (2026 has no leap month)',
      lunar(4, 5, { year: 2026, leapMonth: true }),
      false,
      'noSuchLeapMonth',
    ],
    ['a solar leap month', solarDate(4, 5, { leapMonth: true }), false, 'leapOnlyLunar'],
    [
      'a once-only day without a year',
      { calendar: 'solar', month: 6, day: 7, recurrence: 'once' },
      false,
      'onceNeedsYear',
    ],
    ['a fractional day', solarDate(5, 1.5), true, 'dayOutOfRange'],
  ])('%s', (_label, occasion, birth, problem) => {
    expect(occasionProblem(occasion, { today, birth })).toBe(problem);
  });

  test.each<[Occasion, boolean]>([
    [solarDate(5, 20, { year: 1990 }), true],
    [solarDate(6, 1, { year: 2026 }), true],
    [lunar(2, 30), true],
    [lunar(2, 30, { year: 2027 }), false],
    [lunar(12, 8, { year: 1990 }), true],
    [lunar(2, 11, { year: 2023, leapMonth: true }), true],
    [{ calendar: 'solar', month: 6, day: 7, year: 2027, recurrence: 'once' }, false],
    [solarDate(1, 1, { year: 1900 }), true],
  ])('%o is fine (birth: %s)', (occasion, birth) => {
    expect(occasionProblem(occasion, { today, birth })).toBeUndefined();
  });

  test('each problem has a message in both languages', () => {
    const problems: ImportantDayProblem[] = [
      'notADate',
      'invalidYear',
      'monthOutOfRange',
      'dayOutOfRange',
      'leapOnlyLunar',
      'noSuchLeapMonth',
      'yearTooEarly',
      'yearTooLate',
      'birthInFuture',
      'onceNeedsYear',
      'calendarConflict',
      'noLabel',
      'labelTooLong',
      'tooMany',
    ];
    for (const problem of problems) {
      expect(importantDayProblemText(zh, problem)).toMatch(/\S/);
      expect(importantDayProblemText(en, problem)).toMatch(/\S/);
    }
    expect(importantDayProblemText(zh, 'yearTooEarly')).toBe('年份不能早于 1900 年。');
    expect(importantDayProblemText(en, 'yearTooEarly')).toBe('The year cannot be before 1900.');
  });
});

describe('dates as people write them', () => {
  test.each<[string, OccasionDate]>([
    ['农历八月十五', { calendar: 'lunar', month: 8, day: 15 }],
    ['农历1990年腊月初八', { calendar: 'lunar', month: 12, day: 8, year: 1990 }],
    ['1990年农历腊月初八', { calendar: 'lunar', month: 12, day: 8, year: 1990 }],
    ['正月初一', { calendar: 'lunar', month: 1, day: 1 }],
    ['闰四月初五', { calendar: 'lunar', month: 4, day: 5, leapMonth: true }],
    ['2023年闰二月十一', { calendar: 'lunar', month: 2, day: 11, year: 2023, leapMonth: true }],
    ['1990-08-15 农历', { calendar: 'lunar', month: 8, day: 15, year: 1990 }],
    ['1990-08-15（阴历）', { calendar: 'lunar', month: 8, day: 15, year: 1990 }],
    ['农历 8月15日', { calendar: 'lunar', month: 8, day: 15 }],
    ['冬月廿三', { calendar: 'lunar', month: 11, day: 23 }],
    ['十二月三十', { calendar: 'lunar', month: 12, day: 30 }],
    ['三月初十', { calendar: 'lunar', month: 3, day: 10 }],
    ['一九九〇年八月十五', { calendar: 'lunar', month: 8, day: 15, year: 1990 }],
    ['1990-05-20', { calendar: 'solar', month: 5, day: 20, year: 1990 }],
    ['1990/5/20', { calendar: 'solar', month: 5, day: 20, year: 1990 }],
    ['1990.05.20', { calendar: 'solar', month: 5, day: 20, year: 1990 }],
    ['1990年5月20日', { calendar: 'solar', month: 5, day: 20, year: 1990 }],
    ['19900520', { calendar: 'solar', month: 5, day: 20, year: 1990 }],
    ['５月２０日', { calendar: 'solar', month: 5, day: 20 }],
    ['5月20号', { calendar: 'solar', month: 5, day: 20 }],
    ['05-20', { calendar: 'solar', month: 5, day: 20 }],
    ['公历 2月29日', { calendar: 'solar', month: 2, day: 29 }],
    [' 阳历五月二十日 ', { calendar: 'solar', month: 5, day: 20 }],
  ])('%s', (text, date) => {
    expect(parseOccasionDate(text)).toEqual({ ok: true, date });
  });

  test.each<[string, OccasionProblem]>([
    ['2月30日', 'dayOutOfRange'],
    ['1990-02-29', 'dayOutOfRange'],
    ['13月1日', 'monthOutOfRange'],
    ['农历十三月初一', 'monthOutOfRange'],
    ['十三月初一', 'monthOutOfRange'],
    ['农历八月三十一', 'dayOutOfRange'],
    ['1899-12-31', 'yearTooEarly'],
    ['2024年闰二月十一', 'noSuchLeapMonth'],
    ['公历闰四月初五', 'leapOnlyLunar'],
    ['农历公历5月20日', 'notADate'],
    ['明天', 'notADate'],
    ['张三的生日', 'notADate'],
    ['', 'notADate'],
    ['5月', 'notADate'],
    ['1990', 'notADate'],
  ])('%s is refused: %s', (text, reason) => {
    expect(parseOccasionDate(text)).toEqual({ ok: false, reason });
  });

  test('the calendar chosen beside the text decides plain digits; text that says the other calendar is refused', () => {
    expect(parseOccasionDate('08-15', 'lunar')).toEqual({ ok: true, date: { calendar: 'lunar', month: 8, day: 15 } });
    expect(parseOccasionDate('八月十五', 'solar')).toEqual({
      ok: true,
      date: { calendar: 'solar', month: 8, day: 15 },
    });
    expect(parseOccasionDate('农历八月十五', 'lunar')).toEqual({
      ok: true,
      date: { calendar: 'lunar', month: 8, day: 15 },
    });
    expect(parseOccasionDate('lunar 1990-8-15')).toEqual({
      ok: true,
      date: { calendar: 'lunar', month: 8, day: 15, year: 1990 },
    });
    expect(parseOccasionDate('农历八月十五', 'solar')).toEqual({ ok: false, reason: 'calendarConflict' });
    expect(parseOccasionDate('公历 5月20日', 'lunar')).toEqual({ ok: false, reason: 'calendarConflict' });
    expect(parseOccasionDate('农历十三月初一', 'lunar')).toEqual({ ok: false, reason: 'monthOutOfRange' });
  });

  test('what an edit fills in reads back as the same date, whichever calendar is chosen beside it', () => {
    fc.assert(
      fc.property(fc.oneof(undated, dated), (date) => {
        for (const t of [zh, en])
          expect(parseOccasionDate(occasionInputText(t, date), date.calendar)).toEqual({ ok: true, date });
      }),
      { numRuns: 300 },
    );
  });
});

describe('important days, one per line', () => {
  const today = '2026-12-06';

  test('label, date, and 每年 / 一次 when said; unsaid, a day dated ahead happens once and any other every year', () => {
    const text = [
      '儿子高考 2027-06-07',
      '结婚纪念日 5-20',
      '公司周年：农历三月初八 每年',
      '',
      '3号楼乔迁 2019-09-01',
      "Mum's retirement 2027-01-15 yearly",
    ].join('\n');
    expect(parseImportantDays(text, today)).toEqual({
      ok: true,
      days: [
        { label: '儿子高考', calendar: 'solar', month: 6, day: 7, year: 2027, recurrence: 'once' },
        { label: '结婚纪念日', calendar: 'solar', month: 5, day: 20, recurrence: 'yearly' },
        { label: '公司周年', calendar: 'lunar', month: 3, day: 8, recurrence: 'yearly' },
        { label: '3号楼乔迁', calendar: 'solar', month: 9, day: 1, year: 2019, recurrence: 'yearly' },
        { label: "Mum's retirement", calendar: 'solar', month: 1, day: 15, year: 2027, recurrence: 'yearly' },
      ],
    });
  });

  test.each<[string, number, ImportantDayProblem]>([
    ['结婚纪念日 2月30日', 1, 'dayOutOfRange'],
    ['好日子 5-20\n开业 13月1日', 2, 'monthOutOfRange'],
    ['祭祖 农历十三月初一', 1, 'monthOutOfRange'],
    ['5-20', 1, 'noLabel'],
    ['某个日子 明天', 1, 'notADate'],
    ['搬家 5-20 一次', 1, 'onceNeedsYear'],
    ['退休 2099-01-01', 1, 'yearTooLate'],
    [`${'很'.repeat(31)} 5-20`, 1, 'labelTooLong'],
    [Array.from({ length: 11 }, (_, i) => `日子${i} 5-${i + 1}`).join('\n'), 11, 'tooMany'],
    ['创业 1899-05-01', 1, 'yearTooEarly'],
  ])('%j: line %i refused, %s', (text, line, problem) => {
    expect(parseImportantDays(text, today)).toEqual({ ok: false, line, problem });
  });

  test('what an edit fills in reads back as the same days, in either language', () => {
    const days = [
      { label: '儿子高考', calendar: 'solar', month: 6, day: 7, year: 2027, recurrence: 'once' },
      { label: '公司周年', calendar: 'lunar', month: 3, day: 8, recurrence: 'yearly' },
      { label: '孙子满月', calendar: 'lunar', month: 4, day: 5, year: 2020, leapMonth: true, recurrence: 'yearly' },
    ] as const;
    for (const t of [zh, en])
      expect(parseImportantDays(importantDaysInputText(t, days), today)).toEqual({ ok: true, days });
  });
});

describe('dates as the app shows them', () => {
  test.each<[OccasionDate, string, string]>([
    [{ calendar: 'lunar', month: 8, day: 15 }, '农历八月十五', '8th lunar month, day 15'],
    [{ calendar: 'lunar', month: 12, day: 8, year: 1990 }, '农历1990年腊月初八', '12th lunar month, day 8, 1990'],
    [{ calendar: 'lunar', month: 4, day: 5, leapMonth: true }, '农历闰四月初五', 'leap 4th lunar month, day 5'],
    [{ calendar: 'lunar', month: 1, day: 30 }, '农历正月三十', '1st lunar month, day 30'],
    [{ calendar: 'solar', month: 5, day: 20 }, '5月20日', '20 May'],
    [{ calendar: 'solar', month: 2, day: 29, year: 2000 }, '2000年2月29日', '29 February 2000'],
  ])('%o', (date, chinese, english) => {
    expect(occasionDateText(zh, date)).toBe(chinese);
    expect(occasionDateText(en, date)).toBe(english);
  });
});

/* Properties, over the library. */

/** A solar day between two years, as `YYYY-MM-DD`. */
function day(fromYear: number, toYear: number): fc.Arbitrary<CalendarDate> {
  return fc
    .date({ min: new Date(Date.UTC(fromYear, 0, 1)), max: new Date(Date.UTC(toYear, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
}

/** Undated days, whatever their month's length (2月29日, lunar 三十, 闰月 included). */
const undated = fc
  .record({
    calendar: fc.constantFrom<'solar' | 'lunar'>('solar', 'lunar'),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    leapMonth: fc.boolean(),
  })
  .map(({ calendar, month, day, leapMonth }): OccasionDate =>
    calendar === 'solar'
      ? { calendar, month, day }
      : { calendar, month, day: Math.min(day, 30), ...(leapMonth ? { leapMonth } : {}) },
  )
  .filter((date) => dateProblem(date) === undefined);

/** Dated days that happened: a real solar day, kept in either calendar (lunar ones may be in a 闰月). */
const dated = fc
  .tuple(day(1900, 2030), fc.constantFrom<'solar' | 'lunar'>('solar', 'lunar'))
  .map(([date, calendar]): OccasionDate => {
    const d = solar(date);
    if (calendar === 'solar') return { calendar, year: d.getYear(), month: d.getMonth(), day: d.getDay() };
    const l = d.getLunarDay();
    const month = l.getMonth();
    return {
      calendar,
      year: l.getYear(),
      month: Math.abs(month),
      day: l.getDay(),
      ...(month < 0 ? { leapMonth: true } : {}),
    };
  })
  .filter((date) => dateProblem(date) === undefined);

const occasions = fc
  .tuple(fc.oneof(undated, dated), fc.constantFrom<'yearly' | 'once'>('yearly', 'yearly', 'once'))
  .map(([date, recurrence]): Occasion => ({ ...date, recurrence: date.year === undefined ? 'yearly' : recurrence }));

/** The solar day a dated occasion names. */
function datedDay(date: OccasionDate & { year: number }): CalendarDate {
  if (date.calendar === 'solar') return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
  return lunarToSolar(date.year, date.leapMonth ? -date.month : date.month, date.day);
}

/**
 * An occasion and a day to ask about: any day 1950–2100 for an undated one; for
 * a dated one, from a year before its date to a century after (so the walk
 * between the day asked and the answer stays within about a year).
 */
const askedAbout: fc.Arbitrary<[Occasion, CalendarDate]> = occasions.chain((o) =>
  o.year === undefined
    ? day(1950, 2100).map((d): [Occasion, CalendarDate] => [o, d])
    : fc
        .integer({ min: -400, max: 36_500 })
        .map((offset): [Occasion, CalendarDate] => [o, addDays(datedDay({ ...o, year: o.year! }), offset)]),
);

/**
 * Whether the occasion falls on `date`, read the other way, from solar to
 * lunar through the library: the dated day itself, or in a later year the
 * regular month's day, capped at the month's length.
 */
function fallsOn(o: Occasion, date: CalendarDate): boolean {
  const d = solar(date);
  if (o.calendar === 'solar') {
    const capped = Math.min(o.day, d.getSolarMonth().getDayCount());
    const match = d.getMonth() === o.month && d.getDay() === capped;
    if (o.year === undefined) return match;
    if (o.recurrence === 'once' || d.getYear() === o.year)
      return d.getYear() === o.year && d.getMonth() === o.month && d.getDay() === o.day;
    return d.getYear() > o.year && match;
  }
  const l = d.getLunarDay();
  const exact = l.getYear() === o.year && l.getMonth() === (o.leapMonth ? -o.month : o.month) && l.getDay() === o.day;
  if (o.recurrence === 'once' || (o.year !== undefined && l.getYear() === o.year)) return exact;
  if (o.year !== undefined && l.getYear() < o.year) return false;
  const capped = Math.min(o.day, l.getLunarMonth().getDayCount());
  return l.getMonth() === o.month && l.getDay() === capped;
}

describe('properties over the library', () => {
  test('every solar day 1995–2025 maps solar → lunar → solar to itself', () => {
    const wrong: string[] = [];
    let days = 0;
    for (let d = SolarDay.fromYmd(1995, 1, 1); d.getYear() <= 2025; d = d.next(1), days++) {
      const l = d.getLunarDay();
      const back = iso(LunarDay.fromYmd(l.getYear(), l.getMonth(), l.getDay()).getSolarDay());
      if (back !== iso(d)) wrong.push(`${iso(d)} → ${l.toString()} → ${back}`);
    }
    expect(wrong).toEqual([]);
    expect(days).toBe(11_323);
  });

  test('every lunar day of lunar years 1995–2024 (闰月 included) maps lunar → solar → lunar to itself', () => {
    const wrong: string[] = [];
    let days = 0;
    let leapDays = 0;
    for (let year = 1995; year <= 2024; year++) {
      for (const month of LunarYear.fromYear(year).getMonths()) {
        for (const l of month.getDays()) {
          const back = l.getSolarDay().getLunarDay();
          if (back.getYear() !== year || back.getMonth() !== month.getMonthWithLeap() || back.getDay() !== l.getDay()) {
            wrong.push(`${l.toString()} → ${back.toString()}`);
          }
          days++;
          if (month.isLeap()) leapDays++;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(days).toBeGreaterThan(30 * 354);
    expect(leapDays).toBeGreaterThan(0);
  });

  test('the next occurrence is never before the day asked, falls on the occasion, and none comes between', () => {
    fc.assert(
      fc.property(askedAbout, ([o, onOrAfter]) => {
        const next = nextOccurrence(o, onOrAfter);
        // Days walked from onOrAfter: up to the answer, or a lunar year and more when there is none.
        const until = next ?? addDays(onOrAfter, 400);
        const between: CalendarDate[] = [];
        for (let d = onOrAfter; d < until; d = addDays(d, 1)) if (fallsOn(o, d)) between.push(d);
        expect(between).toEqual([]);
        if (next === null) {
          expect(o.recurrence).toBe('once');
          return;
        }
        expect(next >= onOrAfter).toBe(true);
        expect(fallsOn(o, next)).toBe(true);
      }),
      // Each run walks up to a year of days through the library, which runs ~10× slower inside Jest's VM context than in Node.
      { numRuns: 150 },
    );
  });

  test('a dated yearly day adds one year of age on each occurrence, counted in its own calendar', () => {
    fc.assert(
      fc.property(dated, day(1950, 2100), (date, onOrAfter) => {
        const o = yearly(date);
        const next = nextOccurrence(o, onOrAfter)!;
        const age = ageOn(o, next)!;
        const ownYear = o.calendar === 'solar' ? solar(next).getYear() : solar(next).getLunarDay().getYear();
        expect(age).toBe(ownYear - o.year!);
        expect(ageOn(o, addDays(next, -1))).toBe(age === 0 ? null : age - 1);
      }),
      { numRuns: 300 },
    );
  });

  test('what the app shows in Chinese reads back as the same date', () => {
    fc.assert(
      fc.property(fc.oneof(undated, dated), (date) => {
        expect(parseOccasionDate(occasionDateText(zh, date))).toEqual({ ok: true, date });
      }),
      { numRuns: 500 },
    );
  });
});
