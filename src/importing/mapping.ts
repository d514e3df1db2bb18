import { z } from 'zod';
import { domain } from '../config/domain.js';
import { en } from '../i18n/en.js';
import { zh } from '../i18n/zh.js';
import type { SheetRow } from './rows.js';
import { isCalendarDate, type CalendarDate } from '../time.js';
import {
  BIRTHDAY_TEXT_MAX,
  cardInputSchema,
  IMPORTANT_DAYS_TEXT_MAX,
  type CardInput,
} from '../validation/cardInput.js';
import type { ImportantDayProblem } from '../domain/occasionInput.js';
import type { ValidationKey } from '../validation/fields.js';
import { saleInputSchema, type SaleFormInput } from '../validation/moneyInput.js';
import { maxLengthOf } from '../domain/cardFields.js';
import {
  findCardColumns,
  findSaleColumns,
  headerKey,
  type CardTarget,
  type ColumnMapping,
  type ColumnsFound,
  type MappingRefusal,
  type SaleTarget,
} from './headers.js';
import { earliestOnOrAfter, latestOnOrBefore, readDate, readYesNo, unguardCell } from '../domain/importValues.js';
import { fenToYuanInput, parseAmount } from '../domain/money.js';

/**
 * Rows of an imported sheet turned into what the card and sale forms take,
 * validated by the very schemas the modals use: a row is either valid or
 * refused with its row number and reasons (codes the i18n layer words), never
 * cut or guessed to fit. Owner and referrer stay as typed: matching them to
 * people and cards needs the database and happens later.
 */

/** The card and sale schemas' validation keys an imported row can meet. */
const SCHEMA_CODES = [
  'required',
  'tooLong',
  'invalidChoice',
  'invalidPhone',
  'invalidMoney',
  'invalidDate',
  'dateInFuture',
  'amountFormat',
  'amountTooManyDecimals',
  'amountNotPositive',
  'amountTooLarge',
  'invalidQuantity',
  'dueBeforeSale',
] as const satisfies readonly ValidationKey[];

/**
 * Why a row was refused, or (`noYear…`) what the preview should point out
 * about a row it takes. `invalidValue` stands for a schema rule added later
 * that this list does not know yet, so a row is never refused in silence.
 *
 * @internal Exported for the test that words every issue in both languages; the app uses it here.
 */
export type IssueCode =
  | (typeof SCHEMA_CODES)[number]
  | 'invalidValue'
  | 'invalidBoolean'
  | 'phoneDigitsLost'
  | 'invalidOccasion'
  | 'noYearAssumed'
  | 'notesTooLong'
  | 'noCustomer'
  | 'summaryRow'
  | 'repeatedHeader';

/**
 * `header`: the column as the file names it; `max`: the field's length limit, for `tooLong`;
 * `problem` (and for important days the `line` of the cell): why a birthday or important day cannot be kept.
 */
export interface RowIssue<T extends string> {
  code: IssueCode;
  field?: T;
  header?: string;
  max?: number;
  problem?: ImportantDayProblem;
  line?: number;
}

/** A cell kept as a labelled note: a column that maps to nothing, or what did not fit its field's form (a second phone number, a birthday without a year). */
export interface LabelledValue {
  header: string;
  value: string;
}

export type CardRow =
  | {
      ok: true;
      rowNumber: number;
      card: CardInput;
      /** The file's own number for the customer (ours, `KH-2026-0001`, or another system's). */
      number?: string;
      /** As typed: a name, an e-mail or a Slack user id, for the wiring to match. */
      owner?: string;
      /** The owner's Slack user id, from the column the export writes beside the owner's name. */
      ownerSlackId?: string;
      /** As typed: a card number or a name, for the wiring to match to a card. */
      referrer?: string;
      /** The referrer's card number, from the column the export writes beside the referrer's name. */
      referrerNumber?: string;
      legacyReferrer?: string;
      /** Cells with no field of their own, each also a labelled line of the card's notes: the preview lists them. */
      extras: LabelledValue[];
      warnings: RowIssue<CardTarget>[];
    }
  | { ok: false; rowNumber: number; cells: string[]; issues: RowIssue<CardTarget>[] };

interface SaleCustomer {
  number?: string;
  name?: string;
  phone?: string;
}

