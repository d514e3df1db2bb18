import { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { idFor } from '../db/requestIds.js';
import { ageOn, nextOccurrence, occasionsOf, type CardOccasion, type CardOccasions } from '../domain/occasions.js';
import type { CustomerRecord } from '../models/customer.js';
import type { NudgeStatus } from '../models/nudge.js';
import { addDays, todayIn, type CalendarDate } from '../time.js';
import { renderGreetingNudge } from '../views/greetingNudge.js';
import { importedCards, SYSTEM_USER, type KindDeps } from './deps.js';
import type { KindDefinition } from './kind.js';

const KIND = 'greeting';
/** The team setting: days before a birthday or important day that its owner is reminded. */
const DAYS_AHEAD = 'greeting.daysAhead';
export const GREETING_REPLAN_JOB = 'greeting.replan';
/** Cards or nudges a carry-over or replan reads per round trip. */
const BATCH = 1000;

type GreetingCard = Pick<
  CustomerRecord,
  '_id' | 'teamId' | 'version' | 'ownerId' | 'pooledAt' | 'birthday' | 'importantDays' | 'preferences' | 'interests'
>;
const GREETING_FIELDS = {
  teamId: 1,
  version: 1,
  ownerId: 1,
  pooledAt: 1,
  birthday: 1,
  importantDays: 1,
  preferences: 1,
  interests: 1,
} as const;

/** Greetings that stand for their day: still to go, out, or answered. A superseded or cancelled one stands for none. */
const STANDING: readonly NudgeStatus[] = ['pending', 'sending', 'sent', 'failed', 'done'];
/** Not yet out: an edit that moves the day replaces them. */
const REPLACEABLE: readonly NudgeStatus[] = ['pending', 'failed'];

/**
 * The greeting of one occurrence of one of the card's days, as the card's
 * version asks it: the same day asked twice is scheduled once, and asked
 * again after the card changed (claimed from the pool after its greeting was
 * cancelled) it is a new greeting, not the closed one found again.
 */
const greetingId = (card: Pick<GreetingCard, '_id' | 'version'>, key: string, occursOn: CalendarDate) =>
  idFor(`${card._id.toString()}:${KIND}:${key}:${occursOn}:v${card.version}`);

/** Where the pipeline stands for one team today. */
interface Today {
  today: CalendarDate;
  /** The first day whose nudge hour is still ahead. */
  first: CalendarDate;
  daysAhead: number;
}

/**
 * The greeting for a day's first occurrence on or after `from`: due
 * `daysAhead` before it, or at the next nudge hour when that is later. A day
 * falling today once the nudge hour has passed is greeted next time, never
 * late; a once-only day already past, never.
 */
function greetingFor(
  occasion: CardOccasion['occasion'],
  from: CalendarDate,
  { first, daysAhead }: Omit<Today, 'today'>,
): { dueDate: CalendarDate; occursOn: CalendarDate } | null {
  let occursOn = nextOccurrence(occasion, from);
  if (occursOn !== null && occursOn < first) occursOn = nextOccurrence(occasion, addDays(occursOn, 1));
  if (occursOn === null) return null;
  const ahead = addDays(occursOn, -daysAhead);
  return { dueDate: ahead > first ? ahead : first, occursOn };
}

function greetingRules({ models, nudges, settings, now }: Pick<KindDeps, 'models' | 'nudges' | 'settings' | 'now'>) {
  async function todayFor(teamId: string): Promise<Today> {
    const s = await settings.settingsFor(teamId);
    return {
      today: todayIn(now(), s.timezone),
      first: await nudges.firstNudgeDay(teamId),
      daysAhead: s.kinds[DAYS_AHEAD] as number,
    };
  }

  async function schedule(card: GreetingCard, o: CardOccasion, from: CalendarDate, when: Today, by: string) {
    const greeting = greetingFor(o.occasion, from, when);
    if (!greeting || !card.ownerId) return;
    await nudges.schedule({
      _id: greetingId(card, o.key, greeting.occursOn),
      teamId: card.teamId,
      kind: KIND,
      customerId: card._id,
      ownerId: card.ownerId,
      dueDate: greeting.dueDate,
      occursOn: greeting.occursOn,
      plan: o.key,
      createdBy: by,
    });
  }

  /**
   * After a card changed (made, edited, claimed, released): each of its days
   * has its coming greeting, those whose day moved or went are replaced, and
   * a card with no owner (in the pool) is greeted by nobody. Decided from the
   * card and its greetings as they are, so a replay, or an edit racing a
   * greeting being posted, leaves one greeting per day.
   */
  async function settle(card: GreetingCard, by: string, { isNew = false } = {}): Promise<void> {
    if (!card.ownerId || card.pooledAt) return isNew ? undefined : nudges.cancelOpen(card.teamId, card._id, KIND, by);
    const days = new Map(occasionsOf(card).map((o) => [o.key, o]));
    // A card just made has no greetings yet: nothing to read (a replay's schedule is a no-op, the ids being fixed).
    if (isNew && days.size === 0) return;
    const when = await todayFor(card.teamId);
    const standing = isNew
      ? []
      : await models.nudges
          .find(
            {
              teamId: card.teamId,
              customerId: card._id,
              kind: KIND,
              status: { $in: STANDING },
              occursOn: { $gte: when.today },
            },
            { _id: 1, plan: 1, occursOn: 1, status: 1 },
          )
          .lean();
    const kept = new Set<string>();
    for (const n of standing) {
      const day = n.plan === undefined ? undefined : days.get(n.plan);
      const stillFalls = day && n.occursOn && nextOccurrence(day.occasion, n.occursOn) === n.occursOn;
      if (stillFalls) kept.add(day.key);
      else if (REPLACEABLE.includes(n.status)) await nudges.supersede(card.teamId, n._id, by);
    }
    for (const o of days.values()) if (!kept.has(o.key)) await schedule(card, o, when.today, when, by);
  }

  /**
   * Cards an import made (none has a greeting yet): each of their days gets
   * its coming greeting, as `settle` would give it, all in one bulk insert
   * (ids from the card's version, so a batch announced again schedules nothing twice).
   */
  async function scheduleImported(teamId: string, cards: GreetingCard[]): Promise<void> {
    const when = await todayFor(teamId);
    const many = cards.flatMap((card) => {
      const { ownerId } = card;
      if (!ownerId || card.pooledAt) return [];
      return occasionsOf(card).flatMap((o) => {
        const greeting = greetingFor(o.occasion, when.today, when);
        if (!greeting) return [];
        return [
          {
            _id: greetingId(card, o.key, greeting.occursOn),
            teamId,
            kind: KIND,
            customerId: card._id,
            ownerId,
            dueDate: greeting.dueDate,
            occursOn: greeting.occursOn,
            plan: o.key,
            createdBy: ownerId,
          },
        ];
      });
    });
    await nudges.scheduleMany(teamId, many);
  }

  /** After the team changed how many days ahead it greets: every greeting not yet tried moves to its new day. */
  async function replan(teamId: string): Promise<void> {
    const when = await todayFor(teamId);
    const waiting = { teamId, kind: KIND, status: 'pending' as const, attempts: 0 };
    let after: Types.ObjectId | undefined;
    for (;;) {
      const batch = await models.nudges
        .find(after ? { ...waiting, _id: { $gt: after } } : waiting, { _id: 1, version: 1, occursOn: 1, dueDate: 1 })
        .sort({ _id: 1 })
        .limit(BATCH)
        .lean();
      const moves = batch.flatMap((n) => {
        if (!n.occursOn) return [];
        const ahead = addDays(n.occursOn, -when.daysAhead);
        const dueDate = ahead > when.first ? ahead : when.first;
        return dueDate === n.dueDate ? [] : [{ _id: n._id, version: n.version, dueDate }];
      });
      await nudges.moveAll(teamId, moves);
      if (batch.length < BATCH) return;
      after = batch.at(-1)!._id;
    }
  }

  return { settle, replan, schedule, todayFor, scheduleImported };
}

/**
 * 生日与重要日子: each of a card's days (its birthday, solar or lunar, and the
 * important days of its family section) is greeted by the card's owner
 * `greeting.daysAhead` days before it falls, with who it is, what the day
 * is, the age or anniversary when the year is known, and what the card says
 * they like. Each greeting is one outbox nudge for one occurrence; as it goes
 * out the next occurrence is scheduled, so the day's cost is what is due. A
 * card in the pool is greeted by nobody; a card handed over, by its new owner.
 */
export const greetingKind = {
  name: KIND,
  about: 'customer',
  traits: {
    snooze: { action: 'nudgeSnoozed', field: 'greetingDate' },
    answerable: true,
    // A greeting is not a contact reminder: it never waits a day for one, and one customer may get both.
    contact: false,
    ownInstant: false,
    digest: true,
  },
  settings: [
    {
      key: DAYS_AHEAD,
      unit: 'days',
      default: domain.occasions.birthdayDaysAhead,
      ...domain.occasions.daysAheadRange,
    },
  ],
  create: ({ models, nudges, settings, now, queue }) => {
    const { settle, replan, schedule, todayFor, scheduleImported } = greetingRules({ models, nudges, settings, now });
    const by = (event: { by: string }, card: { ownerId?: string }) => card.ownerId ?? event.by;
    return {
      on: {
        created: async (event, { card }) => card && settle(card, by(event, card), { isNew: true }),
        saved: async (event, { card }) => card && settle(card, by(event, card)),
        // Cards an import made: those with a birthday or important day (a next day stored) get their greetings.
        imported: async (event) =>
          scheduleImported(
            event.teamId,
            await models.customers
              .find(
                {
                  ...importedCards(event),
                  nextOccasionOn: { $exists: true },
                },
                GREETING_FIELDS,
              )
              .lean<GreetingCard[]>(),
          ),
        ownerChanged: async (event, { card }) => card && settle(card, event.by),
        released: async (event, { card }) => card && settle(card, event.by),
        settingsChanged: async (event) =>
          event.fields.includes(DAYS_AHEAD) ? queue(GREETING_REPLAN_JOB, { teamId: event.teamId }) : undefined,
      },
      jobs: [{ name: GREETING_REPLAN_JOB, lockLifetimeMs: 10 * 60_000, run: ({ teamId }) => replan(teamId) }],
      /** Birthdays and important days kept before greetings existed get their coming greeting. */
      async carryOver(teamIds) {
        for (const teamId of teamIds) {
          const cards = models.customers
            .find({ teamId, nextOccasionOn: { $exists: true } }, GREETING_FIELDS)
            .lean<GreetingCard[]>()
            .cursor({ batchSize: BATCH });
          for await (const card of cards) await settle(card, SYSTEM_USER);
        }
      },
      async load(nudge, { today }) {
        const { teamId, customerId, plan, occursOn } = nudge;
        const card = await models.customers.findOne({ _id: customerId, teamId }, GREETING_FIELDS).lean<GreetingCard>();
        const day = card && occasionsOf(card as CardOccasions).find((o) => o.key === plan);
        // Edited away, handed to the pool, or its day gone by (snoozed past it): nothing late.
        if (!card?.ownerId || card.pooledAt || !day || !occursOn || occursOn < today) return null;
        if (nextOccurrence(day.occasion, occursOn) !== occursOn) return null;
        // Two edits reacted to at once may each have scheduled this day: the one out or answered, else the first, goes.
        const twin = await models.nudges
          .findOne(
            {
              teamId,
              customerId,
              kind: KIND,
              plan,
              occursOn,
              _id: { $ne: nudge._id },
              $or: [{ status: { $in: ['sent', 'done'] } }, { status: { $in: STANDING }, _id: { $lt: nudge._id } }],
            },
            { _id: 1 },
          )
          .lean();
        if (twin) return null;
        // The next one is scheduled as this one goes out, so a greeting Slack refuses does not end the chain.
        await schedule(card, day, addDays(occursOn, 1), await todayFor(teamId), nudge.createdBy);
        return {
          ownerId: card.ownerId,
          day: { ...day, date: occursOn, years: ageOn(day.occasion, occursOn) },
          today,
          preferences: card.preferences,
          interests: card.interests,
        };
      },
      destination: (_nudge, { settings: s }, facts) => s.nudgeChannel ?? facts.ownerId,
      render: (t, customer, nudge, facts) => renderGreetingNudge(t, customer, nudge, facts),
    };
  },
} as const satisfies KindDefinition<'greeting'>;
