import { domain } from '../config/domain.js';

/** Whole minutes from a referral being recorded to its first logged contact; never negative. */
export function firstContactMinutes(recordedAt: Date, contactAt: Date): number {
  return Math.max(0, Math.round((contactAt.getTime() - recordedAt.getTime()) / 60_000));
}

/** A customer whose referrals keep buying is worth keeping warm as an ambassador, once asked. */
export function shouldSuggestAmbassador(
  card: { ambassador?: boolean; ambassadorSuggestionDismissed?: boolean },
  deals: number,
): boolean {
  return !card.ambassador && !card.ambassadorSuggestionDismissed && deals >= domain.referral.suggestAmbassadorFromDeals;
}

export const THANKS_WAYS = ['call', 'visit', 'gift', 'message'] as const;
export type ThanksWay = (typeof THANKS_WAYS)[number];