export type SaleRow =
  | {
      ok: true;
      rowNumber: number;
      customer: SaleCustomer;
      sale: Omit<SaleFormInput, 'overrideCredit'>;
      recordedBy?: string;
      creditOverriddenBy?: string;
      extras: LabelledValue[];
      warnings: RowIssue<SaleTarget>[];
    }
  | { ok: false; rowNumber: number; cells: string[]; issues: RowIssue<SaleTarget>[] };

export type MappedSheet<T extends string, R> = Omit<ColumnsFound<T>, 'dataRows'> & { rows: R[] };

/** A cell as its value: trimmed (ideographic spaces too), the export's formula guard undone. */
const clean = (cell: string | undefined) => unguardCell((cell ?? '').trim());

interface Cell {
  value: string;
  header: string;
  unit?: 'wan';
}

/** The row's non-blank cells by target, and those of the extra columns as labelled notes. */
function cellsOf<T extends string>(row: SheetRow, columns: ColumnMapping<T>[]) {
  const fields = new Map<T, Cell>();
  const extras: LabelledValue[] = [];
  for (const column of columns) {
    const value = clean(row.cells[column.column]);
    if (value === '') continue;
    if (column.role === 'field')
      fields.set(column.target, { value, header: column.header, ...(column.unit ? { unit: column.unit } : {}) });
    else if (column.role === 'extra') extras.push({ header: column.header, value });
  }
  return { fields, extras };
}

const SUMMARY_WORDS = new Set(['合计', '总计', '小计', '共计', 'total', 'sum', 'subtotal']);

/** A totals line under the data, or the header repeated (sheets pasted together): rows that are no customer and no sale. */
function notARecord<T extends string>(row: SheetRow, columns: ColumnMapping<T>[]): IssueCode | undefined {
  const first = row.cells.find((c) => c.trim() !== '');
  if (first !== undefined && SUMMARY_WORDS.has(headerKey(first))) return 'summaryRow';
  const mapped = columns.filter((c) => c.role === 'field');
  if (mapped.length > 0 && mapped.every((c) => headerKey(row.cells[c.column] ?? '') === headerKey(c.header)))
    return 'repeatedHeader';
  return undefined;
}

/** An amount in a column headed in 万元 is read as typed with 万 (`1.5` is ¥15,000). */
const withUnit = (cell: Cell) => (cell.unit === 'wan' && !cell.value.includes('万') ? `${cell.value}万` : cell.value);

/** Excel shows a long number it was given as a number this way, and the digits past the first few are gone. */
const SCIENTIFIC = /^\d+(?:\.\d+)?e\+?\d+$/i;
/** Between two phone numbers in one cell; none of them is part of a number as typed. */
const PHONE_SEPARATORS = /[、,;]/;

/** Zod's issues as row issues (the message is the schema's validation key, the path the form key), once per field and code. */
function schemaIssues<T extends string>(
  error: z.ZodError,
  fieldOf: (key: string) => T,
  headerOf: (field: T) => string | undefined,
  maxOf: (field: T) => number | undefined,
): RowIssue<T>[] {
  const seen = new Set<string>();
  const once = error.issues.filter((issue) => {
    const key = `${String(issue.path[0])}\u0000${issue.message}`;
    return !seen.has(key) && seen.add(key);
  });
  return once.map((issue) => {
    const field = fieldOf(String(issue.path[0]));
    const header = headerOf(field);
    // A birthday or important day the card schema cannot keep: `occasion:<problem>`, the line of important days.
    if (issue.message.startsWith('occasion:')) {
      const line = (issue as { params?: { line?: number } }).params?.line;
      return {
        code: 'invalidOccasion' as const,
        field,
        ...(header ? { header } : {}),
        problem: issue.message.slice('occasion:'.length) as ImportantDayProblem,
        ...(line ? { line } : {}),
      };
    }
    const max = issue.message === 'tooLong' ? maxOf(field) : undefined;
    const code = (SCHEMA_CODES as readonly string[]).includes(issue.message)
      ? (issue.message as IssueCode)
      : 'invalidValue';
    return { code, field, ...(header ? { header } : {}), ...(max ? { max } : {}) };
  });
}

// ---------------------------------------------------------------- cards

