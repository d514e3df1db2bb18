import { CARD_FIELDS, type FieldSpec } from '../domain/cardFields.js';
import { fenToYuan } from '../domain/money.js';
import { segmentOf } from '../domain/segments.js';
import type { Messages } from '../i18n/index.js';
import { importantDaysInputText, occasionInputText } from '../i18n/occasionText.js';
import type { ImportantDay, OccasionDate } from '../domain/occasions.js';
import type { CustomerRecord } from '../models/customer.js';
import type { SaleRecord } from '../models/sale.js';
import type { VisitRecord } from '../models/visit.js';
import { formatInstant } from '../time.js';

/** One CSV line as strings; csv-stringify quotes whatever needs it. */
export type CsvRow = string[];

/**
 * Starts a spreadsheet reads as a formula (OWASP "CSV injection"), including tab and CR it may strip first; and the
 * same behind apostrophes, so text typed as `'=x` is guarded too and `/card import` can take exactly one `'` off any
 * guarded cell to get back what was typed.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * Text not written by the app (typed by users, or a name from Slack) as a cell that a spreadsheet shows and never
 * evaluates.
 *
 * @internal Exported for the import's test that it undoes exactly this guard; the app uses it here.
 */
export function userText(value: string | undefined): string {
  if (value === undefined) return '';
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * What the rows need besides the records: who people are (their Slack
 * display names, by id), the referrers the batch names (name and card
 * number, by id), and the team's time zone for times.
 */
export interface ExportContext {
  names: ReadonlyMap<string, string>;
  referrers: ReadonlyMap<string, Pick<CustomerRecord, 'name' | 'number'>>;
  timezone: string;
}

const optionLabel = (labels: Record<string, string>, value: string | undefined) =>
  value === undefined ? '' : (labels[value] ?? userText(value));
const optional = (value: number | undefined) => (value === undefined ? '' : String(value));
const money = (fen: number | undefined) => (fen === undefined ? '' : fenToYuan(fen));
/** A time as the app shows it: the team's time zone, to the minute. */
const time = (at: Date | undefined, { timezone }: ExportContext) => (at ? formatInstant(at, timezone) : '');
/** A person as people know them (their name in Slack, else the id), then the id in its own cell for re-import. */
const person = (id: string | undefined, { names }: ExportContext): [string, string] =>
  id ? [userText(names.get(id) ?? id), userText(id)] : ['', ''];

/** The columns one card field takes: a person or a referrer also gets the id a re-import needs. */
function fieldColumns(t: Messages, spec: FieldSpec): string[] {
  const label = (t.fields as Record<string, string>)[spec.key]!;
  if (spec.kind === 'user') return [label, t.exports.columns.slackId(label)];
  if (spec.kind === 'card') return [label, t.exports.columns.referrerNumber];
  return [label];
}

export function cardHeader(t: Messages): CsvRow {
  const { fields, exports: e } = t;
  return [
    fields.number,
    ...CARD_FIELDS.flatMap((f) => fieldColumns(t, f)),
    fields.referrer,
    fields.segment,
    fields.tier,
    fields.abc,
    e.columns.createdAt,
    e.columns.updatedAt,
  ];
}

function fieldCells(t: Messages, spec: FieldSpec, card: CustomerRecord, context: ExportContext): string[] {
  const value = (card as unknown as Record<string, unknown>)[spec.key];
  switch (spec.kind) {
    case 'select':
      return [
        optionLabel((t.options as Record<string, Record<string, string>>)[spec.key]!, value as string | undefined),
      ];
    case 'money':
      return [money(value as number | undefined)];
    case 'checkbox':
      return [value ? t.exports.yes : ''];
    case 'user':
      return person(value as string | undefined, context);
    case 'card': {
      const referrer = typeof value === 'string' ? context.referrers.get(value) : undefined;
      return referrer ? [userText(referrer.name), referrer.number] : ['', ''];
    }
    // As the card modal takes them, so an export imports back: 1990-05-20, 农历1990年腊月初八, one day per line.
    case 'occasion':
      return [value ? occasionInputText(t, value as OccasionDate) : ''];
    case 'occasions':
      return [userText(importantDaysInputText(t, value as ImportantDay[] | undefined))];
    case 'text':
    case 'multiline':
      return [userText(value as string | undefined)];
  }
}

export function cardRow(t: Messages, card: CustomerRecord, context: ExportContext): CsvRow {
  return [
    card.number,
    ...CARD_FIELDS.flatMap((spec) => fieldCells(t, spec, card, context)),
    userText(card.referrer),
    t.options.segment[segmentOf(card)],
    card.tier ? t.options.tier[card.tier] : '',
    card.abc ? t.options.abc[card.abc] : '',
    time(card.createdAt, context),
    time(card.updatedAt, context),
  ];
}

/** The card a record belongs to, as the record files name it. */
export type CardRef = Pick<CustomerRecord, 'number' | 'name'>;

export function visitHeader(t: Messages): CsvRow {
  const { visit: v, exports: e } = t;
  return [
    t.fields.number,
    e.columns.customerName,
    v.date,
    v.kind,
    v.notes,
    v.needs,
    v.attitude,
    v.visitWelcome,
    v.lastPurchaseDate,
    v.purchaseQuantity,
    v.purchaseKinds,
    v.stockOnHand,
    v.nextFollowUpDate,
    v.nextFollowUpPlan,
    e.columns.recordedBy,
    e.columns.slackId(e.columns.recordedBy),
    e.columns.recordedAt,
  ];
}

export function visitRow(t: Messages, card: CardRef, visit: VisitRecord, context: ExportContext): CsvRow {
  const o = t.options;
  return [
    card.number,
    userText(card.name),
    visit.date,
    optionLabel(o.visitKind, visit.kind),
    userText(visit.notes),
    userText(visit.needs),
    optionLabel(o.attitude, visit.attitude),
    optionLabel(o.visitWelcome, visit.visitWelcome),
    visit.lastPurchaseDate ?? '',
    optional(visit.purchaseQuantity),
    userText(visit.purchaseKinds),
    optional(visit.stockOnHand),
    visit.nextFollowUpDate ?? '',
    userText(visit.nextFollowUpPlan),
    ...person(visit.createdBy, context),
    time(visit.createdAt, context),
  ];
}

export function saleHeader(t: Messages): CsvRow {
  const { money: m, exports: e } = t;
  const c = e.columns;
  return [
    t.fields.number,
    c.customerName,
    m.date,
    m.product,
    m.model,
    m.style,
    m.quantity,
    m.amount,
    m.profit,
    m.dueDate,
    m.paidInFull,
    c.creditOverriddenBy,
    c.slackId(c.creditOverriddenBy),
    c.recordedBy,
    c.slackId(c.recordedBy),
    c.recordedAt,
  ];
}

export function saleRow(t: Messages, card: CardRef, sale: SaleRecord, context: ExportContext): CsvRow {
  return [
    card.number,
    userText(card.name),
    sale.date,
    userText(sale.product),
    userText(sale.model),
    userText(sale.style),
    String(sale.quantity),
    money(sale.amountFen),
    money(sale.profitFen),
    sale.dueDate ?? '',
    sale.paidInFull ? t.exports.yes : t.exports.no,
    ...person(sale.creditOverriddenBy, context),
    ...person(sale.createdBy, context),
    time(sale.createdAt, context),
  ];
}

/** The people a batch of rows names, to look their names up once. */
export const peopleIn = (ids: (string | undefined)[]): string[] => [
  ...new Set(ids.filter((id): id is string => Boolean(id))),
];
