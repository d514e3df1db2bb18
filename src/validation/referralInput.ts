import { z } from 'zod';
import { domain } from '../config/domain.js';
import { maxLengthOf } from '../domain/cardFields.js';
import { THANKS_WAYS } from '../models/referral.js';
import { optionalChoice, optionalPhone, optionalText, requiredText } from './fields.js';

const MAX = domain.referral.maxLength;
/** Slack user ids are short; anything longer is not one. */
const SLACK_ID_MAX = 20;

/** The Record referral modal: the new prospect, as the referrer described them. */
export const ReferralInputSchema = z.object({
  name: requiredText(maxLengthOf('name')),
  phone: optionalPhone(maxLengthOf('phone')),
  needs: optionalText(MAX.needs),
  notes: optionalText(MAX.notes),
  ownerId: optionalText(SLACK_ID_MAX),
});
export type ReferralInput = z.infer<typeof ReferralInputSchema>;

export const ThanksInputSchema = z.object({
  how: optionalChoice(THANKS_WAYS).pipe(z.enum(THANKS_WAYS, { error: 'required' })),
  note: optionalText(MAX.thanksNote),
});

export const NoDealInputSchema = z.object({ reason: requiredText(MAX.reason) });
