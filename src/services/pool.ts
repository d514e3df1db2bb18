import { isValidObjectId, Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { idFor } from '../db/requestIds.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import { OPEN_NUDGE_STATUSES, type CustomerNudgeRecord, type NudgeKind } from '../models/nudge.js';
import type { PoolThresholds } from '../models/team.js';
import { addDays, todayIn, type CalendarDate } from '../time.js';
import { inBatches, inPool } from './batching.js';
import type { AmbassadorService } from './ambassadors.js';
import { lastContactIn, type CadenceCard, type CadenceService } from './cadence.js';
import { historyDoc } from './history.js';
import type { NudgeService } from './nudges.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  ambassadors: AmbassadorService;
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  writes: GuardedWrites;
  nudges: NudgeService;
  cadence: CadenceService;
}

/** What the pool reads of a card: the cadence's fields and who owned it before the pool. */
export type PoolCard = CadenceCard & Pick<CustomerRecord, 'previousOwnerId' | 'claimedOn'>;

export const POOL_FIELDS = { teamId: 1, ownerId: 1, lastContactDate: 1, segment: 1, tier: 1, ambassador: 1, version: 1, createdAt: 1, pooledAt: 1, previousOwnerId: 1, claimedOn: 1 } as const;

/** A pooled card as `/card pool` lists it. */
export type PooledCard = Pick<CustomerRecord, '_id' | 'name' | 'number' | 'company' | 'region' | 'lastContactDate' | 'previousOwnerId'> & { pooledAt: Date };

export interface PoolList {
  rows: PooledCard[];
  /** Every pooled card of the team, listed or not. */
  total: number;
}

export type ClaimResult = { status: 'claimed'; card: CustomerRecord } | { status: 'taken' } | { status: 'notFound' };

const POOL_KINDS = ['poolWarning', 'poolRelease'] as const;

/**
 * A team's pooled cards. A range on the date, not `$exists`: the
 * `{teamId, pooledAt}` index holds every card (a missing date as null), and
 * only a range keeps MongoDB from reading the team's other cards too.
 */
export const pooledIn = (teamId: string) => ({ teamId, pooledAt: { $gt: new Date(0) } });
/** Who released what the app released by itself. */
const SYSTEM_USER = 'system';
/** Cards a boot-time adoption reads per round trip. */
const ADOPT_BATCH = 1000;

/** Whether the card can go to the pool: it has an owner, is not there already, and is not of a tier the team keeps with its owner. */
export const canBePooled = (card: PoolCard, { excludeTiers }: Pick<PoolThresholds, 'excludeTiers'>): boolean =>
  Boolean(card.ownerId) && !card.pooledAt && !(card.tier && excludeTiers.includes(card.tier));

/** The day the pool counts from: the last contact, or the last claim if later. */
function countedFrom(card: PoolCard, timezone: string): CalendarDate {
  const contact = lastContactIn(card, timezone);
  return card.claimedOn && card.claimedOn > contact ? card.claimedOn : contact;
}

/** Whether the card's last contact (or claim) is at least `afterDays` old on `today`. */
const staleOn = (card: PoolCard, today: CalendarDate, { afterDays }: Pick<PoolThresholds, 'afterDays'>, timezone: string): boolean =>
  addDays(countedFrom(card, timezone), afterDays) <= today;

/**
 * 公海: a card not contacted for `afterDays` warns its owner (one open
 * warning per card, moved by every contact; a tier change only stops it,
 * for a tier kept out of the pool); a warning left unanswered `graceDays` releases the card to the
 * team's pool, whence anyone may claim it, the first claim winning.
 */
