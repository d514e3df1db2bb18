import { isCalendarDate, type CalendarDate } from '../time.js';

/**
 * Cell values of an imported sheet as the card and sale schemas take them:
 * dates written the many ways offices write them, yes/no words, and the
 * export's formula guard undone. Nothing here guesses silently: what it
 * cannot read it says so, and the caller reports the row.
 */

const DAY_MS = 86_400_000;
/** Day 0 of Excel's 1900 date system is 1899-12-30 once past its phantom 1900-02-29 (serial 60). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** Excel's last day, 9999-12-31. */
const MAX_SERIAL = 2_958_465;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An Excel serial as the user sees it: `YYYY-MM-DD`, with ` HH:mm` (or
 * `HH:mm:ss`) when it has a time of day, only the time when it is below one
 * day; undefined when no such day exists.
 */
export function excelSerialText(serial: number, date1904 = false): string | undefined {
  if (!Number.isFinite(serial) || serial < 0 || serial > MAX_SERIAL) return undefined;
  const days = Math.floor(serial);
  const seconds = Math.round((serial - days) * 86_400);
  const time = seconds === 0 ? '' : timeText(seconds);
  if (days === 0 && !date1904) return time || undefined;
  if (!date1904 && days === 60) return undefined;
  // Serials 1..59 count from 1899-12-31: Excel's 1900 date system believes in a 29 February 1900.
  const epoch = date1904 ? EPOCH_1904 : days < 60 ? EPOCH_1900 + DAY_MS : EPOCH_1900;
  const date = new Date(epoch + days * DAY_MS + Math.min(seconds, 86_399) * 1000);
  return utcDateTimeText(date);
}

function timeText(seconds: number): string {
  const s = Math.min(seconds, 86_399);
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return hms[2] === 0 ? `${pad(hms[0]!)}:${pad(hms[1]!)}` : hms.map(pad).join(':');
}

/**
 * A Date whose UTC fields hold the wall-clock value (as ExcelJS makes them),
 * written as the serial would be; a time of day alone is what ExcelJS makes
 * of a time cell: that time on 1899-12-30, Excel's day 0.
 */
export function utcDateTimeText(date: Date): string {
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const seconds = date.getUTCHours() * 3600 + date.getUTCMinutes() * 60 + date.getUTCSeconds();
  if (date.getTime() < EPOCH_1900 + DAY_MS && seconds > 0) return timeText(seconds);
  return seconds === 0 ? day : `${day} ${timeText(seconds)}`;
}

export type DateReading =
  { ok: true; date: CalendarDate } | { ok: false; reason: 'invalidDate' | 'noYear'; month?: number; day?: number };

const YEAR_MONTH_DAY = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const MONTH_DAY = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
/**
 * A serial in a date column of a text file (a CSV saved from a sheet whose
 * column had no date format). Only five digits, 1927 to 2173: a four-digit
 * number is more likely a year than a day of 1905.
 */
const SERIAL = /^\d{5}(?:\.\d+)?$/;

function calendarDate(year: number, month: number, day: number): CalendarDate | undefined {
  const text = `${year}-${pad(month)}-${pad(day)}`;
  return isCalendarDate(text) ? text : undefined;
}

/**
 * A date as people type it: `2026-01-05`, `2026/1/5`, `2026.1.5`,
 * `2026年1月5日`, `20260105`, an Excel serial, any of these followed by a
 * time (dropped). `1月5日` has no year: `noYear`, with the month and day, for
 * the caller to place.
 */
export function readDate(raw: string): DateReading {
  const text = raw.normalize('NFKC').trim();
  const full = YEAR_MONTH_DAY.exec(text) ?? COMPACT.exec(text);
  if (full) {
    const date = calendarDate(Number(full[1]), Number(full[2]), Number(full[3]));
    return date ? { ok: true, date } : { ok: false, reason: 'invalidDate' };
  }
  const monthDay = MONTH_DAY.exec(text);
  if (monthDay) {
    const month = Number(monthDay[1]);
    const day = Number(monthDay[2]);
    // 2000 is a leap year, so 2月29日 is a day that exists.
    return calendarDate(2000, month, day)
      ? { ok: false, reason: 'noYear', month, day }
      : { ok: false, reason: 'invalidDate' };
  }
  if (SERIAL.test(text)) {
    const date = excelSerialText(Number(text))?.slice(0, 10);
    if (date && isCalendarDate(date)) return { ok: true, date };
  }
  return { ok: false, reason: 'invalidDate' };
}

/** Years within which any month and day recur: 29 February skips 8 years around 1900 and 2100. */
const RECURS_WITHIN_YEARS = 8;

/** The latest day with this month and day on or before `today` (a sale from a sheet that left the year out). */
export function latestOnOrBefore(today: CalendarDate, month: number, day: number): CalendarDate | undefined {
  const year = Number(today.slice(0, 4));
  for (let y = year; y >= year - RECURS_WITHIN_YEARS; y -= 1) {
    const date = calendarDate(y, month, day);
    if (date && date <= today) return date;
  }
  return undefined;
}

/** The earliest day with this month and day on or after `from` (a due date after its sale). */
export function earliestOnOrAfter(from: CalendarDate, month: number, day: number): CalendarDate | undefined {
  const year = Number(from.slice(0, 4));
  for (let y = year; y <= year + RECURS_WITHIN_YEARS; y += 1) {
    const date = calendarDate(y, month, day);
    if (date && date >= from) return date;
  }
  return undefined;
}

const YES = new Set([
  '是',
  '对',
  '有',
  'y',
  'yes',
  'true',
  't',
  '1',
  '√',
  '✓',
  '✔',
  '☑',
  '是宣传大使',
  'is an ambassador',
]);
const NO = new Set(['否', '不是', '无', '没有', 'n', 'no', 'false', 'f', '0', '×', '✗', '✘', '☐']);
/** How a paid column says it, besides yes and no. */
const PAID = new Set(['已付', '已付款', '已付清', '付清', '已结清', '结清', '已收', '已收款', 'paid']);
const UNPAID = new Set(['未付', '未付款', '未付清', '未结清', '欠款', '赊账', '未收', '未收款', 'unpaid', 'open']);

/** 是/否, yes/no, Y/N, ✓/✗ and their kin; blank is no; undefined when the text is neither. */
export function readYesNo(raw: string, options: { paid?: boolean } = {}): boolean | undefined {
  const word = raw.normalize('NFKC').trim().toLowerCase();
  if (word === '' || NO.has(word) || (options.paid && UNPAID.has(word))) return false;
  if (YES.has(word) || (options.paid && PAID.has(word))) return true;
  return undefined;
}

/** Starts the export guards with a `'`: a formula start after any run of apostrophes (see `userText`). */
const GUARDED = /^'+[=+\-@\t\r]/;

/**
 * A cell as it was before `/card export` guarded it: the export puts a `'`
 * before text a spreadsheet would run, and before text that already looked
 * guarded, so taking one `'` off such a cell gives back exactly what was
 * typed. Any other leading `'` is the user's own and stays.
 */
export function unguardCell(cell: string): string {
  return GUARDED.test(cell) ? cell.slice(1) : cell;
}
