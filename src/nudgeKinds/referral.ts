import type { ReferralFacts, ReferralService } from '../services/referrals.js';
import { renderReferralNudge } from '../views/referralNudge.js';
import type { NudgeKindSpec } from './kind.js';

/**
 * 转介绍: contact the referred prospect now (round 1), and a reminder once
 * (round 2). A contact logged first, or an outcome already known, cancels it.
 */
export function createReferralKind({ referrals }: { referrals: ReferralService }): NudgeKindSpec<ReferralFacts> {
  return {
    async load(nudge) {
      const facts = nudge.sourceId && (await referrals.facts(nudge.teamId, nudge.sourceId.toString()));
      if (!facts || facts.referral.status !== 'open' || facts.referral.firstContactAt) return null;
      return facts;
    },
    // Whoever owns the prospect as it is posted: a reminder follows a reassignment.
    destination: (nudge, _scope, facts) => facts.referred.ownerId ?? nudge.ownerId,
    render: (t, _customer, nudge, facts) => renderReferralNudge(t, facts, { ...nudge, ownerId: facts.referred.ownerId ?? nudge.ownerId }),
  };
}
