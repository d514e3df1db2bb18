import { Types } from 'mongoose';
import { idFor } from '../db/requestIds.js';
import { todayIn } from '../time.js';
import { renderNudge } from '../views/nudge.js';
import type { KindDefinition } from './kind.js';

/** The follow-up a visit sets: its id comes from the visit, so logging the same visit twice schedules it once. */
const followUpIdOf = (visitId: Types.ObjectId) => idFor(`${visitId.toString()}:followUp`);

/**
 * 跟进: the day a visit set for the next contact, at the team's nudge hour,
 * to the team's nudge channel (or the owner's DM). A newer visit's follow-up
 * replaces the earlier one. One due today while the customer already had a
 * contact reminder today is scheduled for tomorrow at once (the scan would
 * move it anyway), so the card and the visit's answer can say so.
 */
export const followUpKind = {
  name: 'followUp',
  about: 'customer',
  traits: {
    snooze: { action: 'followUpSnoozed', field: 'nextFollowUpDate' },
    answerable: true,
    contact: true,
    ownInstant: false,
    digest: true,
  },
  create: ({ models, nudges, settings, now }) => ({
    on: {
      async contactLogged({ teamId, visitId, by }, { card }) {
        const visit = await models.visits
          .findOne({ _id: new Types.ObjectId(visitId), teamId }, { nextFollowUpDate: 1, nextFollowUpPlan: 1 })
          .lean();
        const asked = visit?.nextFollowUpDate;
        if (!card || !visit || !asked) return;
        const _id = followUpIdOf(visit._id);
        const { timezone } = await settings.settingsFor(teamId);
        const today = todayIn(now(), timezone);
        const probe = { _id, teamId, customerId: card._id, kind: 'followUp' };
        const dueDate = asked > today ? asked : ((await nudges.contactDeferral(probe, asked, timezone)) ?? asked);
        const plan = visit.nextFollowUpPlan;
        await nudges.schedule(
          {
            _id,
            teamId,
            kind: 'followUp',
            customerId: card._id,
            sourceId: visit._id,
            ownerId: card.ownerId ?? by,
            dueDate,
            plan,
            createdBy: by,
          },
          { replacing: true },
        );
      },
    },
    // One contact nudge per customer a day: it waits for one posted earlier today.
    deferTo: (nudge, { today, settings: s }) => nudges.contactDeferral(nudge, today, s.timezone),
    // A follow-up replaced by a later visit, or answered, is closed and never due again.
    load: async () => ({}),
    destination: (nudge, { settings: s }) => s.nudgeChannel ?? nudge.ownerId,
    render: (t, customer, nudge) => renderNudge(t, customer, nudge),
  }),
} as const satisfies KindDefinition<'followUp'>;
