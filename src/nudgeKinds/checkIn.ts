import { Types } from 'mongoose';
import { idFor } from '../db/requestIds.js';
import { checkInDate } from '../domain/settlement.js';
import { renderNudge } from '../views/nudge.js';
import { todayIn } from '../time.js';
import type { KindDefinition } from './kind.js';
import { ownersOf } from './deps.js';

/** 售后回访: a week after a sale, to the card's owner, to ask how the product is working (once per sale). */
export const checkInKind = {
  name: 'checkIn',
  about: 'customer',
  traits: {
    snooze: { action: 'checkInSnoozed', field: 'checkInDate' },
    answerable: true,
    contact: true,
    givesWayTo: ['followUp'],
    ownInstant: false,
    digest: true,
  },
  create: ({ models, nudges, settings, now }) => ({
    on: {
      async saleRecorded({ teamId, saleId }, { card }) {
        const sale = await models.sales.findOne({ _id: new Types.ObjectId(saleId), teamId }).lean();
        if (!card || !sale) return;
        await nudges.schedule({
          _id: idFor(`${sale._id.toString()}:checkIn`),
          teamId,
          kind: 'checkIn',
          customerId: card._id,
          sourceId: sale._id,
          ownerId: card.ownerId ?? sale.createdBy,
          dueDate: checkInDate(sale.date),
          plan: sale.product,
          createdBy: sale.createdBy,
        });
      },
      /**
       * A sales history brought in: a week after a sale is long past for most of it, so only a sale whose check-in day
       * is still to come gets one (a week after it, as a recorded sale does), all in one bulk insert.
       */
      async salesImported({ teamId, saleIds }) {
        const { timezone } = await settings.settingsFor(teamId);
        const today = todayIn(now(), timezone);
        const sales = await models.sales
          .find(
            { teamId, _id: { $in: saleIds.map((id) => new Types.ObjectId(id)) } },
            { customerId: 1, date: 1, product: 1, createdBy: 1 },
          )
          .lean();
        const coming = sales.filter((sale) => checkInDate(sale.date) >= today);
        const owners = await ownersOf(models, teamId, coming);
        await nudges.scheduleMany(
          teamId,
          coming.map((sale) => ({
            _id: idFor(`${sale._id.toString()}:checkIn`),
            teamId,
            kind: 'checkIn',
            customerId: sale.customerId,
            sourceId: sale._id,
            ownerId: owners.get(sale.customerId.toString()) ?? sale.createdBy,
            dueDate: checkInDate(sale.date),
            plan: sale.product,
            createdBy: sale.createdBy,
          })),
        );
      },
    },
    // One contact nudge per customer a day: a follow-up due the same day goes first.
    deferTo: (nudge, { today, settings }) => nudges.contactDeferral(nudge, today, settings.timezone),
    load: async () => ({}),
    destination: (nudge) => nudge.ownerId,
    render: (t, customer, nudge) => renderNudge(t, customer, nudge),
  }),
} as const satisfies KindDefinition<'checkIn'>;
