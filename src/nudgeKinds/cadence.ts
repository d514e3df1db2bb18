import { Types } from 'mongoose';
import { idFor } from '../db/requestIds.js';
import { cadenceClassOf, type CadenceClass } from '../domain/cadence.js';
import { CADENCE_FIELDS, cadenceOf, lastContactIn, type CadenceCard } from '../services/cadence.js';
import { addDays, daysBetween, type CalendarDate } from '../time.js';
import { renderCadenceNudge } from '../views/nudge.js';
import { importedCards, cardAndLastVisit, SYSTEM_USER, type KindDeps } from './deps.js';
import type { KindDefinition } from './kind.js';

/** Cards a boot-time carry-over reads per round trip. */
const ADOPT_BATCH = 1000;
/** Days per class, as the settings modal asks them; a class's key is `cadenceDays.<class>`. */
const DEFAULT_DAYS: Record<CadenceClass, number> = {
  top: 7,
  large: 14,
  medium: 30,
  small: 90,
  inactive: 60,
  potential: 14,
};

function cadenceRules({ nudges, settings }: Pick<KindDeps, 'nudges' | 'settings'>) {
  /**
   * The card's cadence nudge due its interval after `from`, never before the next nudge hour. The id names the card's
   * version, so a replay schedules the same nudge and a later change a new one even for a day used before.
   */
  function cadenceNudge(card: CadenceCard, from: CalendarDate, interval: number, first: CalendarDate, userId: string) {
    const cadenced = addDays(from, interval);
    const dueDate = cadenced > first ? cadenced : first;
    return {
      _id: idFor(`${card._id.toString()}:cadence:${dueDate}:v${card.version}`),
      teamId: card.teamId,
      kind: 'cadence',
      customerId: card._id,
      ownerId: card.ownerId ?? userId,
      dueDate,
      createdBy: userId,
    };
  }

  /**
   * Replaces the card's open cadence nudge (but those in `keeping`) with one
   * its interval after `from` (the last contact by default); a card without a
   * cadence has its nudge cancelled.
   */
  async function reschedule(
    card: CadenceCard,
    userId: string,
    { from, keeping = [] }: { from?: CalendarDate; keeping?: Types.ObjectId[] } = {},
  ) {
    const { cadenceDays, timezone } = await settings.settingsFor(card.teamId);
    const interval = cadenceOf(card, cadenceDays);
    if (interval === null) return nudges.cancelOpen(card.teamId, card._id, 'cadence', userId);
    const first = await nudges.firstNudgeDay(card.teamId);
    const nudge = cadenceNudge(card, from ?? lastContactIn(card, timezone), interval, first, userId);
    await nudges.schedule(nudge, { replacing: true, keeping });
  }

  /**
   * After a card changed in a way that may give it a cadence or take it away
   * (saved, claimed): one that has a cadence and no nudge to come gets one,
   * one that lost it has its nudge cancelled. Decided from the card as it is, so a replay finishes the job.
   */
  async function settle(card: CadenceCard, userId: string) {
    const upcoming = await nudges.hasUpcoming(card.teamId, card._id, 'cadence');
    const cadenced = cadenceOf(card, (await settings.settingsFor(card.teamId)).cadenceDays) !== null;
    if (cadenced && !upcoming) await reschedule(card, userId);
    if (!cadenced && upcoming) await nudges.cancelOpen(card.teamId, card._id, 'cadence', userId);
  }

  /**
   * Many cards' `reschedule` from their last contact, in bulk writes: cards an import made (none has a cadence nudge
   * yet: nothing to replace), or a batch a refresh ranked (`replacing`: each card's other cadence nudges close, and
   * those left without a cadence have theirs cancelled).
   */
  async function rescheduleAll(teamId: string, cards: CadenceCard[], userId: string, { replacing = false } = {}) {
    const { cadenceDays, timezone } = await settings.settingsFor(teamId);
    const first = await nudges.firstNudgeDay(teamId);
    if (replacing) {
      const without = cards.filter((card) => cadenceOf(card, cadenceDays) === null).map((card) => card._id);
      await nudges.cancelOpenAll(teamId, without, ['cadence'], userId);
    }
    const many = cards.flatMap((card) => {
      const interval = cadenceOf(card, cadenceDays);
      return interval === null ? [] : [cadenceNudge(card, lastContactIn(card, timezone), interval, first, userId)];
    });
    await nudges.scheduleMany(teamId, many, { replacing });
  }

  return { reschedule, settle, rescheduleAll };
}

