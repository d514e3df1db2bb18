import { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { idFor } from '../db/requestIds.js';
import { nextFestivalDate, type FestivalId } from '../domain/occasions.js';
import { isSlackUserId } from '../domain/slackIds.js';
import type { NudgeStatus } from '../models/nudge.js';
import type { TeamSettings } from '../services/teamSettings.js';
import { addDays, type CalendarDate } from '../time.js';
import { renderFestivalNudge, type FestivalGiftList, type GiftReason, type GiftRow } from '../views/festivalNudge.js';
import { importedCards, SYSTEM_USER, type KindDeps } from './deps.js';
import type { KindDefinition } from './kind.js';

const KIND = 'festival';
/** The team settings: which festivals each salesperson gets a gift list for, and how many days before. */
const FESTIVALS = 'festival.festivals';
const DAYS_AHEAD = 'festival.daysAhead';
const REPLAN_JOB = 'festival.replan';

/** Still to go out: a festival with one of these is scheduled. */
const UPCOMING: readonly NudgeStatus[] = ['pending', 'sending'];
/** Out, or given up after a day of refusals: its festival's next occurrence is the one to schedule. */
const OUT: readonly NudgeStatus[] = ['sent', 'failed', 'done'];
/** Most important first: the list's order, and the order a customer's reasons are named in. */
const RANKED: readonly GiftReason[] = ['ambassador', 'top', 'large', 'referrer', 'greeted'];
/** The contacts that count as a greeting last year. */
const GREETED_KINDS = ['greeting', 'gift'];

/** What decides a team's gift lists, read once per reaction, replan or posting. */
interface Plan {
  picked: readonly FestivalId[];
  daysAhead: number;
  /** The first day whose nudge hour is still ahead. */
  first: CalendarDate;
}

/** One salesperson's list for one occurrence of one festival: asked twice, scheduled once. */
const listId = (teamId: string, ownerId: string, festival: FestivalId, occursOn: CalendarDate) =>
  idFor(`${teamId}:${ownerId}:${KIND}:${festival}:${occursOn}`);

/** Due `daysAhead` before the festival, or at the next nudge hour when that is later (never after the festival). */
function dueFor(occursOn: CalendarDate, { first, daysAhead }: Plan): CalendarDate {
  const ahead = addDays(occursOn, -daysAhead);
  return ahead > first ? ahead : first;
}

function festivalRules({ models, nudges, settings }: Pick<KindDeps, 'models' | 'nudges' | 'settings'>) {
  async function planFor(teamId: string, team?: TeamSettings): Promise<Plan> {
    const s = team ?? (await settings.settingsFor(teamId));
    return {
      picked: s.kinds[FESTIVALS] as readonly FestivalId[],
      daysAhead: s.kinds[DAYS_AHEAD] as number,
      first: await nudges.firstNudgeDay(teamId),
    };
  }

  /** The person's list for the festival's first occurrence on or after `from`. */
  function listFor(teamId: string, ownerId: string, festival: FestivalId, from: CalendarDate, plan: Plan) {
    const occursOn = nextFestivalDate(festival, from > plan.first ? from : plan.first);
    return {
      _id: listId(teamId, ownerId, festival, occursOn),
      teamId,
      kind: KIND,
      ownerId,
      dueDate: dueFor(occursOn, plan),
      plan: festival,
      occursOn,
      createdBy: SYSTEM_USER,
    };
  }

  /**
   * Schedules the person's lists for these festivals' first occurrences on
   * or after `from` whose nudge hour is still to come, in one bulk write;
   * where that one is out already (the festival dropped after it went, then
   * picked again), the next.
   */
  async function schedule(
    teamId: string,
    ownerId: string,
    festivals: readonly FestivalId[],
    from: CalendarDate,
    plan: Plan,
  ) {
    const lists = festivals.map((festival) => listFor(teamId, ownerId, festival, from, plan));
    const statuses = await nudges.schedulePersonal(lists);
    const out = lists.filter((l) => OUT.includes(statuses.get(l._id.toString()) ?? 'pending'));
    await nudges.schedulePersonal(out.map((l) => listFor(teamId, ownerId, l.plan, addDays(l.occursOn, 1), plan)));
  }

  /**
   * The person has each picked festival's coming list. One indexed read when
   * they have (a card made or handed over costs that); the missing ones are
   * scheduled together.
   */
  async function ensure(teamId: string, ownerId: string, known?: Plan): Promise<void> {
    // Owners written before they were checked cannot be sent a DM.
    if (!isSlackUserId(ownerId)) return;
    const plan = known ?? (await planFor(teamId));
    if (plan.picked.length === 0) return;
    const open = await models.nudges
      .find({ teamId, ownerId, kind: KIND, status: { $in: UPCOMING } }, { _id: 0, plan: 1 })
      .lean();
    const scheduled = new Set(open.map((n) => n.plan));
    await schedule(
      teamId,
      ownerId,
      plan.picked.filter((festival) => !scheduled.has(festival)),
      plan.first,
      plan,
    );
  }

  /** Every person who owns a card (a pooled card has no owner): the distinct values of an indexed field. */
  const ownersOf = (teamId: string): Promise<string[]> =>
    models.customers.distinct('ownerId', { teamId, ownerId: { $exists: true } });

  /**
   * After an admin changed the festivals or the days ahead: each owner's
   * waiting lists of festivals no longer picked are cancelled, the others
   * moved to their new day, and newly picked ones scheduled. A person who
   * owns no card any more is not visited: their lists are dropped as they
   * come due (see load).
   */
  async function replan(teamId: string): Promise<void> {
    // Past the cache: this may run on an instance that has not seen the new settings yet.
    const plan = await planFor(teamId, await settings.settingsFor(teamId, { fresh: true }));
    for (const ownerId of await ownersOf(teamId)) {
      const waiting = await models.nudges
        .find(
          { teamId, ownerId, kind: KIND, status: 'pending' },
          { _id: 1, version: 1, plan: 1, occursOn: 1, dueDate: 1 },
        )
        .lean();
      const moves: { _id: Types.ObjectId; version: number; dueDate: CalendarDate }[] = [];
      for (const n of waiting) {
        if (!n.occursOn || !plan.picked.includes(n.plan as FestivalId)) {
          await nudges.cancelWaiting(teamId, n._id, SYSTEM_USER);
          continue;
        }
        const dueDate = dueFor(n.occursOn, plan);
        if (dueDate !== n.dueDate) moves.push({ _id: n._id, version: n.version, dueDate });
      }
      await nudges.moveAll(teamId, moves);
      await ensure(teamId, ownerId, plan);
    }
  }

  /** Cards of the owner's, with their names for the order inside one reason. */
  type Found = { _id: Types.ObjectId; nameKey: string; tier?: string }[];

  /**
   * The owner's customers worth a gift, most important first (RANKED), each
   * once; a pooled card has no owner, so it is never among them. Each reason
   * is one indexed read; only the customers listed are read whole.
   */
  async function giftList(teamId: string, ownerId: string, today: CalendarDate) {
    const since = addDays(today, -domain.occasions.festivalLookbackDays);
    const mine = { teamId, ownerId };
    const fields = { nameKey: 1, tier: 1 };
    const [ambassadors, ranked, referrerIds, greetedIds] = await Promise.all([
      models.customers.find({ ...mine, ambassador: true }, fields).lean<Found>(),
      models.customers.find({ ...mine, segment: 'current', tier: { $in: ['top', 'large'] } }, fields).lean<Found>(),
      models.referrals.distinct('referrerId', { teamId, date: { $gt: since } }),
      models.visits.distinct('customerId', { teamId, kind: { $in: GREETED_KINDS }, date: { $gt: since } }),
    ]);
    const ownedAmong = async (ids: Types.ObjectId[]): Promise<Found> =>
      ids.length === 0 ? [] : models.customers.find({ ...mine, _id: { $in: ids } }, fields).lean<Found>();
    const byReason: Record<GiftReason, Found> = {
      ambassador: ambassadors,
      top: ranked.filter((c) => c.tier === 'top'),
      large: ranked.filter((c) => c.tier === 'large'),
      referrer: await ownedAmong(referrerIds),
      greeted: await ownedAmong(greetedIds),
    };
    const found = new Map<string, { nameKey: string; reasons: GiftReason[] }>();
    for (const reason of RANKED) {
      for (const c of byReason[reason]) {
        const entry = found.get(c._id.toString()) ?? { nameKey: c.nameKey, reasons: [] };
        entry.reasons.push(reason);
        found.set(c._id.toString(), entry);
      }
    }
    const rank = (reasons: GiftReason[]) => RANKED.indexOf(reasons[0]!);
    const ordered = [...found].sort(
      ([, a], [, b]) =>
        rank(a.reasons) - rank(b.reasons) || (a.nameKey < b.nameKey ? -1 : a.nameKey > b.nameKey ? 1 : 0),
    );
    const listed = ordered.slice(0, domain.occasions.festivalListed);
    const cards = await models.customers
      .find({ teamId, _id: { $in: listed.map(([id]) => id) } }, { name: 1, number: 1, preferences: 1, interests: 1 })
      .lean<GiftRow['customer'][]>();
    const byId = new Map(cards.map((c) => [c._id.toString(), c]));
    const rows: GiftRow[] = listed.flatMap(([id, { reasons }]) => {
      const customer = byId.get(id);
      return customer ? [{ customer, reasons }] : [];
    });
    return { rows, more: ordered.length - listed.length };
  }

  return { planFor, schedule, ensure, ownersOf, replan, giftList };
}

/**
 * 节日送礼: for each festival the team picks (default 春节, 端午, 中秋, 国庆),
 * each salesperson gets one DM `festival.daysAhead` days before it, listing
 * their customers worth a gift, most important first: ambassadors, 顶级 and
 * 大 customers, referrers of the last 12 months, then anyone greeted or given
 * a gift in that time; each with its gift ideas and Log gift. One outbox
 * nudge per person, festival and occurrence, ensured when someone gets a card
 * and continued as each one goes out, so the cost follows what is due: no
 * sweep over the cards. Nobody with an empty list gets a message.
 */
export const festivalKind = {
  name: KIND,
  about: 'person',
  // A list, not a task: nothing to snooze or answer, and it asks for no contact of its own.
  traits: { snooze: null, answerable: false, contact: false, ownInstant: false, digest: false },
  settings: [
    { key: FESTIVALS, unit: 'festivals', default: domain.occasions.defaultFestivals },
    {
      key: DAYS_AHEAD,
      unit: 'days',
      default: domain.occasions.festivalDaysAhead,
      ...domain.occasions.daysAheadRange,
    },
  ],
  create: ({ models, nudges, settings, queue }) => {
    const rules = festivalRules({ models, nudges, settings });
    return {
      on: {
        created: async (event, { card }) =>
          card?.ownerId && !card.pooledAt ? rules.ensure(event.teamId, card.ownerId) : undefined,
        // Cards an import made: their owners (a few people, however many cards) have customers now.
        imported: async (event) => {
          const owners: unknown[] = await models.customers.distinct('ownerId', {
            ...importedCards(event),
            pooledAt: { $exists: false },
          });
          const plan = await rules.planFor(event.teamId);
          for (const ownerId of owners)
            if (typeof ownerId === 'string') await rules.ensure(event.teamId, ownerId, plan);
        },
        // A claim from the pool, a reassignment or a handover: the new owner has customers now.
        ownerChanged: async (event) => rules.ensure(event.teamId, event.to),
        settingsChanged: async (event) =>
          event.fields.some((f) => f === FESTIVALS || f === DAYS_AHEAD)
            ? queue(REPLAN_JOB, { teamId: event.teamId })
            : undefined,
      },
      jobs: [{ name: REPLAN_JOB, lockLifetimeMs: 10 * 60_000, run: ({ teamId }) => rules.replan(teamId) }],
      /** Owners of cards kept before festival lists existed get theirs. */
      async carryOver(teamIds) {
        for (const teamId of teamIds) {
          const plan = await rules.planFor(teamId);
          for (const ownerId of await rules.ownersOf(teamId)) await rules.ensure(teamId, ownerId, plan);
        }
      },
      async load(nudge, { today, settings: s }): Promise<FestivalGiftList | null> {
        const { teamId, ownerId, occursOn } = nudge;
        const festival = nudge.plan as FestivalId | undefined;
        const plan = await rules.planFor(teamId, s);
        // A festival dropped meanwhile: nothing now, nothing next year.
        if (!festival || !occursOn || !plan.picked.includes(festival)) return null;
        // Someone who owns no card any more neither: a card of theirs again starts it afresh.
        if (!(await models.customers.findOne({ teamId, ownerId }, { _id: 1 }).lean())) return null;
        // The next one is scheduled as this one goes out, so a list Slack refuses does not end the chain.
        await rules.schedule(teamId, ownerId, [festival], addDays(occursOn, 1), plan);
        // Its festival gone by (the app was down on its day): nothing late.
        if (occursOn < today) return null;
        const { rows, more } = await rules.giftList(teamId, ownerId, today);
        return rows.length === 0 ? null : { festival, date: occursOn, today, rows, more };
      },
      destination: (nudge) => nudge.ownerId,
      render: (t, _nudge, list) => renderFestivalNudge(t, list),
    };
  },
} as const satisfies KindDefinition<'festival'>;
