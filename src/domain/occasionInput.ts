/**
 * Birthdays and important days as people enter them: picked in a modal
 * (calendar, month, day, optional year), or written in a spreadsheet cell or a
 * message the way Chinese speakers write dates (农历八月十五, 腊月初八,
 * 闰四月初五, 1990-08-15 农历, 5月20日, 05-20). Both give an OccasionDate
 * checked by dateProblem, or the problem; the caller then checks it in context
 * (occasionProblem: birth year not in the future, once-only needs a year).
 */
import { domain } from '../config/domain.js';
import type { CalendarDate } from '../time.js';
import {
  dateProblem,
  datedDay,
  occasionProblem,
  type ImportantDay,
  type OccasionCalendar,
  type OccasionDate,
  type OccasionProblem,
} from './occasions.js';

export type ParsedOccasionDate = { ok: true; date: OccasionDate } | { ok: false; reason: OccasionProblem };

const parsed = (date: OccasionDate): ParsedOccasionDate => {
  const reason = dateProblem(date);
  return reason ? { ok: false, reason } : { ok: true, date };
};

const LUNAR_MARK = /农历|阴历|旧历|lunar/i;
const SOLAR_MARK = /公历|阳历|新历|西历|solar|gregorian/i;
const LEAP_WORD = /leap/i;
const ANY_MARK = /农历|阴历|旧历|公历|阳历|新历|西历|lunar|solar|gregorian/gi;

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
 * which calendar; without either, the calendar `chosen` beside it (the card's
 * 公历/农历 buttons), else Chinese numerals (八月十五, 正月初一, 腊月初八) mean
 * lunar and Arabic digits (1990-05-20, 5月20日, 05-20) mean solar. Text that
 * says one calendar while the other is chosen is refused, not guessed.
 */
export function parseOccasionDate(input: string, chosen?: OccasionCalendar): ParsedOccasionDate {
  const text = input.normalize('NFKC').replace(/[\s()（）[\]【】,，]/g, '');
  const lunarMarked = LUNAR_MARK.test(text);
  const solarMarked = SOLAR_MARK.test(text);
  if (lunarMarked && solarMarked) return { ok: false, reason: 'notADate' };
  // `leap` is how an English reader marks a 闰月 written in digits (lunar leap 4-5).
  const leapWord = LEAP_WORD.test(text);
  const fields = readFields(text.replace(ANY_MARK, '').replace(LEAP_WORD, ''));
  if (!fields) return { ok: false, reason: 'notADate' };
  const marked: OccasionCalendar | undefined = lunarMarked ? 'lunar' : solarMarked ? 'solar' : undefined;
  if (marked && chosen && marked !== chosen) return { ok: false, reason: 'calendarConflict' };
  const calendar: OccasionCalendar = marked ?? chosen ?? (fields.lunarByWriting ? 'lunar' : 'solar');
  return parsed({
    calendar,
    month: fields.month,
    day: fields.day,
    ...(fields.year !== undefined ? { year: fields.year } : {}),
    ...(fields.leapMonth || leapWord ? { leapMonth: true } : {}),
  });
}

/** Why a line of important days cannot be kept: the date's own problem, or the line's. */
export type ImportantDayProblem = OccasionProblem | 'noLabel' | 'labelTooLong' | 'tooMany';

export type ParsedImportantDays =
  { ok: true; days: ImportantDay[] } | { ok: false; line: number; problem: ImportantDayProblem };

const YEARLY_MARK = /^(?:每年|年年|yearly|every-?year|annually)$/i;
const ONCE_MARK = /^(?:一次|仅一次|只一次|单次|once|one-?off)$/i;
/** A line's words: spaces, and the colons and commas people put between a label and its date. */
const WORD_BREAK = /[\s:：,，、;；]+/;
/** Words a date may span (农历 1990年 八月十五). */
const LONGEST_DATE_WORDS = 3;

/** One line: the label, then the date, then 每年 or 一次 if said. */
function importantDay(line: string, today: CalendarDate): ImportantDay | ImportantDayProblem {
  const words = line.normalize('NFKC').trim().split(WORD_BREAK).filter(Boolean);
  const last = words.at(-1) ?? '';
  const said = YEARLY_MARK.test(last) ? 'yearly' : ONCE_MARK.test(last) ? 'once' : undefined;
  if (said) words.pop();
  let date: OccasionDate | undefined;
  let problem: OccasionProblem = 'notADate';
  let labelWords = words.length;
  // The longest run of words at the end that reads as a date; a label may hold digits of its own (3号楼乔迁).
  for (let n = Math.min(LONGEST_DATE_WORDS, words.length - 1); n >= 1 && !date; n--) {
    const reading = parseOccasionDate(words.slice(-n).join(' '));
    if (reading.ok) [date, labelWords] = [reading.date, words.length - n];
    else if (reading.reason !== 'notADate' && problem === 'notADate') problem = reading.reason;
  }
  const label = words.slice(0, labelWords).join(' ');
  if (!date) return words.length <= 1 && parseOccasionDate(last).ok ? 'noLabel' : problem;
  if ([...label].length > domain.occasions.labelMaxLength) return 'labelTooLong';
  // Unsaid: a day dated ahead happens once (儿子高考 2027-06-07); any other comes back every year (结婚纪念日 5-20).
  const ahead = date.year !== undefined && datedDay({ ...date, year: date.year }) > today;
  const recurrence = said ?? (ahead ? 'once' : 'yearly');
  const day = { ...date, recurrence, label } as const;
  return occasionProblem(day, { today, birth: false }) ?? day;
}

/**
 * The family section's important days, one per line as people write them:
 * 儿子高考 2027-06-07, 结婚纪念日 5-20 每年, 公司周年：农历三月初八. Blank
 * lines are skipped; the first line that cannot be kept is named, with why.
 */
export function parseImportantDays(text: string | undefined, today: CalendarDate): ParsedImportantDays {
  const lines = (text ?? '').split(/\r?\n/).map((line, i) => ({ line, number: i + 1 }));
  const filled = lines.filter(({ line }) => line.trim() !== '');
  const days: ImportantDay[] = [];
  for (const { line, number } of filled) {
    if (days.length === domain.occasions.maxImportantDays) return { ok: false, line: number, problem: 'tooMany' };
    const day = importantDay(line, today);
    if (typeof day === 'string') return { ok: false, line: number, problem: day };
    days.push(day);
  }
  return { ok: true, days };
}
