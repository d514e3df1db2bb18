import { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { idFor } from '../db/requestIds.js';
import { todayIn } from '../time.js';
import { renderReferralNudge } from '../views/referralNudge.js';
import type { KindDefinition } from './kind.js';

/**
 * 转介绍: a referred prospect's owner is nudged the moment the referral is
 * recorded (round 1), and once more if no contact is logged in time (round
 * 2). A contact logged first, or an outcome already known, cancels it.
 */
export const referralKind = {
  name: 'referral',
  about: 'customer',
  traits: {
    snooze: { action: 'nudgeSnoozed', field: 'nudgeDate' },
    answerable: true,
    contact: false,
    ownInstant: true,
    digest: true,
  },
  create: ({ models, nudges, referrals, settings }) => ({
    on: {
      async referred({ teamId, referralId }, { card }) {
        const referral = await models.referrals.findOne({ _id: new Types.ObjectId(referralId), teamId }).lean();
        if (!referral || !card) return;
        const { timezone } = await settings.settingsFor(teamId);
        const reminderAt = new Date(referral.createdAt.getTime() + domain.referral.reminderAfterMinutes * 60_000);
        for (const [round, at] of [
          [1, referral.createdAt],
          [2, reminderAt],
        ] as const) {
          // Ids come from the referral: announcing it twice schedules each round once.
          await nudges.schedule(
            {
              _id: idFor(`${referralId}:contact:${round}`),
              teamId,
              kind: 'referral',
              customerId: card._id,
              sourceId: referral._id,
              ownerId: card.ownerId ?? referral.recordedBy,
              dueDate: todayIn(at, timezone),
              round,
              createdBy: referral.recordedBy,
            },
            { at },
          );
        }
      },
    },
    async load(nudge) {
      const facts = nudge.sourceId && (await referrals.facts(nudge.teamId, nudge.sourceId.toString()));
      if (!facts || facts.referral.status !== 'open' || facts.referral.firstContactAt) return null;
      return facts;
    },
    // Whoever owns the prospect as it is posted: a reminder follows a reassignment.
    destination: (nudge, _scope, facts) => facts.referred.ownerId ?? nudge.ownerId,
    render: (t, _customer, nudge, facts) =>
      renderReferralNudge(t, facts, { ...nudge, ownerId: facts.referred.ownerId ?? nudge.ownerId }),
  }),
} as const satisfies KindDefinition<'referral'>;
