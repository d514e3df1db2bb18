/**
 * Birthdays and important days as people enter them: picked in a modal
 * (calendar, month, day, optional year), or written in a spreadsheet cell or a
 * message the way Chinese speakers write dates (农历八月十五, 腊月初八,
 * 闰四月初五, 1990-08-15 农历, 5月20日, 05-20). Both give an OccasionDate
 * checked by dateProblem, or the problem; the caller then checks it in context
 * (occasionProblem: birth year not in the future, once-only needs a year).
 */
import { dateProblem, type OccasionCalendar, type OccasionDate, type OccasionProblem } from './occasions.js';

export type ParsedOccasionDate = { ok: true; date: OccasionDate } | { ok: false; reason: OccasionProblem };

const parsed = (date: OccasionDate): ParsedOccasionDate => {
  const reason = dateProblem(date);
  return reason ? { ok: false, reason } : { ok: true, date };
};

const YEAR_TEXT = /^\d{4}$/;
const SMALL_NUMBER = /^\d{1,2}$/;

/** The modal's fields: calendar and month/day from selects (strings), the year as typed. */
export function occasionDateFromPicked(fields: {
  calendar?: string;
  month?: string;
  day?: string;
  year?: string;
  leapMonth?: boolean;
}): ParsedOccasionDate {
  const calendar: OccasionCalendar = fields.calendar === 'lunar' ? 'lunar' : 'solar';
  const month = fields.month?.trim() ?? '';
  const day = fields.day?.trim() ?? '';
  if (!month || !day) return { ok: false, reason: 'incomplete' };
  if (!SMALL_NUMBER.test(month) || !SMALL_NUMBER.test(day)) return { ok: false, reason: 'notADate' };
  const yearText = fields.year?.normalize('NFKC').trim().replace(/年$/, '') ?? '';
  if (yearText && !YEAR_TEXT.test(yearText)) return { ok: false, reason: 'invalidYear' };
  return parsed({
    calendar,
    month: Number(month),
    day: Number(day),
    ...(yearText ? { year: Number(yearText) } : {}),
    ...(fields.leapMonth ? { leapMonth: true } : {}),
  });
}

const LUNAR_MARK = /农历|阴历|旧历/;
const SOLAR_MARK = /公历|阳历|新历|西历/;
const ANY_MARK = /农历|阴历|旧历|公历|阳历|新历|西历/g;

const DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const NAMED_MONTHS: Record<string, number> = { 正: 1, 冬: 11, 腊: 12 };

/** 一九九〇 → 1990, digit by digit, as years are read out. */
function chineseYear(text: string): number {
  return Number([...text].map((c) => DIGITS[c] ?? c).join(''));
}

/**
 * A month or day number in Arabic or Chinese numerals: 8, 十五, 二十, 廿三,
 * 三十, 卅, 初八, 十三 (range is checked later, so 十三月 reads as 13).
 */
function chineseNumber(text: string): number | undefined {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const plain = text.replace(/^初/, '').replace(/^廿/, '二十').replace(/^卅/, '三十');
  const match = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(plain);
  if (!match || plain === '') return undefined;
  const [, tens, ten, ones] = match;
  if (!ten) return tens && !ones ? DIGITS[tens] : undefined;
  return (tens ? DIGITS[tens]! : 1) * 10 + (ones ? DIGITS[ones]! : 0);
}

const NUMERIC_FULL = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$/;
const NUMERIC_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const NUMERIC_MONTH_DAY = /^(\d{1,2})[-/月](\d{1,2})[日号]?$/;
const CHINESE_NUMERALS = '〇零一二两三四五六七八九十廿卅';
const WRITTEN = new RegExp(
  `^(?:(\\d{4}|[${CHINESE_NUMERALS}]{4})年)?(闰)?([正冬腊]|[${CHINESE_NUMERALS}]{1,3}|\\d{1,2})月(初?[${CHINESE_NUMERALS}]{1,3}|\\d{1,2})[日号]?$`,
);

interface Fields {
  year?: number;
  month: number;
  day: number;
  leapMonth: boolean;
  /** Chinese numerals or 闰: how lunar dates are written when nothing says which calendar. */
  lunarByWriting: boolean;
}

function readFields(text: string): Fields | undefined {
  const numeric = NUMERIC_FULL.exec(text) ?? NUMERIC_COMPACT.exec(text);
  if (numeric)
    return {
      year: Number(numeric[1]),
      month: Number(numeric[2]),
      day: Number(numeric[3]),
      leapMonth: false,
      lunarByWriting: false,
    };
  const monthDay = NUMERIC_MONTH_DAY.exec(text);
  if (monthDay)
    return { month: Number(monthDay[1]), day: Number(monthDay[2]), leapMonth: false, lunarByWriting: false };
  const written = WRITTEN.exec(text);
  if (!written) return undefined;
  const [, yearText, leap, monthText = '', dayText = ''] = written;
  const month = NAMED_MONTHS[monthText] ?? chineseNumber(monthText);
  const day = chineseNumber(dayText);
  if (month === undefined || day === undefined) return undefined;
  return {
    ...(yearText ? { year: chineseYear(yearText) } : {}),
    month,
    day,
    leapMonth: Boolean(leap),
    lunarByWriting: Boolean(leap) || !/^\d+$/.test(monthText) || !/^\d+$/.test(dayText),
  };
}

/**
 * A date as written in text. 农历/阴历/旧历 or 公历/阳历/新历 anywhere says
 * which calendar; without either, Chinese numerals (八月十五, 正月初一, 腊月初八)
 * mean lunar and Arabic digits (1990-05-20, 5月20日, 05-20) mean solar.
 */
export function parseOccasionDate(input: string): ParsedOccasionDate {
  const text = input.normalize('NFKC').replace(/[\s()（）[\]【】,，]/g, '');
  const lunarMarked = LUNAR_MARK.test(text);
  const solarMarked = SOLAR_MARK.test(text);
  if (lunarMarked && solarMarked) return { ok: false, reason: 'notADate' };
  const fields = readFields(text.replace(ANY_MARK, ''));
  if (!fields) return { ok: false, reason: 'notADate' };
  const calendar: OccasionCalendar = lunarMarked || (!solarMarked && fields.lunarByWriting) ? 'lunar' : 'solar';
  return parsed({
    calendar,
    month: fields.month,
    day: fields.day,
    ...(fields.year !== undefined ? { year: fields.year } : {}),
    ...(fields.leapMonth ? { leapMonth: true } : {}),
  });
}
