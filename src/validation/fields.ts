import { z } from 'zod';
import { isCalendarDate } from '../time.js';
import { SLACK_USER_ID } from '../domain/slackIds.js';
import { domain } from '../config/domain.js';
import { PHONE_TEXT, phoneKey } from '../domain/lookup.js';
import { parseAmount, parseYuanToFen, type AmountRefusal } from '../domain/money.js';

/**
 * Building blocks for form schemas. Messages are keys of `messages.validation`,
 * so the handler can show them in the user's language.
 */
export type ValidationKey =
  | 'required'
  | 'tooLong'
  | 'invalidChoice'
  | 'invalidPhone'
  | 'invalidMoney'
  | 'invalidDate'
  | 'dateInFuture'
  | 'dateInPast'
  | 'invalidCount'
  | 'planNeedsDate'
  | 'promiseNeedsDate'
  | 'promiseNeedsText'
  | 'amountFormat'
  | 'amountTooManyDecimals'
  | 'amountNotPositive'
  | 'amountTooLarge'
  | 'invalidQuantity'
  | 'dueBeforeSale'
  | 'invalidCard'
  | 'invalidUser'
  | 'promiseDueInPast';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const optionalText = (max: number) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max, 'tooLong').optional());

export const requiredText = (max: number) =>
  z.preprocess(blankToUndefined, z.string({ error: 'required' }).trim().min(1, 'required').max(max, 'tooLong'));

export const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(blankToUndefined, z.enum(values, { error: 'invalidChoice' }).optional());

/** A card picked from the type-ahead: its id, which the service then looks up inside the team. */
export const optionalObjectId = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^[0-9a-f]{24}$/, 'invalidCard')
    .optional(),
);

/** A person picked with a users_select: a Slack user id, never any other text. */
export const optionalUserId = z.preprocess(blankToUndefined, z.string().regex(SLACK_USER_ID, 'invalidUser').optional());

export const optionalDate = z.preprocess(blankToUndefined, z.string().refine(isCalendarDate, 'invalidDate').optional());

/** Digits with the usual separators, and enough digits to be a number someone can dial. */
export const optionalPhone = (max: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(max, 'tooLong')
      .regex(PHONE_TEXT, 'invalidPhone')
      .refine((v) => phoneKey(v).length >= domain.lookup.minPhoneDigits, 'invalidPhone')
      .optional(),
  );

export const optionalMoneyFen = z.preprocess(
  blankToUndefined,
  z
    .string()
    .transform((v, ctx) => {
      const fen = parseYuanToFen(v);
      if (fen === undefined) ctx.addIssue({ code: 'custom', message: 'invalidMoney' });
      return fen ?? 0;
    })
    .optional(),
);

export const optionalCount = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ error: 'invalidCount' })
    .int('invalidCount')
    .min(0, 'invalidCount')
    .max(1e9, 'invalidCount')
    .optional(),
);

const AMOUNT_ERRORS: Record<AmountRefusal, ValidationKey> = {
  format: 'amountFormat',
  tooManyDecimals: 'amountTooManyDecimals',
  notPositive: 'amountNotPositive',
  tooLarge: 'amountTooLarge',
};

/** An amount typed the way people write it (`12,800.50`, `¥12800`, `1.28万`), as integer fen. */
const amountFen = z.string().transform((v, ctx) => {
  const parsed = parseAmount(v);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: AMOUNT_ERRORS[parsed.reason] });
  return parsed.ok ? parsed.fen : 0;
});

export const requiredAmountFen = z.preprocess(blankToUndefined, z.string({ error: 'required' }).pipe(amountFen));
export const optionalAmountFen = z.preprocess(blankToUndefined, amountFen.optional());

export const requiredQuantity = z.preprocess(
  blankToUndefined,
  z.coerce.number({ error: 'required' }).int('invalidQuantity').min(1, 'invalidQuantity').max(1e9, 'invalidQuantity'),
);

export const checked = z.preprocess((v) => v === true, z.boolean());
