import { Types } from 'mongoose';
import { renderWrapUp } from '../views/wrapUp.js';
import type { KindDefinition } from './kind.js';

/**
 * 日终工作: one message per person and day, at the team's wrap-up hour, to
 * their DM (never the team channel: it is their own to-do list). A sale
 * (thank the buyer) and a prospect asking for material put the day in it;
 * every contact reminder is booked in it the evening before (the pipeline
 * does that, for kinds with the contact trait). Its content is read as it
 * is posted; a day with nothing in it posts nothing, and one not posted by
 * the end of its day is dropped, its "tomorrow" being today.
 */
export const wrapUpKind = {
  name: 'wrapUp',
  about: 'person',
  traits: { snooze: null, answerable: false, contact: false, ownInstant: true, digest: false },
  create: ({ models, nudges, wrapUps }) => ({
    on: {
      async saleRecorded({ teamId, saleId }, { card }) {
        const sale = await models.sales
          .findOne({ _id: new Types.ObjectId(saleId), teamId }, { date: 1, createdBy: 1 })
          .lean();
        if (sale) await nudges.scheduleWrapUp(teamId, card?.ownerId ?? sale.createdBy, sale.date, sale.createdBy);
      },
      async contactLogged({ teamId, visitId, by }, { card }) {
        // A current customer's request for material is ordinary service; the wrap-up chases prospects.
        if (!card || card.segment === 'current') return;
        const visit = await models.visits
          .findOne({ _id: new Types.ObjectId(visitId), teamId }, { date: 1, materialRequested: 1 })
          .lean();
        if (visit?.materialRequested) await nudges.scheduleWrapUp(teamId, card.ownerId ?? by, visit.date, by);
      },
    },
    carryOver: (teamIds) => nudges.adoptContactWrapUps(teamIds),
    load: async (nudge, { today }) =>
      today > nudge.dueDate ? null : wrapUps.dayOf(nudge.teamId, nudge.ownerId, nudge.dueDate),
    destination: (nudge) => nudge.ownerId,
    render: (t, _nudge, facts) => renderWrapUp(t, facts),
  }),
} as const satisfies KindDefinition<'wrapUp'>;
