import { z } from 'zod';
import { domain } from '../config/domain.js';
import { maxLengthOf } from '../domain/cardFields.js';
import { THANKS_WAYS } from '../domain/referrals.js';
import { optionalChoice, optionalPhone, optionalText, optionalUserId, requiredText } from './fields.js';

const MAX = domain.referral.maxLength;

/** The Record referral modal: the new prospect, as the referrer described them. */
export const ReferralInputSchema = z.object({
  name: requiredText(maxLengthOf('name')),
  phone: optionalPhone(maxLengthOf('phone')),
  needs: optionalText(MAX.needs),
  notes: optionalText(MAX.notes),
  ownerId: optionalUserId,
});
export type ReferralInput = z.infer<typeof ReferralInputSchema>;

export const ThanksInputSchema = z.object({
  how: optionalChoice(THANKS_WAYS).pipe(z.enum(THANKS_WAYS, { error: 'required' })),
  note: optionalText(MAX.thanksNote),
});

export const NoDealInputSchema = z.object({ reason: requiredText(MAX.reason) });
