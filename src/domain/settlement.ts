/** What a sale sets up (due date, check-in, credit check) and how a payment settles receivables. */

import { domain } from '../config/domain.js';
import { addDays, type CalendarDate } from '../time.js';

export interface OpenReceivable {
  id: string;
  dueDate: CalendarDate;
  outstandingFen: number;
}

interface Allocation {
  id: string;
  fen: number;
}

export type AllocationResult =
  | { ok: true; allocations: Allocation[] }
  | { ok: false; reason: 'overpayment'; outstandingFen: number }
  | { ok: false; reason: 'unknownReceivable' };

/**
 * Splits a payment over receivables, oldest due date first (ties by id), or
 * puts it all on the one the user picked. A payment larger than what it may
 * settle is refused, never silently capped.
 */
export function allocatePayment(receivables: OpenReceivable[], amountFen: number, pickedId?: string): AllocationResult {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0)
    throw new RangeError(`payment must be a positive whole number of fen, got ${amountFen}`);
  if (pickedId !== undefined) {
    const picked = receivables.find((r) => r.id === pickedId);
    if (!picked) return { ok: false, reason: 'unknownReceivable' };
    if (amountFen > picked.outstandingFen)
      return { ok: false, reason: 'overpayment', outstandingFen: picked.outstandingFen };
    return { ok: true, allocations: [{ id: picked.id, fen: amountFen }] };
  }
  const outstandingFen = receivables.reduce((sum, r) => sum + r.outstandingFen, 0);
  if (amountFen > outstandingFen) return { ok: false, reason: 'overpayment', outstandingFen };
  const allocations: Allocation[] = [];
  let left = amountFen;
  for (const r of [...receivables].sort(oldestFirst)) {
    if (left === 0) break;
    const fen = Math.min(left, r.outstandingFen);
    if (fen > 0) allocations.push({ id: r.id, fen });
    left -= fen;
  }
  return { ok: true, allocations };
}

function oldestFirst(a: OpenReceivable, b: OpenReceivable): number {
  if (a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface CreditCheck {
  exceeds: boolean;
  outstandingFen: number;
  afterFen: number;
  limitFen?: number;
}

/** Whether a sale's unpaid part takes the customer past the card's credit limit; reaching it exactly is within. */
export function creditCheck(input: {
  outstandingFen: number;
  saleUnpaidFen: number;
  creditLimitFen?: number;
}): CreditCheck {
  const afterFen = input.outstandingFen + input.saleUnpaidFen;
  if (input.creditLimitFen === undefined) return { exceeds: false, outstandingFen: input.outstandingFen, afterFen };
  return {
    exceeds: afterFen > input.creditLimitFen,
    outstandingFen: input.outstandingFen,
    afterFen,
    limitFen: input.creditLimitFen,
  };
}

/** When a sale's payment falls due: the card's terms, or the house default. */
export function defaultDueDate(saleDate: CalendarDate, paymentTermsDays?: number): CalendarDate {
  return addDays(saleDate, paymentTermsDays ?? domain.money.defaultPaymentTermsDays);
}

/** When the salesperson checks in with the customer after a sale. */
export function checkInDate(saleDate: CalendarDate): CalendarDate {
  return addDays(saleDate, domain.checkIn.afterDays);
}

export const ADJUSTMENT_KINDS = ['return', 'discount'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];
