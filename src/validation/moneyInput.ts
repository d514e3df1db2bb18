import { z } from 'zod';
import { domain } from '../config/domain.js';
import type { CalendarDate } from '../time.js';
import { checked, optionalAmountFen, optionalDate, optionalText, requiredAmountFen, requiredQuantity, requiredText } from './fields.js';

const MAX = domain.money.maxLength;

const pastDate = (today: CalendarDate) => optionalDate.pipe(z.string({ error: 'required' }).refine((d) => d <= today, 'dateInFuture'));

/** 交易记录: the sale modal's schema; `today` is the team's local date. */
export function saleInputSchema(today: CalendarDate) {
  return z
    .object({
      date: pastDate(today),
      product: requiredText(MAX.product),
      model: optionalText(MAX.model),
      style: optionalText(MAX.style),
      quantity: requiredQuantity,
      amountFen: requiredAmountFen,
      profitFen: optionalAmountFen,
      dueDate: optionalDate,
      paidInFull: checked,
      overrideCredit: checked,
    })
    .superRefine((v, ctx) => {
      if (v.dueDate && v.dueDate < v.date) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'dueBeforeSale' });
    });
}

export type SaleFormInput = z.infer<ReturnType<typeof saleInputSchema>>;

/** 收款: the payment modal's schema. */
export function paymentInputSchema(today: CalendarDate) {
  return z.object({
    amountFen: requiredAmountFen,
    date: pastDate(today),
    receivableId: z.preprocess((v) => (v === '' || v === 'oldest' ? undefined : v), z.string().regex(/^[0-9a-f]{24}$/, 'invalidChoice').optional()),
  });
}

export type PaymentFormInput = z.infer<ReturnType<typeof paymentInputSchema>>;