export function createPoolService({ models, now, settings, writes, nudges, cadence, ambassadors }: Deps) {
  const thresholdsOf = async (teamId: string) => (await settings.settingsFor(teamId)).pool;
  const hasOpen = async (teamId: string, customerId: Types.ObjectId) =>
    (await models.nudges.findOne({ teamId, customerId, kind: { $in: POOL_KINDS }, status: { $in: OPEN_NUDGE_STATUSES } }, { _id: 1 }).lean()) !== null;

  /** The day the card's warning falls due: `afterDays` after it is counted from, never before the next nudge hour. */
  async function warningDay(card: PoolCard): Promise<CalendarDate> {
    const { pool: thresholds, timezone } = await settings.settingsFor(card.teamId);
    const due = addDays(countedFrom(card, timezone), thresholds.afterDays);
    const first = await nudges.firstNudgeDay(card.teamId);
    return due > first ? due : first;
  }

  /**
   * Replaces the card's warning (but those in `keeping`) with one due
   * `afterDays` after its last contact, and cancels a release under way: a
   * contact restarts the count. A card that cannot go to
   * the pool has both cancelled. The id names the card's version, as the cadence's does.
   */
  async function reschedule(card: PoolCard, userId: string, { keeping = [] as Types.ObjectId[] } = {}): Promise<void> {
    await nudges.cancelOpen(card.teamId, card._id, 'poolRelease', userId);
    if (!canBePooled(card, await thresholdsOf(card.teamId))) return nudges.cancelOpen(card.teamId, card._id, 'poolWarning', userId);
    await scheduleWarning(card, userId, { replacing: true, keeping });
  }

  /** Schedules the card's warning on its day; returns its id. */
  async function scheduleWarning(card: PoolCard, userId: string, options: { replacing: boolean; keeping?: Types.ObjectId[] }): Promise<Types.ObjectId> {
    const dueDate = await warningDay(card);
    const _id = idFor(`${card._id.toString()}:poolWarning:${dueDate}:v${card.version}`);
    await nudges.schedule(
      {
        _id,
        teamId: card.teamId,
        kind: 'poolWarning',
        customerId: card._id,
        ownerId: card.ownerId!,
        dueDate,
        createdBy: userId,
      },
      options,
    );
    return _id;
  }

  /**
   * A new card's warning. Nothing of the card can be open yet, so it is one
   * insert (the id makes a replay the same nudge): creating cards stays as
   * cheap as it was, which matters when a team imports many at once.
   */
  async function cardCreated(card: PoolCard, userId: string): Promise<void> {
    if (canBePooled(card, await thresholdsOf(card.teamId))) await scheduleWarning(card, userId, { replacing: false });
  }

  /**
   * After a card is edited: one that can go to the pool and has no warning
   * or release open gets its warning; one that cannot has them cancelled.
   */
  async function cardSaved(card: PoolCard, userId: string): Promise<void> {
    const open = await hasOpen(card.teamId, card._id);
    // reschedule schedules the warning of the one, cancels what the other has open.
    if (canBePooled(card, await thresholdsOf(card.teamId)) ? !open : open) await reschedule(card, userId);
  }

  /** The release that follows a posted warning, `graceDays` after the day it was posted. */
  async function scheduleRelease(warning: CustomerNudgeRecord, today: CalendarDate, ownerId: string): Promise<void> {
    await nudges.schedule(
      {
        _id: idFor(`${warning._id.toString()}:poolRelease`),
        teamId: warning.teamId,
        kind: 'poolRelease',
        customerId: warning.customerId,
        sourceId: warning._id,
        ownerId,
        dueDate: addDays(today, (await thresholdsOf(warning.teamId)).graceDays),
        createdBy: SYSTEM_USER,
      },
      { replacing: true },
    );
  }

  /** Whether the card's last contact (or claim) is at least `afterDays` old on `today`. */
  async function isStale(card: PoolCard, today: CalendarDate): Promise<boolean> {
    const { pool: thresholds, timezone } = await settings.settingsFor(card.teamId);
    return staleOn(card, today, thresholds, timezone);
  }

  /**
   * Releases the card to the pool if it still can go and is still stale:
   * owner unset (kept as previousOwnerId), pooledAt set, history `released`.
   * Decided again on every version it meets: a contact logged meanwhile
   * wins, and any other change (an edit, the nightly ranking) is written
   * over rather than losing the release. Its contact nudges stop: nobody
   * owns it. Returns the card as released, or null.
   */
  async function release(teamId: string, customerId: Types.ObjectId, today: CalendarDate): Promise<PoolCard | null> {
    const { pool: thresholds, timezone } = await settings.settingsFor(teamId);
    const at = now();
    const written = await writes.updateUntilWritten<PoolCard>(models.customers, teamId, customerId, (card) => {
      if (!canBePooled(card, thresholds) || !staleOn(card, today, thresholds, timezone)) return null;
      const entry = { teamId, customerId, action: 'released' as const, userId: SYSTEM_USER, at, changes: [{ field: 'ownerId', from: card.ownerId, to: undefined }] };
      return { set: { pooledAt: at, previousOwnerId: card.ownerId, updatedBy: SYSTEM_USER }, unset: ['ownerId'], records: [{ model: models.history, doc: historyDoc(entry) }] };
    });
    if (!written) return null;
    const released = { ...written, ownerId: undefined };
    await nudges.cancelOpen(teamId, customerId, 'poolWarning', SYSTEM_USER);
    // Nobody owns an ambassador in the pool: its monthly contact would go to the owner who lost it.
    await nudges.cancelOpen(teamId, customerId, 'ambassador', SYSTEM_USER);
    await cadence.reschedule(released, SYSTEM_USER);
    return released;
  }

  /** The team's pooled cards, longest in the pool first. */
  async function list(teamId: string): Promise<PoolList> {
    const fields = { name: 1, number: 1, company: 1, region: 1, lastContactDate: 1, previousOwnerId: 1, pooledAt: 1 };
    const [rows, total] = await Promise.all([
      models.customers.find(pooledIn(teamId), fields).sort({ pooledAt: 1, _id: 1 }).limit(domain.pool.listed).lean<PooledCard[]>(),
      models.customers.countDocuments(pooledIn(teamId)),
    ]);
    return { rows, total };
  }

  /**
   * Takes a pooled card for `userId`: written only while it is still pooled,
   * so of two claims at once exactly one lands and the other finds it taken.
   * The claimed card gets its cadence and pool warning again.
   */
  async function claim(teamId: string, userId: string, customerId: string): Promise<ClaimResult> {
    if (!isValidObjectId(customerId)) return { status: 'notFound' };
    const _id = new Types.ObjectId(customerId);
    const today = todayIn(now(), (await settings.settingsFor(teamId)).timezone);
    const claimed = await writes.updateUntilWritten<CustomerRecord>(models.customers, teamId, _id, (c) => {
      if (!c.pooledAt) return null;
      const entry = { teamId, customerId: _id, action: 'claimed' as const, userId, at: now(), changes: [{ field: 'ownerId', from: undefined, to: userId }] };
      return { set: { ownerId: userId, claimedOn: today, updatedBy: userId }, unset: ['pooledAt'], records: [{ model: models.history, doc: historyDoc(entry) }] };
    });
    if (!claimed) {
      const current = await models.customers.findOne({ _id, teamId }).lean<CustomerRecord>();
      if (!current) return { status: 'notFound' };
      // The same person pressing twice: the first press took it for them.
      return current.ownerId === userId ? { status: 'claimed', card: current } : { status: 'taken' };
    }
    const card = { ...claimed, pooledAt: undefined };
    // What waited for the previous owner (follow-ups, promises, collections) is the claimer's now.
    await nudges.moveTo(teamId, _id, userId, userId);
    await ownedAgain(card, userId);
    return { status: 'claimed', card };
  }

  /**
   * After a card changed hands with its waiting nudges (`moved`, their
   * kinds): a release under way was preceded by a warning to the previous
   * owner only, so the new one is warned afresh, with the whole grace period.
   */
  async function handedOver(card: PoolCard, moved: NudgeKind[], userId: string): Promise<void> {
    if (moved.includes('poolRelease')) await reschedule(card, userId);
  }

  /** A card out of the pool (claimed, or assigned by a manager) gets its cadence, its ambassador's month and its warning again. */
  async function ownedAgain(card: CustomerRecord, userId: string): Promise<void> {
    await cadence.reschedule(card, userId);
    await ambassadors.cardSaved(card, userId);
    await reschedule(card, userId);
  }

  /**
   * After an admin changes the team's pool thresholds: every owned card's
   * warning is moved to the new day, a newly kept tier's cancelled and a
   * newly pooled tier's scheduled. A card already warned keeps its release.
   */
  async function replan(teamId: string): Promise<void> {
    // Past the cache: this may run on an instance that has not seen the new thresholds yet.
    const { pool: thresholds } = await settings.settingsFor(teamId, { fresh: true });
    const cards = models.customers.find({ teamId, ownerId: { $exists: true } }, POOL_FIELDS).lean<PoolCard[]>().cursor({ batchSize: ADOPT_BATCH });
    for await (const batch of inBatches(cards, ADOPT_BATCH)) {
      await inPool(batch, domain.pool.replanConcurrency, (card) => replanCard(card, thresholds));
    }
  }

  /** One card's part of a replan; a warning already on the right day is left as it is. */
  async function replanCard(card: PoolCard, thresholds: PoolThresholds): Promise<void> {
    const filter = { teamId: card.teamId, customerId: card._id, kind: { $in: POOL_KINDS }, status: { $in: OPEN_NUDGE_STATUSES } };
    const open = await models.nudges.find(filter, { kind: 1, status: 1, dueDate: 1 }).lean();
    if (!canBePooled(card, thresholds)) {
      if (open.length > 0) await reschedule(card, SYSTEM_USER);
      return;
    }
    // Warned already (a release under way, or a warning being posted or just posted, whose release follows): it keeps its course.
    if (open.some((n) => n.kind === 'poolRelease' || n.status === 'sending' || n.status === 'sent')) return;
    const [only, ...others] = open;
    if (only && others.length === 0 && only.status === 'pending' && only.dueDate === (await warningDay(card))) return;
    // Replacing reads what is open again: two replans at once (two saves in a row) leave one warning, not two.
    await scheduleWarning(card, SYSTEM_USER, { replacing: true });
  }

  /** Cards stored before the pool existed, with an owner and no warning open, get one (a boot step, run once). */
  async function adoptAll(teamIds: string[]): Promise<void> {
    for (const teamId of teamIds) {
      const cards = models.customers
        .find({ teamId, ownerId: { $exists: true } }, POOL_FIELDS)
        .lean<PoolCard[]>()
        .cursor({ batchSize: ADOPT_BATCH });
      for await (const card of cards) await cardSaved(card, SYSTEM_USER);
    }
  }

  return { reschedule, cardCreated, cardSaved, scheduleRelease, isStale, release, list, claim, ownedAgain, handedOver, replan, adoptAll };
}

export type PoolService = ReturnType<typeof createPoolService>;
