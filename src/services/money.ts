import { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { newIdFor } from '../db/requestIds.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import { collectionQuadrant, daysOverdue, type CollectionQuadrant } from '../domain/collection.js';
import type { FieldChange } from '../domain/diff.js';
import { formatFen } from '../domain/money.js';
import { paymentTermsDays } from '../domain/paymentTerms.js';
import { allocatePayment, creditCheck, defaultDueDate } from '../domain/settlement.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import type { LedgerRecord, OpenReceivable } from '../models/ledger.js';
import type { AdjustmentRecord } from '../models/adjustment.js';
import type { PaymentRecord } from '../models/payment.js';
import type { SaleRecord } from '../models/sale.js';
import { todayIn, type CalendarDate } from '../time.js';
import type { AdjustmentFormInput, PaymentFormInput, SaleFormInput } from '../validation/moneyInput.js';
import type { CustomerService } from './customers.js';
import { historyDoc } from './history.js';
import type { CardEvents } from './cardEvents.js';
import type { ReferralService } from './referrals.js';
import type { SegmentService } from './segments.js';
import { yearTotals } from './yearTotals.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  now: () => Date;
  customers: CustomerService;
  settings: TeamSettingsService;
  events: CardEvents;
  writes: GuardedWrites;
  referrals: ReferralService;
  segments: SegmentService;
}

interface CreditWarning {
  outstandingFen: number;
  afterFen: number;
  limitFen: number;
}

export type SaleResult =
  | { status: 'ok'; customer: CustomerRecord; sale: SaleRecord }
  | { status: 'creditExceeded'; warning: CreditWarning }
  | { status: 'notFound' };

export type AdjustmentResult =
  { status: 'ok'; customer: CustomerRecord } | { status: 'exceedsSale'; remainingFen: number } | { status: 'notFound' };

export type PaymentResult =
  | { status: 'ok'; customer: CustomerRecord }
  | { status: 'overpayment'; outstandingFen: number }
  | { status: 'unknownReceivable' }
  | { status: 'notFound' };

export interface Account {
  sales: SaleRecord[];
  adjustments: AdjustmentRecord[];
  payments: PaymentRecord[];
  receivables: OpenReceivable[];
}

export interface OverdueItem {
  customer: Pick<CustomerRecord, '_id' | 'name' | 'number'>;
  dueDate: CalendarDate;
  outstandingFen: number;
  days: number;
  quadrant: CollectionQuadrant;
}

export interface MoneySummary {
  outstandingFen: number;
  overdueFen: number;
  oldestOverdueDays?: number;
  yearSalesFen: number;
  yearProfitFen: number;
  lastSale?: Pick<SaleRecord, 'product' | 'quantity' | 'date'>;
  creditLimitFen?: number;
  headroomFen?: number;
  receivables: OpenReceivable[];
}

const outstandingOf = (r: OpenReceivable) => r.amountFen - r.settledFen;

/** A delivery of the same sale or payment twice, even at once, finds it already on the ledger. */
const isApplied = (ledger: LedgerRecord, id: Types.ObjectId) => ledger.applied.some((a) => a.equals(id));
const withApplied = (ledger: LedgerRecord, id: Types.ObjectId) =>
  [...ledger.applied, id].slice(-domain.money.appliedKept);

/**
 * Sales and payments. Each is one versioned step of the customer's ledger
 * through writeIfUnchanged, carrying its sale or payment record and the
 * history entry, so a payment never settles more than is owed even when two
 * arrive at once, and a replayed submission records nothing twice.
 */
