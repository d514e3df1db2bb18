import { isValidObjectId, Types } from 'mongoose';
import { domain } from '../config/domain.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import { addDays, todayIn, type CalendarDate } from '../time.js';
import { lastContactIn, type CadenceCard } from './cadence.js';
import type { CardEvents, RecordedEvent } from './cardEvents.js';
import { historyDoc } from './history.js';
import type { PoolThresholds, TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  writes: GuardedWrites;
  events: CardEvents;
}

/** What the pool reads of a card: the cadence's fields and who owned it before the pool. */
export type PoolCard = CadenceCard & Pick<CustomerRecord, 'previousOwnerId' | 'claimedOn'>;

export const POOL_FIELDS = {
  teamId: 1,
  ownerId: 1,
  lastContactDate: 1,
  segment: 1,
  tier: 1,
  ambassador: 1,
  version: 1,
  createdAt: 1,
  pooledAt: 1,
  previousOwnerId: 1,
  claimedOn: 1,
} as const;

/** A pooled card as `/card pool` lists it. */
export type PooledCard = Pick<
  CustomerRecord,
  '_id' | 'name' | 'number' | 'company' | 'region' | 'lastContactDate' | 'previousOwnerId'
> & { pooledAt: Date };

export interface PoolList {
  rows: PooledCard[];
  /** Every pooled card of the team, listed or not. */
  total: number;
}

export type ClaimResult = { status: 'claimed'; card: CustomerRecord } | { status: 'taken' } | { status: 'notFound' };

/**
 * A team's pooled cards. A range on the date, not `$exists`: the
 * `{teamId, pooledAt}` index holds every card (a missing date as null), and
 * only a range keeps MongoDB from reading the team's other cards too.
 */
export const pooledIn = (teamId: string) => ({ teamId, pooledAt: { $gt: new Date(0) } });
/** Who released what the app released by itself. */
const SYSTEM_USER = 'system';

/**
 * Whether the card can go to the pool: it has an owner, is not there already, and is not of a tier the team keeps with
 * its owner.
 */
export const canBePooled = (card: PoolCard, { excludeTiers }: Pick<PoolThresholds, 'excludeTiers'>): boolean =>
  Boolean(card.ownerId) && !card.pooledAt && !(card.tier && excludeTiers.includes(card.tier));

/** The day the pool counts from: the last contact, or the last claim if later. */
export function countedFrom(card: PoolCard, timezone: string): CalendarDate {
  const contact = lastContactIn(card, timezone);
  return card.claimedOn && card.claimedOn > contact ? card.claimedOn : contact;
}

/** Whether the card's last contact (or claim) is at least `afterDays` old on `today`. */
const staleOn = (
  card: PoolCard,
  today: CalendarDate,
  { afterDays }: Pick<PoolThresholds, 'afterDays'>,
  timezone: string,
): boolean => addDays(countedFrom(card, timezone), afterDays) <= today;

/**
 * 公海: a card nobody contacted for `afterDays` goes to the team's pool once
 * the warning to its owner (the poolWarning kind) is left unanswered
 * `graceDays`; from the pool anyone may claim it, the first claim winning.
 */
