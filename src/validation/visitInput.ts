import { z } from 'zod';
import { domain } from '../config/domain.js';
import type { CalendarDate } from '../time.js';
import { checked, optionalChoice, optionalCount, optionalDate, optionalText } from './fields.js';

/** How a contact was made; a greeting or gift (a birthday, a festival) is a contact too. */
const VISIT_KINDS = ['visit', 'phone', 'meeting', 'message', 'greeting', 'gift'] as const;
const ATTITUDES = ['positive', 'neutral', 'negative'] as const;
const VISIT_WELCOME = ['yes', 'no', 'unknown'] as const;

const MAX = domain.visit.maxLength;
const PROMISE_SLOTS = Array.from({ length: domain.visit.maxPromises }, (_, i) => i + 1);

/** promise1 / promise1Due … one pair per slot, as the modal's block ids name them. */
const promiseFields: Record<string, z.ZodType<string | undefined>> = Object.fromEntries(
  PROMISE_SLOTS.flatMap((n) => [
    [`promise${n}`, optionalText(MAX.promise)],
    [`promise${n}Due`, optionalDate],
  ]),
);

/** The visit modal's schema; `today` is the team's local date, which bounds the dates. */
export function visitInputSchema(today: CalendarDate) {
  return z
    .object({
      date: optionalDate.pipe(
        z
          .string({ error: 'required' })
          .max(10)
          .refine((d) => d <= today, 'dateInFuture'),
      ),
      kind: optionalChoice(VISIT_KINDS).pipe(z.enum(VISIT_KINDS, { error: 'required' })),
      notes: optionalText(MAX.notes),
      needs: optionalText(MAX.needs),
      materialRequested: checked,
      attitude: optionalChoice(ATTITUDES),
      visitWelcome: optionalChoice(VISIT_WELCOME),
      lastPurchaseDate: optionalDate.refine((d) => d === undefined || d <= today, 'dateInFuture'),
      purchaseQuantity: optionalCount,
      purchaseKinds: optionalText(MAX.purchaseKinds),
      stockOnHand: optionalCount,
      nextFollowUpDate: optionalDate.refine((d) => d === undefined || d >= today, 'dateInPast'),
      nextFollowUpPlan: optionalText(MAX.nextFollowUpPlan),
      ...promiseFields,
    })
    .superRefine((v, ctx) => {
      if (v.nextFollowUpPlan && !v.nextFollowUpDate) {
        ctx.addIssue({ code: 'custom', path: ['nextFollowUpDate'], message: 'planNeedsDate' });
      }
      for (const n of PROMISE_SLOTS) {
        const text = v[`promise${n}` as keyof typeof v];
        const due = v[`promise${n}Due` as keyof typeof v];
        if (text && !due) ctx.addIssue({ code: 'custom', path: [`promise${n}Due`], message: 'promiseNeedsDate' });
        if (due && !text) ctx.addIssue({ code: 'custom', path: [`promise${n}`], message: 'promiseNeedsText' });
      }
    });
}

export type VisitFormInput = z.infer<ReturnType<typeof visitInputSchema>>;

export interface PromiseInput {
  text: string;
  dueDate: CalendarDate;
}

/** The filled promise rows of a visit form. */
export function promisesOf(input: VisitFormInput): PromiseInput[] {
  const form = input as Record<string, unknown>;
  return PROMISE_SLOTS.flatMap((n) => {
    const text = form[`promise${n}`];
    const dueDate = form[`promise${n}Due`];
    return typeof text === 'string' && typeof dueDate === 'string' ? [{ text, dueDate }] : [];
  });
}

export { PROMISE_SLOTS };
