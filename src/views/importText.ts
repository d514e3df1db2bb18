import { importantDayProblemText } from '../i18n/occasionText.js';
import { CARD_FIELDS } from '../domain/cardFields.js';
import type { CardTarget, MappingRefusal, SaleTarget } from '../importing/headers.js';
import type { RowIssue } from '../importing/mapping.js';
import type { Messages } from '../i18n/index.js';
import type { ReadRefusal } from '../importing/readSheet.js';
import { userText } from '../services/exportRows.js';
import type { RowProblem } from '../services/importPlan.js';
import type { RefusedRow } from '../services/imports.js';

/**
 * The import's refusals and row issues in the user's language, as plain
 * text (it names the user's own column headers, so a caller putting it in
 * mrkdwn escapes it whole). Used by the preview and the refused-rows CSV.
 */

export type SheetKind = 'cards' | 'sales';

const BYTES_PER_MEGABYTE = 1024 * 1024;

/** A column's target, as the card modal and the export call it. */
export function targetLabel(t: Messages, sheet: SheetKind, target: CardTarget | SaleTarget | 'customer'): string {
  const { fields, money: m, exports: e, imports: i } = t;
  const own: Record<string, string> =
    sheet === 'cards'
      ? {
          ...(fields as Record<string, string>),
          owner: fields.ownerId,
          referrer: fields.referrerId,
          legacyReferrer: fields.referrer,
          notes: i.targets.notes,
        }
      : {
          customer: i.targets.customer,
          customerNumber: fields.number,
          customerName: e.columns.customerName,
          customerPhone: i.targets.customerPhone,
          date: m.date,
          product: m.product,
          model: m.model,
          style: m.style,
          quantity: m.quantity,
          amount: m.amount,
          profit: m.profit,
          dueDate: m.dueDate,
          paid: m.paidInFull,
          recordedBy: e.columns.recordedBy,
          creditOverriddenBy: e.columns.creditOverriddenBy,
        };
  return own[target] ?? target;
}

export function readRefusalText(t: Messages, refusal: ReadRefusal): string {
  const r = t.imports.refusals;
  switch (refusal.reason) {
    case 'tooLarge':
      return r.tooLarge(Math.round(refusal.maxBytes / BYTES_PER_MEGABYTE));
    case 'sheetNotFound':
      return r.sheetNotFound(refusal.sheetName, refusal.sheetNames.join(t.imports.listSeparator));
    case 'tooManyRows':
      return r.tooManyRows(refusal.maxRows);
    case 'tooManyColumns':
      return r.tooManyColumns(refusal.maxColumns);
    case 'tooManyCells':
      return r.tooManyCells(refusal.maxCells);
    case 'empty':
    case 'notSpreadsheet':
    case 'legacyExcel':
    case 'encrypted':
    case 'zipBomb':
    case 'unreadable':
      return r[refusal.reason];
  }
}

export function mappingRefusalText(t: Messages, sheet: SheetKind, refusal: MappingRefusal): string {
  if (refusal.reason === 'noHeader') return t.imports.refusals.noHeader;
  return t.imports.refusals.missingColumns(
    refusal.missing.map((name) => targetLabel(t, sheet, name)).join(t.imports.listSeparator),
  );
}

/** The choices of a card's select field, as its labels. */
function choicesOf(t: Messages, field: string): string {
  const spec = CARD_FIELDS.find((f) => f.key === field);
  const labels = (t.options as Record<string, Record<string, string> | undefined>)[field];
  return spec?.options && labels ? spec.options.map((o) => labels[o] ?? o).join(t.imports.listSeparator) : '';
}

/**
 * One issue of one row: the column as the file heads it, else as the card calls it.
 *
 * @internal Exported for the test that words every issue in both languages; the app uses it here.
 */