/**
 * 按层级联络: each card with a cadence keeps one open cadence nudge, due its
 * tier's interval after the last contact, to the card's owner. A contact
 * and a new tier move it; a card in the pool, an ambassador (who has a
 * monthly contact of its own) or a 疑虑 customer has none. Re-checked as it
 * is posted: one contacted since, or whose interval grew, is moved instead.
 */
export const cadenceKind = {
  name: 'cadence',
  about: 'customer',
  traits: {
    snooze: { action: 'nudgeSnoozed', field: 'nudgeDate' },
    answerable: true,
    contact: true,
    givesWayTo: ['followUp', 'checkIn', 'ambassador'],
    ownInstant: false,
    digest: true,
  },
  settings: (Object.entries(DEFAULT_DAYS) as [CadenceClass, number][]).map(([cls, days]) => ({
    key: `cadenceDays.${cls}`,
    unit: 'days',
    default: days,
    min: 1,
    max: 365,
  })),
  create: ({ models, nudges, settings }) => {
    const { reschedule, settle, rescheduleAll } = cadenceRules({ nudges, settings });
    const by = (event: { by: string }, card: { ownerId?: string }) => card.ownerId ?? event.by;
    return {
      on: {
        created: async (event, { card }) => card && settle(card, by(event, card)),
        saved: async (event, { card }) => card && settle(card, by(event, card)),
        ownerChanged: async (event, { card }) => card && settle(card, by(event, card)),
        // The pool takes the owner, and the nudge with it.
        released: async (event, { card }) => card && reschedule(card, event.by),
        contactLogged: async (event, { card }) => (card && event.moved ? reschedule(card, event.by) : undefined),
        imported: async (event) =>
          rescheduleAll(
            event.teamId,
            await models.customers.find(importedCards(event), CADENCE_FIELDS).lean<CadenceCard[]>(),
            event.by,
          ),
      },
      onBatch: {
        // A new tier is a new interval.
        ranked: async (events, cards) =>
          rescheduleAll(
            events[0]!.teamId,
            events.flatMap((e) => cards.get(e.customerId) ?? []),
            events[0]!.by,
            { replacing: true },
          ),
      },
      /** Cards stored before cadence nudges existed, with a segment or a contact and none to come, get one. */
      async carryOver(teamIds) {
        for (const teamId of teamIds) {
          const cards = models.customers
            .find(
              { teamId, $or: [{ segment: { $exists: true } }, { lastContactDate: { $exists: true } }] },
              CADENCE_FIELDS,
            )
            .lean<CadenceCard[]>()
            .cursor({ batchSize: ADOPT_BATCH });
          for await (const card of cards)
            if (!(await nudges.hasUpcoming(teamId, card._id, 'cadence')))
              await reschedule(card, card.ownerId ?? SYSTEM_USER);
        }
      },
      deferTo: (nudge, { today, settings: s }) => nudges.contactDeferral(nudge, today, s.timezone),
      async load(nudge, { today, settings: s }, reading) {
        const [card, visit] = await cardAndLastVisit(models, nudge, reading);
        const interval = card && cadenceOf(card, s.cadenceDays);
        if (!card || interval === null) return null;
        const { lastContactDate } = card;
        if (lastContactDate && lastContactDate > addDays(nudge.dueDate, -interval)) {
          await reschedule(card, nudge.createdBy, { keeping: [nudge._id] });
          return null;
        }
        return {
          ownerId: card.ownerId ?? nudge.ownerId,
          cadenceClass: cadenceClassOf(card) as CadenceClass,
          interval,
          lastContactDate,
          daysSinceContact: lastContactDate ? daysBetween(lastContactDate, today) : undefined,
          topic: visit?.notes || visit?.needs || undefined,
        };
      },
      destination: (_nudge, _scope, facts) => facts.ownerId,
      render: (t, customer, nudge, facts) => renderCadenceNudge(t, customer, nudge, facts),
      async afterPosted(nudge, { today }) {
        // The next interval counts from today; a contact logged meanwhile moves it. This one stays answerable.
        // Read again: the same scan may have changed the card since it was loaded (released it to the pool).
        const card = await models.customers
          .findOne({ _id: nudge.customerId, teamId: nudge.teamId }, CADENCE_FIELDS)
          .lean<CadenceCard>();
        if (card) await reschedule(card, nudge.createdBy, { from: today, keeping: [nudge._id] });
      },
    };
  },
} as const satisfies KindDefinition<'cadence'>;
