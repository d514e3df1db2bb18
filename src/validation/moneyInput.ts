import { z } from 'zod';
import { domain } from '../config/domain.js';
import type { CalendarDate } from '../time.js';
import { ADJUSTMENT_KINDS } from '../domain/settlement.js';
import {
  checked,
  optionalAmountFen,
  optionalChoice,
  optionalDate,
  optionalText,
  requiredAmountFen,
  requiredQuantity,
  requiredText,
} from './fields.js';

const MAX = domain.money.maxLength;

const pastDate = (today: CalendarDate) =>
  optionalDate.pipe(z.string({ error: 'required' }).refine((d) => d <= today, 'dateInFuture'));

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
      if (v.dueDate && v.dueDate < v.date)
        ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'dueBeforeSale' });
    });
}

export type SaleFormInput = z.infer<ReturnType<typeof saleInputSchema>>;

/** 收款: the payment modal's schema. */
export function paymentInputSchema(today: CalendarDate) {
  return z.object({
    amountFen: requiredAmountFen,
    date: pastDate(today),
    receivableId: z.preprocess(
      (v) => (v === '' || v === 'oldest' ? undefined : v),
      z
        .string()
        .regex(/^[0-9a-f]{24}$/, 'invalidChoice')
        .optional(),
    ),
  });
}

export type PaymentFormInput = z.infer<ReturnType<typeof paymentInputSchema>>;

/** 退赔、折价: against which sale, how much, why, and who was responsible. */
export const AdjustmentInputSchema = z.object({
  saleId: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string({ error: 'required' }).regex(/^[0-9a-f]{24}$/, 'invalidChoice'),
  ),
  kind: optionalChoice(ADJUSTMENT_KINDS).pipe(z.enum(ADJUSTMENT_KINDS, { error: 'required' })),
  amountFen: requiredAmountFen,
  reason: requiredText(MAX.reason),
  responsibleId: optionalText(30),
});

export type AdjustmentFormInput = z.infer<typeof AdjustmentInputSchema>;
