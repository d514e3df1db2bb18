import type { ReferralFacts, ReferralService } from '../services/referrals.js';
import { renderThanksNudge } from '../views/referralNudge.js';
import type { NudgeKindSpec } from './kind.js';

/** 告知结果并致谢: to the referrer's owner once the referral bought or was marked no deal; not posted once thanked. */
export function createThanksKind({ referrals }: { referrals: ReferralService }): NudgeKindSpec<ReferralFacts> {
  return {
    async load(nudge) {
      const facts = nudge.sourceId && (await referrals.facts(nudge.teamId, nudge.sourceId.toString()));
      if (!facts || facts.referral.status === 'open' || facts.referral.thanks) return null;
      return facts;
    },
    destination: (nudge, _scope, facts) => facts.referrer.ownerId ?? nudge.ownerId,
    render: (t, _customer, nudge, facts) => renderThanksNudge(t, facts, { ...nudge, ownerId: facts.referrer.ownerId ?? nudge.ownerId }),
  };
}
