import { CARD_FIELDS, type FieldSpec } from '../domain/cardFields.js';
import { fenToYuan } from '../domain/money.js';
import { segmentOf } from '../domain/segments.js';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { SaleRecord } from '../models/sale.js';
import type { VisitRecord } from '../models/visit.js';

/** One CSV line as strings; csv-stringify quotes whatever needs it. */
export type CsvRow = string[];

/**
 * Starts a spreadsheet reads as a formula (OWASP "CSV injection"), including
 * tab and CR it may strip first; and the same behind apostrophes, so text
 * typed as `'=x` is guarded too and `/card import` can take exactly one `'`
 * off any guarded cell to get back what was typed.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** User-typed text as a cell that a spreadsheet shows and never evaluates. */
export function userText(value: string | undefined): string {
  if (value === undefined) return '';
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const optionLabel = (labels: Record<string, string>, value: string | undefined) => (value === undefined ? '' : (labels[value] ?? userText(value)));
const optional = (value: number | undefined) => (value === undefined ? '' : String(value));
const money = (fen: number | undefined) => (fen === undefined ? '' : fenToYuan(fen));

export function cardHeader(t: Messages): CsvRow {
  const { fields, exports: e } = t;
  return [fields.number, ...CARD_FIELDS.map((f) => (fields as Record<string, string>)[f.key]!), fields.referrer, fields.segment, fields.tier, fields.abc, e.columns.createdAt, e.columns.updatedAt];
}

function fieldCell(t: Messages, spec: FieldSpec, card: CustomerRecord, referrerNumbers: ReadonlyMap<string, string>): string {
  const value = (card as unknown as Record<string, unknown>)[spec.key];
  switch (spec.kind) {
    case 'select':
      return optionLabel((t.options as Record<string, Record<string, string>>)[spec.key]!, value as string | undefined);
    case 'money':
      return money(value as number | undefined);
    case 'checkbox':
      return value ? t.exports.yes : '';
    case 'card':
      return value ? (referrerNumbers.get(String(value)) ?? '') : '';
    default:
      return userText(value as string | undefined);
  }
}

/** `referrerNumbers`: the card numbers of the referrers the batch names, by id. */
export function cardRow(t: Messages, card: CustomerRecord, referrerNumbers: ReadonlyMap<string, string>): CsvRow {
  return [
    card.number,
    ...CARD_FIELDS.map((spec) => fieldCell(t, spec, card, referrerNumbers)),
    userText(card.referrer),
    t.options.segment[segmentOf(card)],
    card.tier ? t.options.tier[card.tier] : '',
    card.abc ? t.options.abc[card.abc] : '',
    card.createdAt.toISOString(),
    card.updatedAt.toISOString(),
  ];
}

/** The card a record belongs to, as the record files name it. */
export type CardRef = Pick<CustomerRecord, 'number' | 'name'>;

export function visitHeader(t: Messages): CsvRow {
  const { visit: v, exports: e } = t;
  return [
    t.fields.number, e.columns.customerName, v.date, v.kind, v.notes, v.needs, v.attitude, v.visitWelcome, v.lastPurchaseDate,
    v.purchaseQuantity, v.purchaseKinds, v.stockOnHand, v.nextFollowUpDate, v.nextFollowUpPlan, e.columns.recordedBy, e.columns.recordedAt,
  ];
}

export function visitRow(t: Messages, card: CardRef, visit: VisitRecord): CsvRow {
  const o = t.options;
  return [
    card.number, userText(card.name), visit.date, optionLabel(o.visitKind, visit.kind), userText(visit.notes), userText(visit.needs),
    optionLabel(o.attitude, visit.attitude), optionLabel(o.visitWelcome, visit.visitWelcome), visit.lastPurchaseDate ?? '',
    optional(visit.purchaseQuantity), userText(visit.purchaseKinds), optional(visit.stockOnHand), visit.nextFollowUpDate ?? '',
    userText(visit.nextFollowUpPlan), visit.createdBy, visit.createdAt.toISOString(),
  ];
}

export function saleHeader(t: Messages): CsvRow {
  const { money: m, exports: e } = t;
  return [
    t.fields.number, e.columns.customerName, m.date, m.product, m.model, m.style, m.quantity, m.amount, m.profit, m.dueDate, m.paidInFull,
    e.columns.creditOverriddenBy, e.columns.recordedBy, e.columns.recordedAt,
  ];
}

export function saleRow(t: Messages, card: CardRef, sale: SaleRecord): CsvRow {
  return [
    card.number, userText(card.name), sale.date, userText(sale.product), userText(sale.model), userText(sale.style), String(sale.quantity),
    money(sale.amountFen), money(sale.profitFen), sale.dueDate ?? '', sale.paidInFull ? t.exports.yes : t.exports.no,
    sale.creditOverriddenBy ?? '', sale.createdBy, sale.createdAt.toISOString(),
  ];
}