type SelectField = 'creditRating' | 'stage' | 'style' | 'loyalty';
const SELECT_FIELDS: readonly SelectField[] = ['creditRating', 'stage', 'style', 'loyalty'];
const choiceKey = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** Each choice by its label in either language (as the export writes it) and by its own key. */
const CHOICES = new Map(
  SELECT_FIELDS.map((field) => {
    const byLabel = new Map<string, string>();
    for (const t of [zh, en]) {
      for (const [value, label] of Object.entries(t.options[field] as Record<string, string>)) {
        byLabel.set(choiceKey(label), value);
        byLabel.set(choiceKey(value), value);
      }
    }
    return [field, byLabel];
  }),
);

/** Import-only values, kept as typed. */
const RAW_CARD_TARGETS = ['number', 'owner', 'ownerSlackId', 'referrer', 'referrerNumber', 'legacyReferrer'] as const;
type RawCardTarget = (typeof RAW_CARD_TARGETS)[number];
const isRawCardTarget = (t: CardTarget): t is RawCardTarget => (RAW_CARD_TARGETS as readonly string[]).includes(t);

/** A phone cell as the schema takes it: full-width folded; a second number kept as a note; Excel's `1.38E+10` refused (its digits are lost). */
function readPhone(
  cell: Cell,
  form: Record<string, unknown>,
  extras: LabelledValue[],
  issues: RowIssue<CardTarget>[],
): void {
  const text = cell.value.normalize('NFKC').trim();
  if (SCIENTIFIC.test(text)) {
    issues.push({ code: 'phoneDigitsLost', field: 'phone', header: cell.header });
    return;
  }
  const [first, ...others] = text
    .split(PHONE_SEPARATORS)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  // A cell of separators only reaches the schema as written, which refuses it rather than lose it.
  form.phone = first ?? text;
  if (others.length > 0) extras.push({ header: cell.header, value: others.join('、') });
}

/**
 * A birthday as the card schema reads it (parseOccasionDate: 1990-05-20,
 * 5月20日, 农历八月十五, 腊月初八…). A date cell of a workbook, or an Excel
 * serial in a text file, is a solar date with its year, written as such;
 * anything else goes as written, and the schema refuses what it cannot read.
 */
function readBirthday(cell: Cell, form: Record<string, unknown>): void {
  const reading = readDate(cell.value);
  form.birthday = reading.ok ? reading.date : cell.value;
}

/**
 * The credit limit in yuan, as the card schema takes it. The amount parser
 * reads it as people type it (`¥50,000`, `5万`); 0 is a real limit (no
 * credit), which that parser refuses; whatever else it refuses goes to the
 * schema as written, whose own yuan parser has the last word.
 */
function creditLimitYuan(cell: Cell): string {
  const parsed = parseAmount(withUnit(cell));
  if (parsed.ok) return fenToYuanInput(parsed.fen);
  return parsed.reason === 'notPositive' ? '0' : cell.value;
}

/** A cell kept in the notes, on a line of its own: `<its column>: <value>`. */
export const labelledLine = ({ header, value }: LabelledValue) => `${header}: ${value}`;

/**
 * The card's notes: the notes column as typed, then every cell that has no
 * field of its own as a labelled line, so nothing in the file is lost. Past
 * the field's limit the row is refused (saying so), never cut.
 */
function composeNotes(
  notes: Cell | undefined,
  extras: LabelledValue[],
  form: Record<string, unknown>,
  issues: RowIssue<CardTarget>[],
): void {
  const lines = [...(notes ? [notes.value] : []), ...extras.map(labelledLine)];
  if (lines.length === 0) return;
  const text = lines.join('\n');
  const max = maxLengthOf('notes');
  if (extras.length > 0 && text.length > max) {
    issues.push({ code: 'notesTooLong', field: 'notes', max, ...(notes ? { header: notes.header } : {}) });
    return;
  }
  form.notes = text;
}

