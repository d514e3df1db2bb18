import { Types } from 'mongoose';
import { idFor } from '../db/requestIds.js';
import { todayIn } from '../time.js';
import { renderThanksNudge } from '../views/referralNudge.js';
import type { KindDefinition } from './kind.js';

/** 告知结果并致谢: to the referrer's owner, now, once a referral bought or was marked no deal; not posted once thanked. */
export const thanksKind = {
  name: 'thanks',
  about: 'customer',
  traits: {
    snooze: { action: 'nudgeSnoozed', field: 'nudgeDate' },
    answerable: true,
    contact: false,
    ownInstant: true,
    digest: true,
  },
  create: ({ models, nudges, referrals, settings, now }) => ({
    on: {
      async referralClosed({ teamId, referralId }, { card }) {
        const referral = await models.referrals.findOne({ _id: new Types.ObjectId(referralId), teamId }).lean();
        if (!referral || !card) return;
        const { timezone } = await settings.settingsFor(teamId);
        const at = referral.outcomeAt ?? now();
        await nudges.schedule(
          {
            _id: idFor(`${referralId}:thanks`),
            teamId,
            kind: 'thanks',
            customerId: card._id,
            sourceId: referral._id,
            ownerId: card.ownerId ?? referral.recordedBy,
            dueDate: todayIn(at, timezone),
            createdBy: referral.outcomeBy ?? referral.recordedBy,
          },
          { at },
        );
      },
    },
    async load(nudge) {
      const facts = nudge.sourceId && (await referrals.facts(nudge.teamId, nudge.sourceId.toString()));
      if (!facts || facts.referral.status === 'open' || facts.referral.thanks) return null;
      return facts;
    },
    destination: (nudge, _scope, facts) => facts.referrer.ownerId ?? nudge.ownerId,
    render: (t, _customer, nudge, facts) =>
      renderThanksNudge(t, facts, { ...nudge, ownerId: facts.referrer.ownerId ?? nudge.ownerId }),
  }),
} as const satisfies KindDefinition<'thanks'>;
