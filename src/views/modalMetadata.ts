import { z } from 'zod';
import type { CaptureModalMetadata } from './captureModal.js';
import type { CardModalMetadata } from './cardModal.js';
import type { MoneyModalMetadata } from './moneyModals.js';
import type { SpecialHandlingMetadata } from './overdueNudge.js';
import type { ReferralActionMetadata, ReferralModalMetadata } from './referralModals.js';
import type { PromiseRescheduleMetadata } from './promiseNudge.js';
import type { ReassignModalMetadata } from './handover.js';
import type { PostedMessage } from './message.js';
import type { VisitModalMetadata } from './visitModal.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/);

/**
 * Where a modal answers once saved (AnswerTo): the response_url of the message pressed, and whether it may be replaced.
 */
const answerTo = {
  responseUrl: z.url().optional(),
  replace: z.boolean().optional(),
  dm: z.literal(true).optional(),
};

/** A posted message a modal came from (PostedMessage): its blocks are the app's own, as Slack sent them back. */
const PostedMessageSchema = z.object({
  channel: z.string(),
  ts: z.string(),
  blocks: z
    .array(z.looseObject({ type: z.string() }))
    .max(50)
    .optional(),
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

const MoneyModalMetadataSchema = z.object({
  customerId: objectId,
  ...answerTo,
  posted: PostedMessageSchema.optional(),
});

const NewCardPrefillSchema = z.object({ name: z.string().optional(), phone: z.string().optional() });

function parseJson<T>(schema: z.ZodType<T>, raw: string | undefined): T | null {
  try {
    const result = schema.safeParse(JSON.parse(raw ?? ''));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

export const parseCardModalMetadata = (raw?: string): CardModalMetadata | null =>
  parseJson(CardModalMetadataSchema, raw);
export const parseVisitModalMetadata = (raw?: string): VisitModalMetadata | null =>
  parseJson(VisitModalMetadataSchema, raw);
export const parseMoneyModalMetadata = (raw?: string): MoneyModalMetadata | null =>
  parseJson(MoneyModalMetadataSchema, raw);
const SpecialHandlingMetadataSchema = z.object({
  nudgeRef: z.string(),
  channel: z.string().optional(),
  ts: z.string().optional(),
  posted: PostedMessageSchema.optional(),
});
export const parseSpecialHandlingMetadata = (raw?: string): SpecialHandlingMetadata | null =>
  parseJson(SpecialHandlingMetadataSchema, raw);
const PromiseRescheduleMetadataSchema = z.object({
  promiseId: objectId,
  channel: z.string().optional(),
  ts: z.string().optional(),
});
export const parsePromiseRescheduleMetadata = (raw?: string): PromiseRescheduleMetadata | null =>
  parseJson(PromiseRescheduleMetadataSchema, raw);
export const parseNewCardPrefill = (raw?: string) => parseJson(NewCardPrefillSchema, raw) ?? {};
/** The card a modal is about, whichever modal: card, visit and money modals all name it `customerId`. */
export const parseMetadataCustomerId = (raw?: string): string | undefined =>
  parseJson(z.object({ customerId: objectId }), raw)?.customerId;

const ReferralModalMetadataSchema = z.object({ referrerId: objectId, ...answerTo });
const ReferralActionMetadataSchema = z.object({ referralId: objectId, cardId: objectId.optional(), ...answerTo });
export const parseReferralModalMetadata = (raw?: string): ReferralModalMetadata | null =>
  parseJson(ReferralModalMetadataSchema, raw);
export const parseReferralActionMetadata = (raw?: string): ReferralActionMetadata | null =>
  parseJson(ReferralActionMetadataSchema, raw);

const ReassignModalMetadataSchema = z.object({
  customerId: objectId,
  version: z.number().int().positive(),
  ...answerTo,
});
export const parseReassignModalMetadata = (raw?: string): ReassignModalMetadata | null =>
  parseJson(ReassignModalMetadataSchema, raw);

/** A Slack message's place: a channel id and a message timestamp, as Slack writes them. */
const CHANNEL_ID = z.string().regex(/^[CGD][A-Z0-9]{2,30}$/);
const MESSAGE_TS = z.string().regex(/^\d{1,12}\.\d{1,9}$/);

const CaptureModalMetadataSchema = z.object({
  channel: CHANNEL_ID,
  ts: MESSAGE_TS,
  threadTs: MESSAGE_TS.optional(),
  ...answerTo,
});
export const parseCaptureModalMetadata = (raw?: string): CaptureModalMetadata | null =>
  parseJson(CaptureModalMetadataSchema, raw);