export function createMoneyService({ models, now, customers, settings, writes, referrals, segments, events }: Deps) {
  /** A customer's ledger is opened by their first sale or payment, in the name of the card's owner. */
  async function openLedger(customer: Pick<CustomerRecord, '_id' | 'teamId' | 'ownerId'>): Promise<void> {
    await writes.insertOnce(models.ledgers, {
      _id: customer._id,
      teamId: customer.teamId,
      ...(customer.ownerId ? { ownerId: customer.ownerId } : {}),
      version: 1,
      receivables: [],
      outstandingFen: 0,
      applied: [],
      createdAt: now(),
    });
  }

  async function recordSale(
    teamId: string,
    userId: string,
    customerId: string,
    input: SaleFormInput,
    { requestKey, overrideCredit = false }: { requestKey?: string; overrideCredit?: boolean } = {},
  ): Promise<SaleResult> {
    const customer = await customers.findCustomer(teamId, customerId);
    if (!customer) return { status: 'notFound' };
    const saleId = newIdFor(requestKey, 'sale');
    const existing = await models.sales.findOne({ _id: saleId, teamId }).lean();
    if (existing) {
      // A replay finishes what the first delivery may not have: every step after the sale is idempotent.
      await followSale(customer, existing, userId);
      return { status: 'ok', customer, sale: existing };
    }
    await openLedger(customer);
    const unpaidFen = input.paidInFull ? 0 : input.amountFen;
    const dueDate = input.dueDate ?? defaultDueDate(input.date, paymentTermsDays(customer.paymentTerms));
    const sale = {
      _id: saleId,
      teamId,
      customerId: customer._id,
      date: input.date,
      product: input.product,
      model: input.model,
      style: input.style,
      quantity: input.quantity,
      amountFen: input.amountFen,
      profitFen: input.profitFen,
      paidInFull: input.paidInFull,
      ...(unpaidFen > 0 ? { dueDate } : {}),
      createdBy: userId,
      createdAt: now(),
    } satisfies SaleRecord;
    let warning: CreditWarning | undefined;
    let record: typeof sale & { creditOverriddenBy?: string } = sale;
    let replayed = false;
    const written = await writes.updateUntilWritten<LedgerRecord>(models.ledgers, teamId, customer._id, (ledger) => {
      // The same delivery, arriving at once, got there first: its records are being written with its step.
      if (isApplied(ledger, saleId)) {
        replayed = true;
        return null;
      }
      const check = creditCheck({
        outstandingFen: ledger.outstandingFen,
        saleUnpaidFen: unpaidFen,
        creditLimitFen: customer.creditLimitFen,
      });
      if (check.exceeds && !overrideCredit) {
        warning = { outstandingFen: check.outstandingFen, afterFen: check.afterFen, limitFen: check.limitFen! };
        return null;
      }
      record = { ...sale, ...(check.exceeds ? { creditOverriddenBy: userId } : {}) };
      const receivable = { _id: saleId, saleId, dueDate, amountFen: unpaidFen, settledFen: 0 };
      const changes = [
        { field: 'sale', from: undefined, to: `${input.product} ×${input.quantity} ${formatFen(input.amountFen)}` },
        ...(unpaidFen > 0
          ? [{ field: 'outstandingFen', from: ledger.outstandingFen, to: ledger.outstandingFen + unpaidFen }]
          : []),
      ];
      const entry = { teamId, customerId: customer._id, action: 'sale' as const, userId, at: now(), changes };
      return {
        set: {
          receivables: unpaidFen > 0 ? [...ledger.receivables, receivable] : ledger.receivables,
          outstandingFen: ledger.outstandingFen + unpaidFen,
          applied: withApplied(ledger, saleId),
        },
        records: [
          { model: models.sales, doc: stripUndefined(record) },
          { model: models.history, doc: historyDoc(entry) },
        ],
      };
    });
    if (warning) return { status: 'creditExceeded', warning };
    if (!written && !replayed) return { status: 'notFound' };
    await followSale(customer, record, userId);
    return { status: 'ok', customer, sale: record };
  }

  /**
   * What a sale sets going: the customer is current, a referral's deal, and
   * the sale announced (the kinds check in a week later, chase the unpaid
   * part, put the buyer in the owner's wrap-up). Every step is idempotent, so a replay finishes it.
   */
  async function followSale(customer: CustomerRecord, sale: SaleRecord, userId: string): Promise<void> {
    await segments.markCurrent(customer, sale.date);
    await referrals.recordDeal(customer.teamId, customer._id, sale._id, userId);
    const event = {
      type: 'saleRecorded',
      teamId: customer.teamId,
      customerId: customer._id.toString(),
      by: sale.createdBy,
      saleId: sale._id.toString(),
    } as const;
    await events.announce(event, `${sale._id.toString()}:saleRecorded`);
  }

  /**
   * One customer's part of a sales history an import brought in: the sales
   * themselves are already written (one bulk insert for the batch); their
   * unpaid parts join the customer's receivables in one guarded step of the
   * ledger, with one history entry naming the file. No credit check: these
   * sales happened. `step` names the step, so a batch redone after a crash is
   * applied once.
   */
  async function recordImportedSales(
    teamId: string,
    userId: string,
    customerId: Types.ObjectId,
    sales: SaleRecord[],
    { step, source }: { step: Types.ObjectId; source: FieldChange[] },
  ): Promise<void> {
    const entry = (changes: FieldChange[]) =>
      historyDoc(
        {
          teamId,
          customerId,
          action: 'imported',
          userId,
          at: now(),
          changes: [...source, { field: 'sales', from: undefined, to: sales.length }, ...changes],
        },
        step,
      );
    const unpaid = sales.filter((s) => !s.paidInFull && s.dueDate);
    if (unpaid.length === 0) return writes.insertOnce(models.history, entry([]));
    const card = await models.customers.findOne({ _id: customerId, teamId }, { ownerId: 1 }).lean();
    await openLedger({ _id: customerId, teamId, ownerId: card?.ownerId });
    await writes.updateUntilWritten<LedgerRecord>(models.ledgers, teamId, customerId, (ledger) => {
      if (isApplied(ledger, step)) return null;
      const open = new Set(ledger.receivables.map((r) => r._id.toString()));
      const adding = unpaid
        .filter((s) => !open.has(s._id.toString()))
        .map((s) => ({ _id: s._id, saleId: s._id, dueDate: s.dueDate!, amountFen: s.amountFen, settledFen: 0 }));
      const addedFen = adding.reduce((sum, r) => sum + r.amountFen, 0);
      const owed = ledger.outstandingFen + addedFen;
      return {
        set: {
          receivables: [...ledger.receivables, ...adding],
          outstandingFen: owed,
          applied: withApplied(ledger, step),
        },
        records: [
          {
            model: models.history,
            doc: entry(addedFen > 0 ? [{ field: 'outstandingFen', from: ledger.outstandingFen, to: owed }] : []),
          },
        ],
      };
    });
  }

  async function recordPayment(
    teamId: string,
    userId: string,
    customerId: string,
    input: PaymentFormInput,
    requestKey?: string,
  ): Promise<PaymentResult> {
    const customer = await customers.findCustomer(teamId, customerId);
    if (!customer) return { status: 'notFound' };
    const paymentId = newIdFor(requestKey, 'payment');
    if (await models.payments.exists({ _id: paymentId, teamId })) return { status: 'ok', customer };
    await openLedger(customer);
    let refusal: PaymentResult | undefined;
    await writes.updateUntilWritten<LedgerRecord>(models.ledgers, teamId, customer._id, (ledger) => {
      if (isApplied(ledger, paymentId)) return null;
      const open = ledger.receivables.map((r) => ({
        id: r._id.toString(),
        dueDate: r.dueDate,
        outstandingFen: outstandingOf(r),
      }));
      const allocation = allocatePayment(open, input.amountFen, input.receivableId);
      if (!allocation.ok) {
        refusal =
          allocation.reason === 'overpayment'
            ? { status: 'overpayment', outstandingFen: allocation.outstandingFen }
            : { status: 'unknownReceivable' };
        return null;
      }
      const paid = new Map(allocation.allocations.map((a) => [a.id, a.fen]));
      const receivables = ledger.receivables
        .map((r) => ({ ...r, settledFen: r.settledFen + (paid.get(r._id.toString()) ?? 0) }))
        .filter((r) => outstandingOf(r) > 0);
      const payment = {
        _id: paymentId,
        teamId,
        customerId: customer._id,
        date: input.date,
        amountFen: input.amountFen,
        createdBy: userId,
        createdAt: now(),
        allocations: ledger.receivables
          .filter((r) => paid.has(r._id.toString()))
          .map((r) => ({ receivableId: r._id, fen: paid.get(r._id.toString())! })),
      };
      const entry = {
        teamId,
        customerId: customer._id,
        action: 'payment' as const,
        userId,
        at: now(),
        changes: [
          { field: 'outstandingFen', from: ledger.outstandingFen, to: ledger.outstandingFen - input.amountFen },
        ],
      };
      return {
        set: {
          receivables,
          outstandingFen: ledger.outstandingFen - input.amountFen,
          applied: withApplied(ledger, paymentId),
        },
        records: [
          { model: models.payments, doc: payment },
          { model: models.history, doc: historyDoc(entry) },
        ],
      };
    });
    return refusal ?? { status: 'ok', customer };
  }

  async function moneySummary(customer: CustomerRecord, today: CalendarDate): Promise<MoneySummary> {
    const { teamId, _id: customerId } = customer;
    const [ledger, year, lastSale] = await Promise.all([
      models.ledgers.findOne({ _id: customerId, teamId }).lean(),
      yearTotals(models, now(), teamId, [customerId], today),
      models.sales
        .findOne({ teamId, customerId }, { product: 1, quantity: 1, date: 1 })
        .sort({ date: -1, createdAt: -1 })
        .lean(),
    ]);
    const receivables = ledger?.receivables ?? [];
    const overdue = receivables.filter((r) => daysOverdue(r.dueDate, today) > 0);
    const outstandingFen = ledger?.outstandingFen ?? 0;
    return {
      outstandingFen,
      overdueFen: overdue.reduce((sum, r) => sum + outstandingOf(r), 0),
      oldestOverdueDays:
        overdue.length > 0 ? Math.max(...overdue.map((r) => daysOverdue(r.dueDate, today))) : undefined,
      yearSalesFen: year.salesFen,
      yearProfitFen: year.profitFen,
      lastSale: lastSale ?? undefined,
      creditLimitFen: customer.creditLimitFen,
      headroomFen: customer.creditLimitFen === undefined ? undefined : customer.creditLimitFen - outstandingFen,
      receivables: [...receivables].sort((a, b) => a.dueDate.localeCompare(b.dueDate)),
    };
  }

  /** The team's overdue receivables in collection order (oldest due first), with their customers. */
  async function overdueList(teamId: string): Promise<OverdueItem[]> {
    const { timezone, collection } = await settings.settingsFor(teamId);
    const today = todayIn(now(), timezone);
    // Ascending on an array sorts by its earliest day, overdue in every ledger read: the first overdueListed ledgers
    // hold the first overdueListed overdue receivables, so the team's other ledgers are never read.
    const ledgers = await models.ledgers
      .find({ teamId, 'receivables.dueDate': { $lt: today } }, { receivables: 1 })
      .sort({ 'receivables.dueDate': 1 })
      .limit(domain.money.overdueListed)
      .lean();
    const due = ledgers
      .flatMap((l) => l.receivables.filter((r) => r.dueDate < today).map((r) => ({ customerId: l._id, receivable: r })))
      .sort((a, b) => a.receivable.dueDate.localeCompare(b.receivable.dueDate))
      .slice(0, domain.money.overdueListed);
    const names = await models.customers
      .find({ teamId, _id: { $in: due.map((d) => d.customerId) } }, { name: 1, number: 1 })
      .lean();
    const byId = new Map(names.map((c) => [c._id.toString(), c]));
    return due.flatMap(({ customerId, receivable }) => {
      const customer = byId.get(customerId.toString());
      if (!customer) return [];
      const outstandingFen = outstandingOf(receivable);
      const days = daysOverdue(receivable.dueDate, today);
      return [
        {
          customer,
          dueDate: receivable.dueDate,
          outstandingFen,
          days,
          quadrant: collectionQuadrant(days, outstandingFen, collection),
        },
      ];
    });
  }

  /** The Money view: a customer's sales and payments, newest first, and the receivables still open. */
  async function account(customer: CustomerRecord): Promise<Account> {
    const { teamId, _id: customerId } = customer;
    const [sales, adjustments, payments, ledger] = await Promise.all([
      models.sales
        .find({ teamId, customerId })
        .sort({ date: -1, createdAt: -1 })
        .limit(domain.money.entriesShown)
        .lean(),
      models.adjustments.find({ teamId, customerId }).sort({ createdAt: -1 }).limit(domain.money.entriesShown).lean(),
      models.payments
        .find({ teamId, customerId })
        .sort({ date: -1, createdAt: -1 })
        .limit(domain.money.entriesShown)
        .lean(),
      models.ledgers.findOne({ _id: customerId, teamId }).lean(),
    ]);
    return {
      sales,
      adjustments,
      payments,
      receivables: [...(ledger?.receivables ?? [])].sort((a, b) => a.dueDate.localeCompare(b.dueDate)),
    };
  }

  /**
   * 退赔、折价 against a sale: reduces what is still owed on it (the rest is
   * owed back to the customer), never beyond the sale's amount in total.
   */
  async function recordAdjustment(
    teamId: string,
    userId: string,
    customerId: string,
    input: AdjustmentFormInput,
    requestKey?: string,
  ): Promise<AdjustmentResult> {
    const customer = await customers.findCustomer(teamId, customerId);
    const sale =
      customer &&
      (await models.sales.findOne({ _id: new Types.ObjectId(input.saleId), teamId, customerId: customer._id }).lean());
    if (!customer || !sale) return { status: 'notFound' };
    const adjustmentId = newIdFor(requestKey, 'adjustment');
    await openLedger(customer);
    let refusal: AdjustmentResult | undefined;
    await writes.updateUntilWritten<LedgerRecord>(models.ledgers, teamId, customer._id, (ledger) => {
      if (isApplied(ledger, adjustmentId)) return null;
      const before = ledger.adjusted.find((a) => a.saleId.equals(sale._id))?.fen ?? 0;
      if (before + input.amountFen > sale.amountFen) {
        refusal = { status: 'exceedsSale', remainingFen: sale.amountFen - before };
        return null;
      }
      const open = ledger.receivables.find((r) => r.saleId.equals(sale._id));
      const owedReducedFen = open ? Math.min(input.amountFen, outstandingOf(open)) : 0;
      const receivables = ledger.receivables
        .map((r) => (r === open ? { ...r, amountFen: r.amountFen - owedReducedFen } : r))
        .filter((r) => outstandingOf(r) > 0);
      const adjusted = [
        ...ledger.adjusted.filter((a) => !a.saleId.equals(sale._id)),
        { saleId: sale._id, fen: before + input.amountFen },
      ];
      const adjustment = stripUndefined({
        _id: adjustmentId,
        teamId,
        customerId: customer._id,
        saleId: sale._id,
        kind: input.kind,
        amountFen: input.amountFen,
        owedReducedFen,
        reason: input.reason,
        responsibleId: input.responsibleId,
        createdBy: userId,
        createdAt: now(),
      });
      const changes: FieldChange[] = [
        { field: input.kind, from: undefined, to: `${sale.product} ${formatFen(input.amountFen)}` },
        ...(owedReducedFen > 0
          ? [{ field: 'outstandingFen', from: ledger.outstandingFen, to: ledger.outstandingFen - owedReducedFen }]
          : []),
      ];
      const entry = { teamId, customerId: customer._id, action: 'adjustment' as const, userId, at: now(), changes };
      return {
        set: {
          receivables,
          adjusted,
          outstandingFen: ledger.outstandingFen - owedReducedFen,
          applied: withApplied(ledger, adjustmentId),
        },
        records: [
          { model: models.adjustments, doc: adjustment },
          { model: models.history, doc: historyDoc(entry) },
        ],
      };
    });
    return refusal ?? { status: 'ok', customer };
  }

  return { recordSale, recordImportedSales, recordPayment, recordAdjustment, moneySummary, overdueList, account };
}

function stripUndefined<T extends object>(doc: T): T {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined)) as T;
}

export type MoneyService = ReturnType<typeof createMoneyService>;
