import { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { idFor } from '../db/requestIds.js';
import type { CustomerRecord } from '../models/customer.js';
import { nextAmbassadorContact } from '../services/ambassadors.js';
import { addDays, daysBetween, type CalendarDate } from '../time.js';
import { renderAmbassadorNudge } from '../views/nudge.js';
import { importedCards, cardAndLastVisit, SYSTEM_USER, type KindDeps } from './deps.js';
import type { KindDefinition } from './kind.js';

type AmbassadorCard = Pick<CustomerRecord, '_id' | 'teamId' | 'ambassador' | 'ownerId' | 'lastContactDate'>;

/**
 * The card's contact nudge a cadence after `from`, or at `first` (the next nudge day) when that is later. `generation`
 * tells apart nudges for the same day when an earlier one was closed (unmarked, then marked again).
 */
function contactNudge(
  card: AmbassadorCard,
  by: string,
  from: CalendarDate | undefined,
  first: CalendarDate,
  generation: string,
) {
  const dueDate = nextAmbassadorContact(from, first);
  return {
    _id: idFor(`${card._id.toString()}:ambassador:${dueDate}${generation}`),
    teamId: card.teamId,
    kind: 'ambassador',
    customerId: card._id,
    ownerId: card.ownerId ?? by,
    dueDate,
    createdBy: by,
  };
}

function ambassadorRules({ nudges }: Pick<KindDeps, 'nudges'>) {
  /**
   * Schedules the card's next contact nudge a cadence after `from` (its last
   * contact by default), replacing its open one but those in `keeping`. One
   * long overdue, or never contacted, comes at the next nudge hour rather than
   * at once (a card marked in the evening is nudged the next morning).
   */
  async function scheduleNext(
    card: AmbassadorCard,
    userId: string,
    { from = card.lastContactDate, generation = '', keeping = [] as Types.ObjectId[] } = {},
  ) {
    const first = await nudges.firstNudgeDay(card.teamId);
    await nudges.schedule(contactNudge(card, userId, from, first, generation), { replacing: true, keeping });
  }

  /**
   * After a card changed (made, edited, a save replayed, taken out of the
   * pool): an ambassador without a contact nudge to come gets one from its
   * last contact; a card no longer an ambassador has its nudge closed.
   * Decided from the card as it is, so a replay finishes what a crash interrupted.
   */
  async function settle(card: AmbassadorCard & Pick<CustomerRecord, 'version' | 'pooledAt'>, userId: string) {
    const open = await nudges.openFor(card.teamId, card._id, 'ambassador');
    // Only one still to be posted counts: one posted or refused is behind the card, and a month must still come.
    const next = await nudges.hasUpcoming(card.teamId, card._id, 'ambassador');
    // Nobody owns an ambassador in the pool: its monthly contact would go to the owner who lost it.
    const active = card.ambassador && !card.pooledAt;
    if (active && !next) await scheduleNext(card, userId, { generation: `:v${card.version}` });
    if (!active && open) await nudges.cancelOpen(card.teamId, card._id, 'ambassador', userId);
  }

  /**
   * Many cards' next contact nudges, as scheduleNext schedules one, in one bulk insert: `from` each card's last
   * contact unless given, `keeping` as scheduleNext's.
   */
  async function scheduleAll(
    teamId: string,
    next: { card: AmbassadorCard; by: string; from?: CalendarDate; generation?: string }[],
    keeping?: readonly Types.ObjectId[],
  ) {
    const first = await nudges.firstNudgeDay(teamId);
    const many = next.map(({ card, by, from = card.lastContactDate, generation = '' }) =>
      contactNudge(card, by, from, first, generation),
    );
    await nudges.scheduleMany(teamId, many, keeping ? { replacing: true, keeping } : {});
  }

  /** Ambassadors an import made (none has a contact nudge yet): each gets its next contact. */
  const scheduleImported = (teamId: string, cards: (AmbassadorCard & Pick<CustomerRecord, 'version'>)[]) =>
    scheduleAll(
      teamId,
      cards.map((card) => ({ card, by: card.ownerId ?? SYSTEM_USER, generation: `:v${card.version}` })),
    );

  return { scheduleNext, settle, scheduleAll, scheduleImported };
}

/**
 * 宣传大使联络: an ambassador is nudged a month (domain.ambassador.cadenceDays)
 * after the last contact of any kind, by anyone, to the card's owner. The
 * card keeps one open contact nudge: every logged contact replaces it with
 * one a month later, so the team is never asked to call someone it has just
 * spoken to. Re-checked as it is posted: a card no longer an ambassador is
 * not nudged, one contacted since gets its month restarted instead.
 */
export const ambassadorKind = {
  name: 'ambassador',
  about: 'customer',
  traits: {
    snooze: { action: 'ambassadorSnoozed', field: 'ambassadorContactDate' },
    answerable: true,
    contact: true,
    givesWayTo: ['followUp', 'checkIn'],
    ownInstant: false,
    digest: true,
  },
  create: ({ models, nudges }) => {
    const { scheduleNext, settle, scheduleAll, scheduleImported } = ambassadorRules({ nudges });
    return {
      on: {
        created: async (event, { card }) => card && settle(card, card.ownerId ?? event.by),
        saved: async (event, { card }) => card && settle(card, card.ownerId ?? event.by),
        ownerChanged: async (event, { card }) => card && settle(card, event.by),
        released: async (event, { card }) => card && settle(card, event.by),
        // A contact that moved the card's last contact forward restarts the month.
        contactLogged: async (event, { card }) =>
          card?.ambassador && event.moved ? scheduleNext(card, event.by) : undefined,
        imported: async (event) =>
          scheduleImported(
            event.teamId,
            await models.customers
              .find(
                {
                  ...importedCards(event),
                  ambassador: true,
                  pooledAt: { $exists: false },
                },
                { teamId: 1, ambassador: 1, ownerId: 1, lastContactDate: 1, version: 1 },
              )
              .lean(),
          ),
      },
      /** Ambassadors marked before the nudges existed get their contact nudge, if they have none to come. */
      async carryOver(teamIds) {
        for (const teamId of teamIds) {
          const fields = { teamId: 1, ambassador: 1, ownerId: 1, lastContactDate: 1, version: 1, pooledAt: 1 };
          const cards = await models.customers.find({ teamId, ambassador: true }, fields).lean();
          for (const card of cards) await settle(card, card.ownerId ?? SYSTEM_USER);
        }
      },
      // A follow-up or check-in due the same day asks for the contact already.
      deferTo: (nudge, { today, settings }) => nudges.contactDeferral(nudge, today, settings.timezone),
      async load(nudge, { today }, reading) {
        const [card, visit] = await cardAndLastVisit(models, nudge, reading);
        if (!card?.ambassador) return null;
        const { lastContactDate } = card;
        if (lastContactDate && lastContactDate > addDays(nudge.dueDate, -domain.ambassador.cadenceDays)) {
          await scheduleNext(card, nudge.createdBy, { keeping: [nudge._id] });
          return null;
        }
        return {
          ownerId: card.ownerId ?? nudge.ownerId,
          lastContactDate,
          daysSinceContact: lastContactDate ? daysBetween(lastContactDate, today) : undefined,
          topic: visit?.notes || visit?.needs || undefined,
        };
      },
      destination: (_nudge, _scope, facts) => facts.ownerId,
      render: (t, customer, nudge, facts) => renderAmbassadorNudge(t, customer, nudge, facts),
      // The next month counts from the day it is posted, whether Slack takes it or not (one refused all day is shown on
      // the card; the month after still comes); a contact logged meanwhile moves it. Those being posted stay answerable.
      async scheduleAhead(claimed, { today }) {
        const teamId = claimed[0]!.nudge.teamId;
        const next = claimed.map(({ nudge, context }) => ({
          card: { _id: nudge.customerId, teamId, ambassador: true, ownerId: context.ownerId },
          by: nudge.createdBy,
          from: today,
        }));
        await scheduleAll(
          teamId,
          next,
          claimed.map(({ nudge }) => nudge._id),
        );
      },
    };
  },
} as const satisfies KindDefinition<'ambassador'>;