function cardRow(
  row: SheetRow,
  columns: ColumnMapping<CardTarget>[],
  schema: ReturnType<typeof cardInputSchema>,
): CardRow {
  const skip = notARecord(row, columns);
  if (skip) return { ok: false, rowNumber: row.rowNumber, cells: row.cells, issues: [{ code: skip }] };
  const { fields, extras } = cellsOf(row, columns);
  const form: Record<string, unknown> = {};
  const raw: Partial<Record<RawCardTarget, string>> = {};
  const issues: RowIssue<CardTarget>[] = [];
  const warnings: RowIssue<CardTarget>[] = [];
  for (const [target, cell] of fields) {
    if (isRawCardTarget(target)) raw[target] = cell.value;
    else if (target === 'notes') continue;
    else if (target === 'phone') readPhone(cell, form, extras, issues);
    else if (target === 'birthday') readBirthday(cell, form);
    else if (target === 'creditLimitFen') form.creditLimitFen = creditLimitYuan(cell);
    else if (target === 'ambassador') {
      const yes = readYesNo(cell.value);
      if (yes === undefined) issues.push({ code: 'invalidBoolean', field: 'ambassador', header: cell.header });
      else form.ambassador = yes;
    } else if ((SELECT_FIELDS as readonly string[]).includes(target)) {
      form[target] = CHOICES.get(target as SelectField)!.get(choiceKey(cell.value)) ?? cell.value;
    } else form[target] = cell.value;
  }
  composeNotes(fields.get('notes'), extras, form, issues);
  const parsed = schema.safeParse(form);
  if (!parsed.success) {
    const headerOf = (field: CardTarget) => fields.get(field)?.header;
    issues.push(
      ...schemaIssues(
        occasionsToo(schema, form, parsed.error),
        (key) => key,
        headerOf,
        (field) => MAX_LENGTH[field] ?? maxLengthOf(field),
      ),
    );
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, rowNumber: row.rowNumber, cells: row.cells, issues };
  return { ok: true, rowNumber: row.rowNumber, card: parsed.data, ...raw, extras, warnings };
}

/**
 * The schema reads the birthday and important days only once every other
 * field passed (a zod transform); a row refused for another reason is read
 * again for them alone, by the same schema, so it is refused with every
 * reason it has.
 */
function occasionsToo(
  schema: ReturnType<typeof cardInputSchema>,
  form: Record<string, unknown>,
  error: z.ZodError,
): z.ZodError {
  const occasions = Object.fromEntries(
    Object.entries(form).filter(([key]) => ['birthday', 'birthdayCalendar', 'importantDays'].includes(key)),
  );
  const read = Object.keys(occasions).length > 0 ? schema.safeParse({ name: '-', ...occasions }) : undefined;
  if (!read || read.success) return error;
  const known = new Set(error.issues.map((i) => String(i.path[0])));
  const more = read.error.issues.filter((i) => !known.has(String(i.path[0])));
  return more.length === 0 ? error : new z.ZodError([...error.issues, ...more]);
}

/** The text a birthday or important days cell may hold (the card keeps dates, not text: they have no length of their own). */
const MAX_LENGTH: Partial<Record<CardTarget, number>> = {
  birthday: BIRTHDAY_TEXT_MAX,
  importantDays: IMPORTANT_DAYS_TEXT_MAX,
};

/**
 * A customer sheet: its header found, each data row a card input or a
 * refusal; `today` is the team's local date (a birth cannot be later).
 */
export function mapCardRows(rows: SheetRow[], today: CalendarDate): MappedSheet<CardTarget, CardRow> | MappingRefusal {
  const found = findCardColumns(rows);
  if (!found.ok) return found;
  const { dataRows, ...mapping } = found;
  const schema = cardInputSchema(today);
  return { ...mapping, rows: dataRows.map((row) => cardRow(row, found.columns, schema)) };
}

// ---------------------------------------------------------------- sales

/** The sale schema's keys that differ from the sheet's targets. */
const SALE_FORM_TARGET: Record<string, SaleTarget> = { amountFen: 'amount', profitFen: 'profit', paidInFull: 'paid' };
const SALE_MAX_LENGTH: Partial<Record<SaleTarget, number>> = domain.money.maxLength;

/**
 * A sale date as the schema takes it. A date without a year is placed on the
 * nearest such day that fits (`placeNoYear`), and the preview is told.
 */
function saleDate(
  cell: Cell | undefined,
  field: SaleTarget,
  placeNoYear: (month: number, day: number) => CalendarDate | undefined,
  warnings: RowIssue<SaleTarget>[],
) {
  if (!cell) return undefined;
  const reading = readDate(cell.value);
  if (reading.ok) return reading.date;
  if (reading.reason === 'noYear') {
    const placed = placeNoYear(reading.month!, reading.day!);
    if (placed) {
      warnings.push({ code: 'noYearAssumed', field, header: cell.header });
      return placed;
    }
  }
  return cell.value;
}

