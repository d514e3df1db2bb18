import type { Messages } from '../i18n/index.js';
import type { LinkRefusal } from '../services/referrals.js';

/** Why a referrer could not be linked, in the user's language (a modal's inline error: plain text). */
export function referralRefusal(t: Messages, refusal: LinkRefusal): string {
  if (refusal.reason === 'self') return t.referral.self;
  if (refusal.reason === 'referrerGone') return t.referral.referrerGone;
  return t.referral.alreadyOpen(refusal.referrer);
}