export function createPoolService({ models, now, settings, writes, events }: Deps) {
  /** Whether the card's last contact (or claim) is at least `afterDays` old on `today`. */
  async function isStale(card: PoolCard, today: CalendarDate): Promise<boolean> {
    const { pool: thresholds, timezone } = await settings.settingsFor(card.teamId);
    return staleOn(card, today, thresholds, timezone);
  }

  /**
   * Releases the card to the pool if it still can go and is still stale:
   * owner unset (kept as previousOwnerId), pooledAt set, history `released`,
   * announced with it (its contact reminders stop: nobody owns it).
   * Decided again on every version it meets: a contact logged meanwhile
   * wins, and any other change (an edit, the nightly ranking) is written
   * over rather than losing the release. Returns the card as released, or null.
   */
  async function release(teamId: string, customerId: Types.ObjectId, today: CalendarDate): Promise<PoolCard | null> {
    const { pool: thresholds, timezone } = await settings.settingsFor(teamId);
    const at = now();
    let announced: RecordedEvent | undefined;
    const written = await writes.updateUntilWritten<PoolCard>(models.customers, teamId, customerId, (card) => {
      if (!canBePooled(card, thresholds) || !staleOn(card, today, thresholds, timezone)) return null;
      const entry = {
        teamId,
        customerId,
        action: 'released' as const,
        userId: SYSTEM_USER,
        at,
        changes: [{ field: 'ownerId', from: card.ownerId, to: undefined }],
      };
      announced = events.withChange(
        { type: 'released', teamId, customerId: customerId.toString(), by: SYSTEM_USER },
        `${customerId.toString()}:v${card.version + 1}:released`,
      );
      return {
        set: { pooledAt: at, previousOwnerId: card.ownerId, updatedBy: SYSTEM_USER },
        unset: ['ownerId'],
        records: [{ model: models.history, doc: historyDoc(entry) }, announced.record],
      };
    });
    if (!written) return null;
    await announced!.react();
    return { ...written, ownerId: undefined };
  }

  /** The team's pooled cards, longest in the pool first. */
  async function list(teamId: string): Promise<PoolList> {
    const fields = { name: 1, number: 1, company: 1, region: 1, lastContactDate: 1, previousOwnerId: 1, pooledAt: 1 };
    const [rows, total] = await Promise.all([
      models.customers
        .find(pooledIn(teamId), fields)
        .sort({ pooledAt: 1, _id: 1 })
        .limit(domain.pool.listed)
        .lean<PooledCard[]>(),
      models.customers.countDocuments(pooledIn(teamId)),
    ]);
    return { rows, total };
  }

  /**
   * Takes a pooled card for `userId`: written only while it is still pooled,
   * so of two claims at once exactly one lands and the other finds it taken.
   * Announced as a change of owner: what waited for the previous owner
   * (follow-ups, promises, collections) is the claimer's, and the claimed card
   * gets its cadence, its ambassador's month and its pool warning again.
   */
  async function claim(teamId: string, userId: string, customerId: string): Promise<ClaimResult> {
    if (!isValidObjectId(customerId)) return { status: 'notFound' };
    const _id = new Types.ObjectId(customerId);
    const today = todayIn(now(), (await settings.settingsFor(teamId)).timezone);
    let announced: RecordedEvent | undefined;
    const claimed = await writes.updateUntilWritten<CustomerRecord>(models.customers, teamId, _id, (c) => {
      if (!c.pooledAt) return null;
      const entry = {
        teamId,
        customerId: _id,
        action: 'claimed' as const,
        userId,
        at: now(),
        changes: [{ field: 'ownerId', from: undefined, to: userId }],
      };
      const event = {
        type: 'ownerChanged',
        teamId,
        customerId,
        by: userId,
        how: 'claim',
        to: userId,
        fromPool: true,
      } as const;
      announced = events.withChange(event, `${customerId}:v${c.version + 1}:claimed`);
      return {
        set: { ownerId: userId, claimedOn: today, updatedBy: userId },
        unset: ['pooledAt'],
        records: [{ model: models.history, doc: historyDoc(entry) }, announced.record],
      };
    });
    if (!claimed) {
      const current = await models.customers.findOne({ _id, teamId }).lean<CustomerRecord>();
      if (!current) return { status: 'notFound' };
      // The same person pressing twice: the first press took it for them.
      return current.ownerId === userId ? { status: 'claimed', card: current } : { status: 'taken' };
    }
    await announced!.react();
    return { status: 'claimed', card: { ...claimed, pooledAt: undefined } };
  }

  return { isStale, release, list, claim };
}

export type PoolService = ReturnType<typeof createPoolService>;
