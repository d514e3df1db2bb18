import type { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { idFor } from '../db/requestIds.js';
import { maxLengthOf } from '../domain/cardFields.js';
import type { FieldChange } from '../domain/diff.js';
import { nameKey, parseTypeAhead, phoneKey } from '../domain/lookup.js';
import { paymentTermsDays } from '../domain/paymentTerms.js';
import type { PeopleIndex } from '../domain/people.js';
import { defaultDueDate } from '../domain/settlement.js';
import type { CardTarget, SaleTarget } from '../importing/headers.js';
import { labelledLine, type CardRow, type RowIssue, type SaleRow } from '../importing/mapping.js';
import { mergeCard, type IncomingCard } from '../importing/merge.js';
import type { CustomerRecord } from '../models/customer.js';
import type { ImportCounts } from '../models/import.js';
import type { Models } from '../models/index.js';
import type { SaleRecord } from '../models/sale.js';

/**
 * The plan of an import, made before anything is written: each row of the
 * file is a new card (or sale), a match of one the team has, or refused with
 * its reasons. Pure decisions over what the database holds now; the preview
 * shows it and the job writes it.
 */

/** Why a row is not imported, or (a warning) what the preview points out about one that is. */
export type RowProblem =
  | RowIssue<CardTarget | SaleTarget>
  /** A salesperson's row naming another owner (`owner`, as the file names them), or matching a card someone else owns (or the pool holds). */
  | { code: 'notYours'; owner?: string }
  /** The same customer as an earlier row of the file (same phone, card number, or name and company). */
  | { code: 'duplicateInFile'; row: number }
  /** A sale whose customer is no card of the team. */
  | { code: 'customerNotFound' }
  /** A sale whose customer's name several cards share: the numbers of some of them. */
  | { code: 'customerAmbiguous'; numbers: string[] }
  /** Warnings: the named owner is nobody (or several people) in Slack, so the importer owns the card. */
  | { code: 'ownerNotFound'; owner: string }
  | { code: 'ownerAmbiguous'; owner: string }
  /** The referrer names no one card: kept as text, as 推荐人（旧记录）. */
  | { code: 'referrerKeptAsText'; referrer: string }
  /** Another system's number: kept in the notes; the card gets the team's own. */
  | { code: 'numberKeptAsNote'; number: string }
  /** A card number of ours that no card of the team has (a deleted card, another workspace's export): a new one. */
  | { code: 'numberNotFound'; number: string }
  /** A match naming another owner: the card keeps its own (a card changes hands through Reassign). */
  | { code: 'ownerUnchanged'; owner: string };

/** A planned row of a customer sheet, as stored (ids as strings) and written by the job. */
export type PlannedCardRow =
  | { rowNumber: number; action: 'create'; cardId: string; card: IncomingCard; warnings: RowProblem[] }
  | {
      rowNumber: number;
      action: 'match';
      cardId: string;
      number: string;
      name: string;
      card: IncomingCard;
      warnings: RowProblem[];
    }
  | { rowNumber: number; action: 'invalid'; cells: string[]; problems: RowProblem[] };

/** A planned row of a sales sheet. `match`: this sale is recorded already (the same file, or the same sale). */
export type PlannedSaleRow =
  | {
      rowNumber: number;
      action: 'create' | 'match';
      saleId: string;
      customerId: string;
      customer: { name: string; number: string };
      sale: PlannedSale;
      warnings: RowProblem[];
    }
  | { rowNumber: number; action: 'invalid'; cells: string[]; problems: RowProblem[] };

/** A sale as the job writes it: the form's fields, its due date settled (the customer's payment terms). */
type PlannedSale = Pick<
  SaleRecord,
  'date' | 'product' | 'model' | 'style' | 'quantity' | 'amountFen' | 'profitFen' | 'dueDate' | 'paidInFull'
>;

export type PlannedRow = PlannedCardRow | PlannedSaleRow;

/** What a match would change: what the file fills in, and what it would replace only with "overwrite". */
export interface MatchChanges {
  fills: FieldChange[];
  replaces: FieldChange[];
}

export interface PlanContext {
  teamId: string;
  importer: string;
  /** An admin or the manager: imports for anyone. A salesperson imports only cards they own. */
  forAnyone: boolean;
  people: PeopleIndex;
  /** Names each row's card or sale: the file's hash and the sheet read. */
  source: { fileHash: string; sheet: string };
  /** The header of the file's own number column, to label another system's number in the notes. */
  numberHeader?: string;
  /** A row's cells as the file has them, for the refused rows' file. */
  cellsOf(rowNumber: number): string[];
}

/** The id of the card (or sale) a row of this file makes: importing the file again, or twice at once, makes it once. */
const rowCardId = (teamId: string, source: PlanContext['source'], rowNumber: number) =>
  idFor(`import:card:${teamId}:${source.fileHash}:${source.sheet}:${rowNumber}`);
const rowSaleId = (teamId: string, source: PlanContext['source'], rowNumber: number) =>
  idFor(`import:sale:${teamId}:${source.fileHash}:${source.sheet}:${rowNumber}`);

type KnownCard = CustomerRecord;

/** The team's cards a sheet may mean, read by `$in` a batch of values at a time. */
async function cardsWhere(
  models: Models,
  teamId: string,
  field: '_id' | 'number' | 'phoneKey' | 'nameKey',
  values: readonly (string | Types.ObjectId)[],
): Promise<KnownCard[]> {
  const unique = [...new Map(values.map((v) => [v.toString(), v])).values()];
  const found: KnownCard[] = [];
  for (let i = 0; i < unique.length; i += domain.import.lookupBatch) {
    const batch = unique.slice(i, i + domain.import.lookupBatch);
    found.push(...(await models.customers.find({ teamId, [field]: { $in: batch } }).lean()));
  }
  return found;
}

/** Cards by a key; several cards may share a name. */
function indexBy(cards: KnownCard[], key: (card: KnownCard) => string | undefined): Map<string, KnownCard[]> {
  const map = new Map<string, KnownCard[]>();
  for (const card of cards) {
    const k = key(card);
    if (k) map.set(k, [...(map.get(k) ?? []).filter((c) => !c._id.equals(card._id)), card]);
  }
  return map;
}

/** The card number a cell holds, written as the team writes its numbers (`kh 2026 1` is `KH-2026-0001`), if it is one. */
function cardNumberIn(text: string | undefined): string | undefined {
  const lookup = text ? parseTypeAhead(text) : null;
  return lookup?.kind === 'number' ? lookup.number : undefined;
}

const nameCompanyKey = (name: string, company: string | undefined) =>
  `${nameKey(name)}\u0000${company ? nameKey(company) : ''}`;

/** The team's cards a customer sheet's rows may match or name as referrers, each read once. */
async function knownCards(models: Models, context: PlanContext, rows: Extract<CardRow, { ok: true }>[]) {
  const { teamId, source } = context;
  const ids = rows.map((r) => rowCardId(teamId, source, r.rowNumber));
  const numbers = rows.flatMap((r) => [r.number, r.referrerNumber, r.referrer].map(cardNumberIn));
  const phones = rows.flatMap((r) => (r.card.phone ? [phoneKey(r.card.phone)] : []));
  const names = rows.flatMap((r) => [r.card.name, r.referrer].flatMap((n) => (n ? [nameKey(n)] : [])));
  const found = [
    ...(await cardsWhere(models, teamId, '_id', ids)),
    ...(await cardsWhere(
      models,
      teamId,
      'number',
      numbers.filter((n): n is string => n !== undefined),
    )),
    ...(await cardsWhere(models, teamId, 'phoneKey', phones)),
    ...(await cardsWhere(models, teamId, 'nameKey', names)),
  ];
  const byId = new Map(found.map((c) => [c._id.toString(), c]));
  const all = [...byId.values()];
  return {
    byId,
    byNumber: indexBy(all, (c) => c.number),
    byPhone: indexBy(all, (c) => c.phoneKey),
    byName: indexBy(all, (c) => c.nameKey),
    byNameCompany: indexBy(all, (c) => nameCompanyKey(c.name, c.company)),
  };
}

type Known = Awaited<ReturnType<typeof knownCards>>;

/** The card of the team a row is: the one this file's row made before, else by number, phone, then name and company. */
function matchOf(known: Known, cardId: Types.ObjectId, row: Extract<CardRow, { ok: true }>): KnownCard | undefined {
  const number = cardNumberIn(row.number);
  return (
    known.byId.get(cardId.toString()) ??
    (number ? known.byNumber.get(number)?.[0] : undefined) ??
    (row.card.phone ? known.byPhone.get(phoneKey(row.card.phone))?.[0] : undefined) ??
    known.byNameCompany.get(nameCompanyKey(row.card.name, row.card.company))?.[0]
  );
}

/** Who owns a new card: the person the row names (by Slack ID, name or e-mail), else the importer (with a warning). */
function ownerOf(context: PlanContext, row: Extract<CardRow, { ok: true }>): { ownerId: string; warning?: RowProblem } {
  const { people, importer } = context;
  if (row.ownerSlackId && people.has(row.ownerSlackId)) return { ownerId: row.ownerSlackId };
  const named = row.owner ?? row.ownerSlackId;
  if (!named) return { ownerId: importer };
  const match = people.find(named);
  if ('found' in match) return { ownerId: match.found };
  return {
    ownerId: importer,
    warning: { code: 'ambiguous' in match ? 'ownerAmbiguous' : 'ownerNotFound', owner: named },
  };
}

/** Keys that make two rows the same customer. */
function sameCustomerKeys(row: Extract<CardRow, { ok: true }>): string[] {
  const number = cardNumberIn(row.number) ?? row.number;
  return [
    ...(number ? [`number:${number}`] : []),
    ...(row.card.phone ? [`phone:${phoneKey(row.card.phone)}`] : []),
    `name:${nameCompanyKey(row.card.name, row.card.company)}`,
  ];
}

/** Adds another system's number to the notes (the card takes the team's own), unless that makes them too long. */
function withForeignNumber(
  context: PlanContext,
  row: Extract<CardRow, { ok: true }>,
  card: IncomingCard,
): IncomingCard | null {
  if (!row.number) return card;
  const line = labelledLine({ header: context.numberHeader ?? '#', value: row.number });
  const notes = card.notes ? `${card.notes}\n${line}` : line;
  return notes.length <= maxLengthOf('notes') ? { ...card, notes } : null;
}

/** One customer row's place in the plan (its referrer is settled once every row is placed). */
function planCardRow(
  context: PlanContext,
  known: Known,
  seen: Map<string, number>,
  row: CardRow,
): PlannedCardRow & { referrerText?: string } {
  if (!row.ok) return { rowNumber: row.rowNumber, action: 'invalid', cells: row.cells, problems: row.issues };
  const refuse = (problems: RowProblem[]): PlannedCardRow => ({
    rowNumber: row.rowNumber,
    action: 'invalid',
    cells: context.cellsOf(row.rowNumber),
    problems,
  });
  const keys = sameCustomerKeys(row);
  const earlier = keys.map((k) => seen.get(k)).find((n) => n !== undefined);
  if (earlier !== undefined) return refuse([{ code: 'duplicateInFile', row: earlier }]);
  keys.forEach((k) => seen.set(k, row.rowNumber));
  const cardId = rowCardId(context.teamId, context.source, row.rowNumber);
  const referrerText = row.referrerNumber ?? row.referrer;
  const incoming: IncomingCard = { ...row.card, ...(row.legacyReferrer ? { referrer: row.legacyReferrer } : {}) };
  const warnings: RowProblem[] = row.warnings.slice();
  const match = matchOf(known, cardId, row);
  if (match) {
    // The card is someone else's (or the pool's), whoever the row names as its owner.
    if (!context.forAnyone && match.ownerId !== context.importer) return refuse([{ code: 'notYours' }]);
    const named = row.ownerSlackId ?? row.owner;
    const owner = named ? ownerOf(context, row).ownerId : undefined;
    if (owner && owner !== match.ownerId && named) warnings.push({ code: 'ownerUnchanged', owner: named });
    const { ownerId: _owner, ...card } = incoming;
    return {
      rowNumber: row.rowNumber,
      action: 'match',
      cardId: match._id.toString(),
      number: match.number,
      name: match.name,
      card,
      warnings,
      ...(referrerText ? { referrerText } : {}),
    };
  }
  const owner = ownerOf(context, row);
  if (!context.forAnyone && owner.ownerId !== context.importer)
    return refuse([{ code: 'notYours', owner: row.owner ?? row.ownerSlackId ?? owner.ownerId }]);
  if (owner.warning) warnings.push(owner.warning);
  const foreign = row.number && !cardNumberIn(row.number);
  const card = foreign ? withForeignNumber(context, row, incoming) : incoming;
  if (!card) return refuse([{ code: 'notesTooLong', field: 'notes', max: maxLengthOf('notes') }]);
  if (foreign) warnings.push({ code: 'numberKeptAsNote', number: row.number! });
  else if (row.number) warnings.push({ code: 'numberNotFound', number: cardNumberIn(row.number)! });
  return {
    rowNumber: row.rowNumber,
    action: 'create',
    cardId: cardId.toString(),
    card: { ...card, ownerId: owner.ownerId },
    warnings,
    ...(referrerText ? { referrerText } : {}),
  };
}

/**
 * The referrer a row names, as the card it is: a card number (of the team,
 * or of another row), else a name that exactly one card (of the team or of
 * the file) bears. Otherwise the name is kept as text.
 */
function settleReferrer(
  row: Extract<PlannedCardRow, { action: 'create' | 'match' }>,
  text: string,
  known: Known,
  planned: { byNumber: Map<string, string>; byName: Map<string, Set<string>> },
): void {
  const number = cardNumberIn(text);
  const candidates = new Set<string>();
  if (number) {
    const id = known.byNumber.get(number)?.[0]?._id.toString() ?? planned.byNumber.get(number);
    if (id) candidates.add(id);
  } else {
    for (const card of known.byName.get(nameKey(text)) ?? []) candidates.add(card._id.toString());
    for (const id of planned.byName.get(nameKey(text)) ?? []) candidates.add(id);
  }
  candidates.delete(row.cardId);
  if (candidates.size === 1) {
    row.card = { ...row.card, referrerId: [...candidates][0]! };
    return;
  }
  if (!row.card.referrer) row.card = { ...row.card, referrer: text };
  row.warnings.push({ code: 'referrerKeptAsText', referrer: text });
}

export interface CardPlan {
  rows: PlannedCardRow[];
  counts: ImportCounts;
  /** The matched cards as they are now, to show what the import would change. */
  matched: Map<string, KnownCard>;
}

/** Plans a customer sheet's rows against the team's cards. */
export async function planCards(models: Models, context: PlanContext, rows: CardRow[]): Promise<CardPlan> {
  const valid = rows.filter((r): r is Extract<CardRow, { ok: true }> => r.ok);
  const known = await knownCards(models, context, valid);
  const seen = new Map<string, number>();
  const placed = rows.map((row) => planCardRow(context, known, seen, row));
  const byNumber = new Map<string, string>();
  const byName = new Map<string, Set<string>>();
  for (const [i, row] of placed.entries()) {
    if (row.action === 'invalid') continue;
    const source = rows[i] as Extract<CardRow, { ok: true }>;
    const number = row.action === 'match' ? row.number : cardNumberIn(source.number);
    if (number) byNumber.set(number, row.cardId);
    const key = nameKey(row.card.name);
    byName.set(key, (byName.get(key) ?? new Set()).add(row.cardId));
  }
  for (const row of placed) {
    if (row.action !== 'invalid' && row.referrerText)
      settleReferrer(row, row.referrerText, known, { byNumber, byName });
    delete row.referrerText;
  }
  const plannedRows = placed as PlannedCardRow[];
  return {
    rows: plannedRows,
    counts: countsOf(plannedRows),
    matched: new Map(
      plannedRows.flatMap((r) => (r.action === 'match' ? [[r.cardId, known.byId.get(r.cardId)!] as const] : [])),
    ),
  };
}

function countsOf(rows: { action: 'create' | 'match' | 'invalid' }[]): ImportCounts {
  return {
    rows: rows.length,
    create: rows.filter((r) => r.action === 'create').length,
    match: rows.filter((r) => r.action === 'match').length,
    invalid: rows.filter((r) => r.action === 'invalid').length,
  };
}

/** What a match would change on its card: what it fills in, and what only "overwrite" would replace. */
export function matchChanges(card: KnownCard, incoming: IncomingCard): MatchChanges {
  const fills = mergeCard(card, incoming, false);
  const filled = new Set(fills.map((c) => c.field));
  return { fills, replaces: mergeCard(card, incoming, true).filter((c) => !filled.has(c.field)) };
}

// ---------------------------------------------------------------- sales

/** The team's cards a sales sheet names, by number, phone and name. */
async function saleCustomers(models: Models, teamId: string, rows: Extract<SaleRow, { ok: true }>[]) {
  const numbers = rows.flatMap((r) => {
    const n = cardNumberIn(r.customer.number);
    return n ? [n] : [];
  });
  const phones = rows.flatMap((r) => (r.customer.phone ? [phoneKey(r.customer.phone)] : []));
  const names = rows.flatMap((r) => (r.customer.name ? [nameKey(r.customer.name)] : []));
  const found = [
    ...(await cardsWhere(models, teamId, 'number', numbers)),
    ...(await cardsWhere(models, teamId, 'phoneKey', phones)),
    ...(await cardsWhere(models, teamId, 'nameKey', names)),
  ];
  const all = [...new Map(found.map((c) => [c._id.toString(), c])).values()];
  return {
    byNumber: indexBy(all, (c) => c.number),
    byPhone: indexBy(all, (c) => c.phoneKey),
    byName: indexBy(all, (c) => c.nameKey),
  };
}

/** The card a sale names: by card number, else phone, else a name only one card bears. */
function saleCustomer(
  known: Awaited<ReturnType<typeof saleCustomers>>,
  row: Extract<SaleRow, { ok: true }>,
): KnownCard | RowProblem {
  const number = cardNumberIn(row.customer.number);
  const byNumber = number ? known.byNumber.get(number) : undefined;
  if (byNumber?.[0]) return byNumber[0];
  const byPhone = row.customer.phone ? known.byPhone.get(phoneKey(row.customer.phone)) : undefined;
  if (byPhone?.length === 1) return byPhone[0]!;
  const byName = row.customer.name ? known.byName.get(nameKey(row.customer.name)) : undefined;
  const candidates = byName ?? byPhone ?? [];
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length > 1) return { code: 'customerAmbiguous', numbers: candidates.slice(0, 5).map((c) => c.number) };
  return { code: 'customerNotFound' };
}