/** `0`, `0.00`, `¥0`, `0万`: an amount of nothing, which the amount parser refuses as not positive. */
function isZeroAmount(text: string): boolean {
  const parsed = parseAmount(text);
  return !parsed.ok && parsed.reason === 'notPositive';
}

/** Many sales books record only the amount: a sale without a quantity is one of it. */
function quantity(cell: Cell | undefined): string {
  return cell ? cell.value.normalize('NFKC').replace(/[,\s]/g, '') : '1';
}

function saleRow(row: SheetRow, columns: ColumnMapping<SaleTarget>[], today: CalendarDate): SaleRow {
  const skip = notARecord(row, columns);
  if (skip) return { ok: false, rowNumber: row.rowNumber, cells: row.cells, issues: [{ code: skip }] };
  const { fields, extras } = cellsOf(row, columns);
  const value = (target: SaleTarget) => fields.get(target)?.value;
  const issues: RowIssue<SaleTarget>[] = [];
  const warnings: RowIssue<SaleTarget>[] = [];
  const customer: SaleCustomer = {
    ...(value('customerNumber') ? { number: value('customerNumber') } : {}),
    ...(value('customerName') ? { name: value('customerName') } : {}),
    ...(value('customerPhone') ? { phone: value('customerPhone')!.normalize('NFKC') } : {}),
  };
  if (Object.keys(customer).length === 0) issues.push({ code: 'noCustomer' });
  if (customer.phone && SCIENTIFIC.test(customer.phone))
    issues.push({ code: 'phoneDigitsLost', field: 'customerPhone', header: fields.get('customerPhone')!.header });
  const date = saleDate(fields.get('date'), 'date', (m, d) => latestOnOrBefore(today, m, d), warnings);
  const from = date && isCalendarDate(date) && date <= today ? date : today;
  const paidCell = fields.get('paid');
  const paid = paidCell ? readYesNo(paidCell.value, { paid: true }) : false;
  if (paid === undefined)
    issues.push({ code: 'invalidBoolean', field: 'paid', ...(paidCell ? { header: paidCell.header } : {}) });
  const amount = fields.get('amount');
  const profit = fields.get('profit');
  // A sale at cost brought no profit: 0 is a real figure in a sales history (it ranks the customer by it), though the
  // sale form asks for a positive one. A loss is still refused.
  const noProfit = profit !== undefined && isZeroAmount(withUnit(profit));
  const parsed = saleInputSchema(today).safeParse({
    date,
    product: value('product'),
    model: value('model'),
    style: value('style'),
    quantity: quantity(fields.get('quantity')),
    amountFen: amount && withUnit(amount),
    profitFen: profit && !noProfit ? withUnit(profit) : undefined,
    dueDate: saleDate(fields.get('dueDate'), 'dueDate', (m, d) => earliestOnOrAfter(from, m, d), warnings),
    paidInFull: paid === true,
    overrideCredit: false,
  });
  if (!parsed.success) {
    const fieldOf = (key: string) => SALE_FORM_TARGET[key] ?? (key as SaleTarget);
    issues.push(
      ...schemaIssues(
        parsed.error,
        fieldOf,
        (field) => fields.get(field)?.header,
        (field) => SALE_MAX_LENGTH[field],
      ),
    );
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, rowNumber: row.rowNumber, cells: row.cells, issues };
  const { overrideCredit: _notImported, ...sale } = parsed.data;
  if (noProfit) sale.profitFen = 0;
  return {
    ok: true,
    rowNumber: row.rowNumber,
    customer,
    sale,
    ...person('recordedBy', value('recordedBySlackId') ?? value('recordedBy')),
    ...person('creditOverriddenBy', value('creditOverriddenBySlackId') ?? value('creditOverriddenBy')),
    extras,
    warnings,
  };
}

/** A person a sale names: the Slack ID the export writes beside the name, else the name as typed. */
const person = <K extends string>(key: K, raw: string | undefined) =>
  (raw ? { [key]: raw } : {}) as Partial<Record<K, string>>;

/** A sales-history sheet; `today` is the team's local date (a sale cannot be later, a date without a year is placed before it). */
export function mapSaleRows(rows: SheetRow[], today: CalendarDate): MappedSheet<SaleTarget, SaleRow> | MappingRefusal {
  const found = findSaleColumns(rows);
  if (!found.ok) return found;
  const { dataRows, ...mapping } = found;
  return { ...mapping, rows: dataRows.map((row) => saleRow(row, found.columns, today)) };
}