export function issueText(t: Messages, sheet: SheetKind, issue: RowIssue<CardTarget | SaleTarget>): string {
  const m = t.imports.issues;
  const field = issue.header ?? (issue.field ? targetLabel(t, sheet, issue.field) : '');
  switch (issue.code) {
    case 'noCustomer':
    case 'summaryRow':
    case 'repeatedHeader':
      return m[issue.code];
    case 'tooLong':
      return m.tooLong(field, issue.max ?? 0);
    case 'notesTooLong':
      return m.notesTooLong(field, issue.max ?? 0);
    case 'invalidChoice':
      return m.invalidChoice(field, issue.field ? choicesOf(t, issue.field) : '');
    case 'invalidOccasion':
      return m.invalidOccasion(field, importantDayProblemText(t, issue.problem ?? 'notADate'), issue.line);
    case 'required':
    case 'invalidPhone':
    case 'invalidMoney':
    case 'invalidDate':
    case 'dateInFuture':
    case 'amountFormat':
    case 'amountTooManyDecimals':
    case 'amountNotPositive':
    case 'amountTooLarge':
    case 'invalidQuantity':
    case 'dueBeforeSale':
    case 'invalidValue':
    case 'invalidBoolean':
    case 'phoneDigitsLost':
    case 'noYearAssumed':
      return m[issue.code](field);
  }
}

/**
 * A refused row as one line: its number in the file and every reason.
 *
 * @internal Exported for its own test; the app uses it here.
 */
export function refusedRowText(
  t: Messages,
  sheet: SheetKind,
  row: { rowNumber: number; issues: RowIssue<CardTarget | SaleTarget>[] },
): string {
  return t.imports.row(row.rowNumber, row.issues.map((issue) => issueText(t, sheet, issue)).join(' '));
}

/** Why a row is not imported, or what to note about it, whoever found it: the reading of the file or the plan. */
export function problemText(t: Messages, sheet: SheetKind, problem: RowProblem): string {
  if (isReadingIssue(problem)) return issueText(t, sheet, problem);
  const p = t.imports.problems;
  switch (problem.code) {
    case 'notYours':
      return problem.owner === undefined ? p.notYoursCard : p.notYoursOwner(problem.owner);
    case 'duplicateInFile':
      return p.duplicateInFile(problem.row);
    case 'customerNotFound':
      return p.customerNotFound;
    case 'customerAmbiguous':
      return p.customerAmbiguous(problem.numbers.join(t.imports.listSeparator));
    case 'ownerNotFound':
      return p.ownerNotFound(problem.owner);
    case 'ownerAmbiguous':
      return p.ownerAmbiguous(problem.owner);
    case 'referrerKeptAsText':
      return p.referrerKeptAsText(problem.referrer);
    case 'numberKeptAsNote':
      return p.numberKeptAsNote(problem.number);
    case 'ownerUnchanged':
      return p.ownerUnchanged(problem.owner);
    case 'numberNotFound':
      return p.numberNotFound(problem.number);
  }
}

/** What the plan found, as opposed to what reading the row found (RowIssue). */
type PlanProblem = Exclude<RowProblem, RowIssue<CardTarget | SaleTarget>>;
const PLAN_CODES: ReadonlySet<string> = new Set<PlanProblem['code']>([
  'notYours',
  'duplicateInFile',
  'customerNotFound',
  'customerAmbiguous',
  'ownerNotFound',
  'ownerAmbiguous',
  'referrerKeptAsText',
  'numberKeptAsNote',
  'ownerUnchanged',
  'numberNotFound',
]);
const isReadingIssue = (problem: RowProblem): problem is RowIssue<CardTarget | SaleTarget> =>
  !PLAN_CODES.has(problem.code);

/** A refused row's reasons, one after another. */
export const problemsText = (t: Messages, sheet: SheetKind, problems: RowProblem[]): string =>
  problems.map((p) => problemText(t, sheet, p)).join(' ');

/** The refused rows' file: the row number, the file's own columns, and why each was not imported. */
export function refusedHeader(t: Messages, headers: string[]): string[] {
  const { row, reason } = t.imports.refusedColumns;
  return [row, ...headers.map(userText), reason];
}

export function refusedRow(t: Messages, sheet: SheetKind, width: number, refused: RefusedRow): string[] {
  const cells = Array.from({ length: Math.max(width, refused.cells.length) }, (_, i) => userText(refused.cells[i]));
  return [String(refused.rowNumber), ...cells, userText(problemsText(t, sheet, refused.problems))];
}