/** Sales already recorded (this file's rows before, or the same sale typed in), by their id and by what they are. */
async function recordedSales(models: Models, teamId: string, ids: Types.ObjectId[], customerIds: Types.ObjectId[]) {
  const byId = await models.sales.find({ teamId, _id: { $in: ids } }, { _id: 1 }).lean();
  const same = await models.sales
    .find({ teamId, customerId: { $in: customerIds } }, { customerId: 1, date: 1, product: 1, amountFen: 1 })
    .lean();
  return {
    ids: new Set(byId.map((s) => s._id.toString())),
    same: new Set(same.map((s) => `${s.customerId.toString()}\u0000${s.date}\u0000${s.product}\u0000${s.amountFen}`)),
  };
}

/** Plans a sales history's rows against the team's cards and the sales they have. */
export async function planSales(
  models: Models,
  context: PlanContext,
  rows: SaleRow[],
): Promise<{ rows: PlannedSaleRow[]; counts: ImportCounts }> {
  const { teamId, source } = context;
  const valid = rows.filter((r): r is Extract<SaleRow, { ok: true }> => r.ok);
  const known = await saleCustomers(models, teamId, valid);
  const customers = new Map(valid.map((r) => [r.rowNumber, saleCustomer(known, r)]));
  const cardIds = [...customers.values()].flatMap((c) => ('_id' in c ? [c._id] : []));
  const recorded = await recordedSales(
    models,
    teamId,
    valid.map((r) => rowSaleId(teamId, source, r.rowNumber)),
    cardIds,
  );
  const planned = rows.map((row): PlannedSaleRow => {
    if (!row.ok) return { rowNumber: row.rowNumber, action: 'invalid', cells: row.cells, problems: row.issues };
    const customer = customers.get(row.rowNumber)!;
    const refuse = (problem: RowProblem): PlannedSaleRow => ({
      rowNumber: row.rowNumber,
      action: 'invalid',
      cells: context.cellsOf(row.rowNumber),
      problems: [problem],
    });
    if (!('_id' in customer)) return refuse(customer);
    if (!context.forAnyone && customer.ownerId !== context.importer) return refuse({ code: 'notYours' });
    const saleId = rowSaleId(teamId, source, row.rowNumber).toString();
    const { sale } = row;
    const unpaid = !sale.paidInFull;
    const dueDate = unpaid
      ? (sale.dueDate ?? defaultDueDate(sale.date, paymentTermsDays(customer.paymentTerms)))
      : undefined;
    const same = `${customer._id.toString()}\u0000${sale.date}\u0000${sale.product}\u0000${sale.amountFen}`;
    return {
      rowNumber: row.rowNumber,
      action: recorded.ids.has(saleId) || recorded.same.has(same) ? 'match' : 'create',
      saleId,
      customerId: customer._id.toString(),
      customer: { name: customer.name, number: customer.number },
      sale: { ...sale, ...(dueDate ? { dueDate } : { dueDate: undefined }) },
      warnings: row.warnings,
    };
  });
  return { rows: planned, counts: countsOf(planned) };
}
