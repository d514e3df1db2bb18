import { z } from 'zod';
import type { NudgeRef } from '../services/nudges.js';
import type { CardModalMetadata } from '../views/cardModal.js';
import type { MoneyModalMetadata } from '../views/moneyModals.js';
import type { SpecialHandlingMetadata } from '../views/overdueNudge.js';
import type { ReferralActionMetadata, ReferralModalMetadata } from '../views/referralModals.js';
import type { PromiseRescheduleMetadata } from '../views/promiseNudge.js';
import type { ReassignModalMetadata } from '../views/handover.js';
import type { PostedMessage } from '../views/message.js';
import type { VisitModalMetadata } from '../views/visitModal.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/);

/** Where a modal answers once saved (AnswerTo): the response_url of the message pressed, and whether it may be replaced. */
const answerTo = { responseUrl: z.url().optional(), replace: z.boolean().optional() };

/** A posted message a modal came from (PostedMessage): its blocks are the app's own, as Slack sent them back. */
const PostedMessageSchema = z.object({
  channel: z.string(),
  ts: z.string(),
  blocks: z.array(z.looseObject({ type: z.string() })).max(50).optional(),
}) as unknown as z.ZodType<PostedMessage>;

const CardModalMetadataSchema = z.object({
  customerId: objectId.optional(),
  version: z.number().int().positive().optional(),
  fingerprint: z.string().max(64).optional(),
  ...answerTo,
});

const VisitModalMetadataSchema = z.object({
  customerId: objectId,
  ...answerTo,
  followUpId: objectId.optional(),
  nudge: PostedMessageSchema.optional(),
});

const MoneyModalMetadataSchema = z.object({ customerId: objectId, ...answerTo, posted: PostedMessageSchema.optional() });

const NewCardPrefillSchema = z.object({ name: z.string().optional(), phone: z.string().optional() });

function parseJson<T>(schema: z.ZodType<T>, raw: string | undefined): T | null {
  try {
    const result = schema.safeParse(JSON.parse(raw ?? ''));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

export const parseCardModalMetadata = (raw?: string): CardModalMetadata | null => parseJson(CardModalMetadataSchema, raw);
export const parseVisitModalMetadata = (raw?: string): VisitModalMetadata | null => parseJson(VisitModalMetadataSchema, raw);
export const parseMoneyModalMetadata = (raw?: string): MoneyModalMetadata | null => parseJson(MoneyModalMetadataSchema, raw);
const SpecialHandlingMetadataSchema = z.object({ nudgeRef: z.string(), channel: z.string().optional(), ts: z.string().optional(), posted: PostedMessageSchema.optional() });
export const parseSpecialHandlingMetadata = (raw?: string): SpecialHandlingMetadata | null => parseJson(SpecialHandlingMetadataSchema, raw);
const PromiseRescheduleMetadataSchema = z.object({ promiseId: objectId, channel: z.string().optional(), ts: z.string().optional() });
export const parsePromiseRescheduleMetadata = (raw?: string): PromiseRescheduleMetadata | null => parseJson(PromiseRescheduleMetadataSchema, raw);
export const parseNewCardPrefill = (raw?: string) => parseJson(NewCardPrefillSchema, raw) ?? {};
/** The card a modal is about, whichever modal: card, visit and money modals all name it `customerId`. */
export const parseMetadataCustomerId = (raw?: string): string | undefined => parseJson(z.object({ customerId: objectId }), raw)?.customerId;

const NUDGE_REF = /^([0-9a-f]{24})(?::(\d{1,9}))?$/;

/** A nudge button's value: `<followUpId>:<version>` (older messages carry the id alone). */
export function parseNudgeRef(raw?: string): NudgeRef | null {
  const match = NUDGE_REF.exec(raw ?? '');
  if (!match) return null;
  return match[2] === undefined ? { id: match[1]! } : { id: match[1]!, version: Number(match[2]) };
}

const ReferralModalMetadataSchema = z.object({ referrerId: objectId, ...answerTo });
const ReferralActionMetadataSchema = z.object({ referralId: objectId, cardId: objectId.optional(), ...answerTo });
export const parseReferralModalMetadata = (raw?: string): ReferralModalMetadata | null => parseJson(ReferralModalMetadataSchema, raw);
export const parseReferralActionMetadata = (raw?: string): ReferralActionMetadata | null => parseJson(ReferralActionMetadataSchema, raw);

const REFERRAL_BUTTON = /^([0-9a-f]{24})(?::([0-9a-f]{24}))?$/;

/** A referral button's value: `<referralId>`, or `<referralId>:<cardId>` when pressed on that card. */
export function parseReferralButton(raw?: string): { referralId: string; cardId?: string } | null {
  const match = REFERRAL_BUTTON.exec(raw ?? '');
  if (!match) return null;
  return match[2] === undefined ? { referralId: match[1]! } : { referralId: match[1]!, cardId: match[2] };
}

/** Where a promise's button was pressed: on the card (show the card again) or on its nudge (close the nudge). */
export interface PromiseRef {
  id: string;
  from: 'card' | 'nudge';
}

const PROMISE_REF = /^(card|nudge):([0-9a-f]{24})$/;

/** A promise button's value: `card:<promiseId>` or `nudge:<promiseId>`. */
export const promiseButtonValue = ({ from, id }: PromiseRef): string => `${from}:${id}`;

export function parsePromiseRef(raw?: string): PromiseRef | null {
  const match = PROMISE_REF.exec(raw ?? '');
  return match ? { from: match[1] as PromiseRef['from'], id: match[2]! } : null;
}

const ReassignModalMetadataSchema = z.object({ customerId: objectId, version: z.number().int().positive(), ...answerTo });
export const parseReassignModalMetadata = (raw?: string): ReassignModalMetadata | null => parseJson(ReassignModalMetadataSchema, raw);

/** A handover's Confirm: which preview (its request id) and who to whom. */
export interface HandoverRef {
  requestId: string;
  fromId: string;
  toId: string;
}

const HANDOVER_REF = /^([0-9a-f]{16,64}):([UW][A-Z0-9]{1,30}):([UW][A-Z0-9]{1,30})$/;

export const handoverButtonValue = ({ requestId, fromId, toId }: HandoverRef): string => `${requestId}:${fromId}:${toId}`;

export function parseHandoverRef(raw?: string): HandoverRef | null {
  const match = HANDOVER_REF.exec(raw ?? '');
  return match ? { requestId: match[1]!, fromId: match[2]!, toId: match[3]! } : null;
}
