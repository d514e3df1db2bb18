import type { CellValue } from 'exceljs';
import { excelSerialText, utcDateTimeText } from '../domain/importValues.js';
import { Refused } from './rows.js';

/** Quoted text, backslash escapes and `[...]` sections (colours, locales, conditions) of a number format: none of them format the number. */
const FORMAT_DECORATION = /"[^"]*"|\\.|\[[^\]]*\]/g;

function formatCode(numFmt: string | undefined): string {
  return (numFmt ?? '').replace(FORMAT_DECORATION, '');
}

/** A number format that shows a date or time (`yyyy-mm-dd`, `m/d/yy`, `yyyy"年"m"月"d"日"`, `h:mm`). */
function isDateFormat(numFmt: string | undefined): boolean {
  const code = formatCode(numFmt);
  return !/^general$/i.test(code) && /[ymdhs]/i.test(code);
}

/** A number as Excel shows it in General format: integers digit for digit (a phone number stays 13800138000), fractions to 15 significant digits. */
function plainNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  return String(Number(value.toPrecision(15)));
}

function numberText(value: number, numFmt: string | undefined, date1904: boolean): string {
  if (isDateFormat(numFmt)) return excelSerialText(value, date1904) ?? plainNumber(value);
  if (formatCode(numFmt).includes('%')) return `${plainNumber(Number((value * 100).toPrecision(15)))}%`;
  return plainNumber(value);
}

/**
 * A cell of ExcelJS's streaming reader as the text the user sees in it.
 * Formulas are never evaluated: their cached result is what the file holds.
 * Dates are `YYYY-MM-DD` whatever their display format; other number
 * formats (grouping, currency) are left out, as the importer reads plain
 * numbers anyway.
 */
export function cellText(value: CellValue, numFmt: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value, numFmt, date1904);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return utcDateTimeText(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result, numFmt, date1904);
  if ('hyperlink' in value) return cellText(value.text, numFmt, date1904);
  if ('error' in value) return value.error;
  // A shape ExcelJS gives only for a broken file (a shared string without the shared strings): never read as blank.
  throw new Refused({ reason: 'unreadable' });
}
