import type { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import type { Models } from '../models/index.js';
import { addDays, type CalendarDate } from '../time.js';

const DAY_MS = 24 * 60 * 60_000;

export interface YearTotals {
  salesFen: number;
  profitFen: number;
}

/**
 * What some customers bought, and what it earned, over domain.money.summaryDays
 * up to `today`: returns and discounts take back both. One customer for its
 * card, several for what a referrer's referrals brought.
 */
export async function yearTotals(
  models: Models,
  now: Date,
  teamId: string,
  customerIds: Types.ObjectId[],
  today: CalendarDate,
): Promise<YearTotals> {
  if (customerIds.length === 0) return { salesFen: 0, profitFen: 0 };
  const customerId = { $in: customerIds };
  const [sales, adjustments] = await Promise.all([
    models.sales
      .find(
        { teamId, customerId, date: { $gt: addDays(today, -domain.money.summaryDays) } },
        { amountFen: 1, profitFen: 1 },
      )
      .lean(),
    models.adjustments
      .find(
        { teamId, customerId, createdAt: { $gt: new Date(now.getTime() - domain.money.summaryDays * DAY_MS) } },
        { amountFen: 1 },
      )
      .lean(),
  ]);
  const returned = adjustments.reduce((sum, a) => sum + a.amountFen, 0);
  return {
    salesFen: sales.reduce((sum, s) => sum + s.amountFen, 0) - returned,
    profitFen: sales.reduce((sum, s) => sum + (s.profitFen ?? 0), 0) - returned,
  };
}
