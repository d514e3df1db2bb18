import { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { idFor } from '../db/requestIds.js';
import { OPEN_NUDGE_STATUSES, type CustomerNudgeRecord } from '../models/nudge.js';
import type { OpenNudge } from '../services/nudges.js';
import { eachBatchInFlight, inBatches } from '../services/batching.js';
import { canBePooled, countedFrom, POOL_FIELDS, type PoolCard } from '../services/pool.js';
import type { PoolThresholds } from '../services/teamSettings.js';
import { addDays, daysBetween, type CalendarDate } from '../time.js';
import { renderPoolReleased, renderPoolWarning } from '../views/pool.js';
import { importedCards, SYSTEM_USER, type KindDeps } from './deps.js';
import type { KindDefinition } from './kind.js';

const POOL_KINDS = ['poolWarning', 'poolRelease'];
/** Cards a replan or carry-over reads per round trip. */
const BATCH = 1000;
export const POOL_REPLAN_JOB = 'pool.replan';

function warningRules({ models, nudges, settings }: Pick<KindDeps, 'models' | 'nudges' | 'settings'>) {
  const thresholdsOf = async (teamId: string) => (await settings.settingsFor(teamId)).pool;

  /** The card's warning, due `afterDays` after it is counted from, never before the next nudge hour (`first`). */
  function warningOf(
    card: PoolCard,
    { afterDays }: PoolThresholds,
    timezone: string,
    first: CalendarDate,
    userId: string,
  ) {
    const due = addDays(countedFrom(card, timezone), afterDays);
    const dueDate = due > first ? due : first;
    // The id names the card's version, as the cadence's does.
    return {
      _id: idFor(`${card._id.toString()}:poolWarning:${dueDate}:v${card.version}`),
      teamId: card.teamId,
      kind: 'poolWarning',
      customerId: card._id,
      ownerId: card.ownerId!,
      dueDate,
      createdBy: userId,
    };
  }

  /** The card's warning now, as `warningOf` makes it. */
  async function warningFor(card: PoolCard, userId: string) {
    const { pool: thresholds, timezone } = await settings.settingsFor(card.teamId);
    return warningOf(card, thresholds, timezone, await nudges.firstNudgeDay(card.teamId), userId);
  }

  /** Schedules the card's warning on its day. */
  async function scheduleWarning(
    card: PoolCard,
    userId: string,
    options: { replacing: boolean; keeping?: Types.ObjectId[] },
  ): Promise<void> {
    await nudges.schedule(await warningFor(card, userId), options);
  }

  /**
   * Replaces the card's warning (but those in `keeping`) with one due
   * `afterDays` after its last contact, and cancels a release under way: a
   * contact restarts the count. A card that cannot go to the pool has both cancelled.
   */
  async function reschedule(card: PoolCard, userId: string, { keeping = [] as Types.ObjectId[] } = {}): Promise<void> {
    await nudges.cancelOpen(card.teamId, card._id, 'poolRelease', userId);
    if (!canBePooled(card, await thresholdsOf(card.teamId)))
      return nudges.cancelOpen(card.teamId, card._id, 'poolWarning', userId);
    await scheduleWarning(card, userId, { replacing: true, keeping });
  }

  const hasOpen = async (teamId: string, customerId: Types.ObjectId) =>
    (await models.nudges
      .findOne({ teamId, customerId, kind: { $in: POOL_KINDS }, status: { $in: OPEN_NUDGE_STATUSES } }, { _id: 1 })
      .lean()) !== null;

  /**
   * One that can go to the pool and has no warning or release open gets its warning; one that cannot has them
   * cancelled.
   */
  async function settle(card: PoolCard, userId: string): Promise<void> {
    const open = await hasOpen(card.teamId, card._id);
    if (canBePooled(card, await thresholdsOf(card.teamId)) ? !open : open) await reschedule(card, userId);
  }

  /** The open pool nudges of many cards, by card, and all of them. */
  async function openByCard(teamId: string, cards: PoolCard[]) {
    const open = await nudges.openOfMany(
      teamId,
      cards.map((c) => c._id),
      POOL_KINDS,
    );
    const byCard = new Map<string, OpenNudge[]>();
    for (const nudge of open) {
      const id = nudge.customerId.toString();
      if (!byCard.has(id)) byCard.set(id, []);
      byCard.get(id)!.push(nudge);
    }
    return { byCard, open };
  }

  /**
   * Many cards' `reschedule` (cards a refresh ranked), in bulk
   * writes: those that can go to the pool are warned afresh, replacing their
   * warning; the others have their warning and release cancelled.
   */
  async function rescheduleAll(teamId: string, cards: PoolCard[], userId: string): Promise<void> {
    const thresholds = await thresholdsOf(teamId);
    const kept = cards.filter((card) => !canBePooled(card, thresholds));
    await nudges.cancelOpenAll(
      teamId,
      cards.map((c) => c._id),
      ['poolRelease'],
      userId,
    );
    await nudges.cancelOpenAll(
      teamId,
      kept.map((c) => c._id),
      ['poolWarning'],
      userId,
    );
    await warnAll(
      teamId,
      cards.filter((card) => canBePooled(card, thresholds)),
      userId,
      { replacing: true },
    );
  }

  /** Many cards' `settle`, in bulk writes. */
  async function settleAll(teamId: string, cards: PoolCard[], userId: string): Promise<void> {
    const thresholds = await thresholdsOf(teamId);
    const { byCard } = await openByCard(teamId, cards);
    const unsettled = cards.filter((card) => canBePooled(card, thresholds) !== byCard.has(card._id.toString()));
    await rescheduleAll(teamId, unsettled, userId);
  }

  /**
   * One batch of a replan: each card's warning moved to its day; a warning
   * already on the right day is left as it is, and a card already warned
   * (a release under way, or a warning being posted or just posted, whose
   * release follows) keeps its course.
   */
  async function replanAll(teamId: string, cards: PoolCard[], thresholds: PoolThresholds): Promise<void> {
    const { timezone } = await settings.settingsFor(teamId);
    const first = await nudges.firstNudgeDay(teamId);
    const { byCard, open } = await openByCard(teamId, cards);
    const kept: Types.ObjectId[] = [];
    const warnings = [];
    for (const card of cards) {
      const mine = byCard.get(card._id.toString()) ?? [];
      if (!canBePooled(card, thresholds)) {
        if (mine.length > 0) kept.push(card._id);
        continue;
      }
      if (mine.some((n) => n.kind === 'poolRelease' || n.status === 'sending' || n.status === 'sent')) continue;
      const warning = warningOf(card, thresholds, timezone, first, SYSTEM_USER);
      const [only, ...others] = mine;
      if (!(only && others.length === 0 && only.status === 'pending' && only.dueDate === warning.dueDate))
        warnings.push(warning);
    }
    await nudges.cancelOpenAll(teamId, kept, POOL_KINDS, SYSTEM_USER);
    // Replacing reads again what opened since this read: two replans at once (two saves in a row) leave one warning,
    // not two.
    await nudges.scheduleMany(teamId, warnings, { replacing: true, seen: open });
  }

  /**
   * After an admin changes the team's pool thresholds: every owned card's
   * warning is moved to the new day, a newly kept tier's cancelled and a
   * newly pooled tier's scheduled, a batch at a time in bulk writes. A card
   * already warned keeps its release.
   */
  async function replan(teamId: string): Promise<void> {
    // Past the cache: this may run on an instance that has not seen the new thresholds yet.
    const { pool: thresholds } = await settings.settingsFor(teamId, { fresh: true });
    const cards = models.customers
      .find({ teamId, ownerId: { $exists: true } }, POOL_FIELDS)
      .lean<PoolCard[]>()
      .cursor({ batchSize: BATCH });
    // Batches are of different cards: their writes never meet.
    await eachBatchInFlight(inBatches(cards, BATCH), domain.pool.replanInFlight, (batch) =>
      replanAll(teamId, batch, thresholds),
    );
  }

  /** Cards that can go to the pool warned on their days, one bulk insert; `replacing`, as `scheduleWarning`'s. */
  async function warnAll(teamId: string, cards: PoolCard[], userId: string, { replacing = false } = {}) {
    const { pool: thresholds, timezone } = await settings.settingsFor(teamId);
    const first = await nudges.firstNudgeDay(teamId);
    const many = cards
      .filter((card) => canBePooled(card, thresholds))
      .map((card) => warningOf(card, thresholds, timezone, first, userId));
    await nudges.scheduleMany(teamId, many, { replacing });
  }

  return { reschedule, scheduleWarning, settle, settleAll, replan, thresholdsOf, hasOpen, warnAll };
}

/**
 * 公海 warning: a card whose last logged contact (or claim) is `afterDays`
 * old warns its owner, who has `graceDays` to log a contact before the card
 * goes to the team pool. One open warning per card, moved by every contact;
 * a tier change only stops it, for a tier kept out of the pool. Re-checked as
 * it is posted; once posted, the release is scheduled. New thresholds move
 * the warnings already scheduled (a job: a team's cards can be many).
 */
export const poolWarningKind = {
  name: 'poolWarning',
  about: 'customer',
  // Only a logged contact keeps a card from the pool: no button snoozes the warning.
  traits: { snooze: null, answerable: true, contact: false, ownInstant: false, digest: true },
  settings: [
    // A warning before the first cadence of most tiers would nag; a year and more is no pool at all.
    { key: 'pool.afterDays', unit: 'days', default: 90, min: 14, max: 730 },
    { key: 'pool.graceDays', unit: 'days', default: 7, min: 1, max: 90 },
    { key: 'pool.excludeTiers', unit: 'tiers', default: ['top', 'large'] },
  ],
  create: ({ models, nudges, settings, pool, queue }) => {
    const rules = warningRules({ models, nudges, settings });
    return {
      on: {
        // A new card has nothing open (unless this runs again after a crash): its warning is one insert, nothing to
        // replace.
        created: async (event, { card }) => {
          if (
            card &&
            canBePooled(card, await rules.thresholdsOf(card.teamId)) &&
            !(await rules.hasOpen(card.teamId, card._id))
          ) {
            await rules.scheduleWarning(card, event.by, { replacing: false });
          }
        },
        saved: async (event, { card }) => card && rules.settle(card, event.by),
        contactLogged: async (event, { card }) => (card && event.moved ? rules.reschedule(card, event.by) : undefined),
        released: async (event, { card }) => card && nudges.cancelOpen(card.teamId, card._id, 'poolWarning', event.by),
        /**
         * Taken out of the pool, it is warned afresh from its claim; handed to
         * someone while its release was under way (the warning went to the
         * previous owner only), the new owner is warned afresh, with the whole grace period.
         */
        ownerChanged: async (event, { card, moved }) => {
          if (card && (event.fromPool || moved.includes('poolRelease'))) await rules.reschedule(card, event.by);
        },
        settingsChanged: async (event) => {
          if (event.fields.some((f) => f.startsWith('pool.'))) await queue(POOL_REPLAN_JOB, { teamId: event.teamId });
        },
        imported: async (event) =>
          rules.warnAll(
            event.teamId,
            await models.customers.find(importedCards(event), POOL_FIELDS).lean<PoolCard[]>(),
            event.by,
          ),
      },
      onBatch: {
        // A new placement only stops a warning, for a tier now kept out of the pool; only a contact restarts the count.
        ranked: async (events, cards) =>
          rules.settleAll(
            events[0]!.teamId,
            events.flatMap((e) => cards.get(e.customerId) ?? []),
            events[0]!.by,
          ),
      },
      jobs: [{ name: POOL_REPLAN_JOB, lockLifetimeMs: 60 * 60_000, run: ({ teamId }) => rules.replan(teamId) }],
      /** Cards stored before the pool existed, with an owner and no warning open, get one. */
      async carryOver(teamIds) {
        for (const teamId of teamIds) {
          const cards = models.customers
            .find({ teamId, ownerId: { $exists: true } }, POOL_FIELDS)
            .lean<PoolCard[]>()
            .cursor({ batchSize: BATCH });
          for await (const card of cards) await rules.settle(card, SYSTEM_USER);
        }
      },
      async load(nudge, { today, settings: s }) {
        const card = await models.customers
          .findOne({ _id: nudge.customerId, teamId: nudge.teamId }, POOL_FIELDS)
          .lean<PoolCard>();
        if (!card || !canBePooled(card, s.pool)) return null;
        if (!(await pool.isStale(card, today))) {
          await rules.reschedule(card, nudge.createdBy, { keeping: [nudge._id] });
          return null;
        }
        const { lastContactDate } = card;
        const { afterDays, graceDays } = s.pool;
        return {
          ownerId: card.ownerId!,
          lastContactDate,
          daysSinceContact: lastContactDate ? daysBetween(lastContactDate, today) : undefined,
          afterDays,
          graceDays,
        };
      },
      destination: (_nudge, _scope, facts) => facts.ownerId,
      render: (t, customer, nudge, facts) => renderPoolWarning(t, customer, nudge, facts),
      /** The release follows, `graceDays` after the day the warning was posted. */
      async afterPosted(warning: CustomerNudgeRecord, { today, settings: s }, facts) {
        await nudges.schedule(
          {
            _id: idFor(`${warning._id.toString()}:poolRelease`),
            teamId: warning.teamId,
            kind: 'poolRelease',
            customerId: warning.customerId,
            sourceId: warning._id,
            ownerId: facts.ownerId,
            dueDate: addDays(today, s.pool.graceDays),
            createdBy: SYSTEM_USER,
          },
          { replacing: true },
        );
      },
    };
  },
} as const satisfies KindDefinition<'poolWarning'>;

/**
 * 公海 release, `graceDays` after the warning: the card goes to the pool
 * unless a contact was logged since (then the warning is moved instead).
 * The release is told to the owner who lost the card, so it does not just
 * vanish from their list, with a Claim button to take it back while it is
 * still there; the nudge then reads `sent`, not `cancelled`, as it did its work.
 */
export const poolReleaseKind = {
  name: 'poolRelease',
  about: 'customer',
  // The app's own act, undone only by a contact: nobody snoozes or answers it.
  traits: { snooze: null, answerable: false, contact: false, ownInstant: false, digest: true },
  create: ({ models, nudges, settings, pool }) => {
    const rules = warningRules({ models, nudges, settings });
    return {
      async load(nudge, { today, settings: s }) {
        const { teamId, customerId } = nudge;
        const card = await models.customers.findOne({ _id: customerId, teamId }, POOL_FIELDS).lean<PoolCard>();
        if (!card) return null;
        // Released on an earlier attempt whose message Slack refused: tell it again.
        const { graceDays } = s.pool;
        if (card.pooledAt && card.previousOwnerId === nudge.ownerId)
          return { previousOwnerId: nudge.ownerId, graceDays };
        if (canBePooled(card, s.pool) && !(await pool.isStale(card, today))) {
          await rules.reschedule(card, nudge.createdBy);
          return null;
        }
        const released = await pool.release(teamId, customerId, today);
        return released && { previousOwnerId: released.previousOwnerId!, graceDays };
      },
      destination: (_nudge, _scope, facts) => facts.previousOwnerId,
      render: (t, customer, _nudge, facts) => renderPoolReleased(t, customer, facts),
    };
  },
} as const satisfies KindDefinition<'poolRelease'>;
