import { isValidObjectId, Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { isDuplicateKey } from '../db/errors.js';
import { idFor } from '../db/requestIds.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import type { FieldChange } from '../domain/diff.js';
import type { CustomerRecord } from '../models/customer.js';
import type { HandoverRecord } from '../models/handover.js';
import type { Models } from '../models/index.js';
import { mayHandOver, mayReassign, type Roles } from '../domain/roles.js';
import { todayIn } from '../time.js';
import { historyDoc } from './history.js';
import { MOVABLE_STATUSES, type NudgeService } from './nudges.js';
import type { CardEvents, RecordedEvent } from './cardEvents.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  writes: GuardedWrites;
  nudges: NudgeService;
  events: CardEvents;
}

export interface ReassignRequest {
  to: string;
  reason: string;
  by: string;
  roles: Roles;
  /** The card version the person saw: a card changed since is not reassigned over it. */
  seenVersion: number;
  requestKey?: string;
}

export type ReassignResult =
  | { status: 'reassigned'; customer: CustomerRecord; from?: string }
  | { status: 'refused' }
  | { status: 'same' }
  | { status: 'conflict' }
  | { status: 'notFound' };

/** What a handover would move, for its preview. */
export interface HandoverPreview {
  cards: number;
  reminders: number;
  promises: number;
  receivableFen: number;
}

export type HandoverResult =
  | {
      status: 'done';
      moved: number;
      skipped: number;
      fromId: string;
      toId: string;
      /** This call finished it: its summary is this call's to send. */ finished: boolean;
    }
  | { status: 'refused' }
  | { status: 'busy' };

const reassignedEntry = (teamId: string, customerId: Types.ObjectId, by: string, at: Date, changes: FieldChange[]) =>
  historyDoc({ teamId, customerId, action: 'reassigned', userId: by, at, changes });

/**
 * 交接 (DOMAIN §3, 接替者): a card given to a colleague, or every card of a
 * departing salesperson. The card's owner is the one fact that moves; what
 * follows it reads the owner from the card (promises, receivables, referrals
 * hold none), except nudges, which carry their own: the open ones are moved
 * to the card's owner after every move, so running it again finishes a move
 * that stopped half-way.
 */
export function createHandoverService({ models, now, settings, writes, nudges, events }: Deps) {
  /**
   * A change of owner as announced with its write: the pipeline moves the card's waiting reminders, the kinds do the
   * rest.
   */
  const ownerChanged = (
    card: Pick<CustomerRecord, '_id' | 'teamId' | 'version' | 'ownerId' | 'pooledAt'>,
    how: 'reassign' | 'handover',
    to: string,
    by: string,
  ) =>
    events.withChange(
      {
        type: 'ownerChanged',
        teamId: card.teamId,
        customerId: card._id.toString(),
        by,
        how,
        to,
        fromPool: Boolean(card.pooledAt),
        ...(card.ownerId ? { from: card.ownerId } : {}),
      },
      `${card._id.toString()}:v${card.version + 1}:ownerChanged`,
    );

  /** Reassign on a card: to a colleague, with a reason, from the version the person saw. */
  async function reassign(teamId: string, customerId: string, request: ReassignRequest): Promise<ReassignResult> {
    const _id = isValidObjectId(customerId) ? new Types.ObjectId(customerId) : null;
    const current = _id && (await models.customers.findOne({ _id, teamId }).lean());
    if (!current) return { status: 'notFound' };
    if (!mayReassign(current, request.by, request.roles)) return { status: 'refused' };
    if (current.version !== request.seenVersion) {
      const outcome = await writes.staleOutcome(models.customers, current._id, request.seenVersion, request.requestKey);
      if (outcome !== 'replayed') return { status: 'conflict' };
      // The same request landed before, its event with it, and may have stopped before the kinds reacted: they react
      // again.
      await events.again(teamId, `${current._id.toString()}:v${request.seenVersion + 1}:ownerChanged`);
      return { status: 'reassigned', customer: current };
    }
    if (current.ownerId === request.to) return { status: 'same' };
    const changes = [
      { field: 'ownerId', from: current.ownerId, to: request.to },
      { field: 'reassignReason', from: undefined, to: request.reason },
    ];
    // A pooled card given to someone leaves the pool, as a claim takes it: its count starts again today.
    const fromPool = current.pooledAt
      ? { claimedOn: todayIn(now(), (await settings.settingsFor(teamId)).timezone) }
      : undefined;
    const announced = ownerChanged(current, 'reassign', request.to, request.by);
    const outcome = await writes.writeIfUnchanged({
      teamId,
      model: models.customers,
      id: current._id,
      version: current.version,
      set: { ownerId: request.to, updatedBy: request.by, ...fromPool },
      ...(fromPool ? { unset: ['pooledAt'] } : {}),
      records: [
        { model: models.history, doc: reassignedEntry(teamId, current._id, request.by, now(), changes) },
        announced.record,
      ],
      requestKey: request.requestKey,
    });
    if (outcome === 'notFound') return { status: 'notFound' };
    if (outcome === 'conflict') return { status: 'conflict' };
    await announced.react();
    const customer = {
      ...current,
      ownerId: request.to,
      updatedBy: request.by,
      ...fromPool,
      pooledAt: undefined,
      version: current.version + 1,
    };
    return { status: 'reassigned', customer, from: current.ownerId };
  }

  /** The ids of `ownerId`'s cards, a batch at a time, in id order. */
  async function* cardIdsOf(teamId: string, ownerId: string): AsyncGenerator<Types.ObjectId[]> {
    let after: Types.ObjectId | undefined;
    for (;;) {
      const filter = { teamId, ownerId, ...(after ? { _id: { $gt: after } } : {}) };
      const batch = await models.customers
        .find(filter, { _id: 1 })
        .sort({ _id: 1 })
        .limit(domain.handover.batchSize)
        .lean();
      if (batch.length > 0) yield batch.map((c) => c._id);
      if (batch.length < domain.handover.batchSize) return;
      after = batch.at(-1)!._id;
    }
  }

  async function preview(teamId: string, fromId: string): Promise<HandoverPreview> {
    const result: HandoverPreview = { cards: 0, reminders: 0, promises: 0, receivableFen: 0 };
    for await (const ids of cardIdsOf(teamId, fromId)) {
      result.cards += ids.length;
      result.reminders += await models.nudges.countDocuments({
        teamId,
        customerId: { $in: ids },
        status: { $in: MOVABLE_STATUSES },
      });
      result.promises += await models.promises.countDocuments({ teamId, customerId: { $in: ids }, status: 'open' });
      const ledgers = await models.ledgers
        .find({ teamId, _id: { $in: ids }, outstandingFen: { $gt: 0 } }, { outstandingFen: 1 })
        .lean();
      result.receivableFen += ledgers.reduce((sum, l) => sum + l.outstandingFen, 0);
    }
    return result;
  }

  /**
   * Moves one card of `fromId` to `toId`, whatever else changed on it meanwhile; false when it is no longer `fromId`'s.
   */
  async function handOverCard(
    teamId: string,
    id: Types.ObjectId,
    fromId: string,
    toId: string,
    by: string,
  ): Promise<boolean> {
    let announced: RecordedEvent | undefined;
    const moved = await writes.updateUntilWritten<CustomerRecord>(models.customers, teamId, id, (card) => {
      if (card.ownerId !== fromId) return null;
      announced = ownerChanged(card, 'handover', toId, by);
      const entry = reassignedEntry(teamId, id, by, now(), [{ field: 'ownerId', from: fromId, to: toId }]);
      return {
        set: { ownerId: toId, updatedBy: by },
        records: [{ model: models.history, doc: entry }, announced.record],
      };
    });
    if (moved) await announced!.react();
    return moved !== null;
  }

  /** Cards moved before a runner died: their nudges still name `fromId`; each goes to its card's owner now. */
  async function finishStrayNudges(teamId: string, fromId: string, by: string): Promise<void> {
    const stray = await models.nudges.distinct('customerId', {
      teamId,
      ownerId: fromId,
      status: { $in: MOVABLE_STATUSES },
      customerId: { $exists: true },
    });
    for (const customerId of stray) {
      const card = await models.customers.findOne({ _id: customerId, teamId }, { ownerId: 1 }).lean();
      if (card?.ownerId && card.ownerId !== fromId) await nudges.moveTo(teamId, customerId, card.ownerId, by);
    }
  }

  /** Takes the handover named by `requestId`: a new one, or one whose runner died; null when it is done or running. */
  async function claim(
    teamId: string,
    _id: Types.ObjectId,
    fresh: Omit<
      HandoverRecord,
      '_id' | 'teamId' | 'state' | 'version' | 'leaseUntil' | 'moved' | 'skipped' | 'createdAt'
    >,
  ) {
    const leaseUntil = new Date(now().getTime() + domain.handover.leaseMs);
    try {
      const created = await models.handovers.create({
        _id,
        teamId,
        ...fresh,
        state: 'running',
        version: 1,
        leaseUntil,
        moved: 0,
        skipped: 0,
        createdAt: now(),
      });
      return { taken: created.toObject() as HandoverRecord };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const existing = await models.handovers.findOne({ _id, teamId }).lean();
    if (!existing || existing.state === 'done' || existing.leaseUntil > now()) return { existing };
    const outcome = await writes.writeIfUnchanged({
      teamId,
      model: models.handovers,
      id: _id,
      version: existing.version,
      set: { leaseUntil },
    });
    return outcome === 'written' ? { taken: { ...existing, leaseUntil, version: existing.version + 1 } } : { existing };
  }

  /**
   * Moves every card of `fromId` to `toId`, once per request id: two Confirm
   * clicks at once move them once, and a Confirm after a runner died finishes
   * its work. Refused, changing nothing, unless `roles` may hand over.
   */
  async function handOver(
    teamId: string,
    request: { requestId: string; fromId: string; toId: string; by: string; roles: Roles },
  ): Promise<HandoverResult> {
    if (!mayHandOver(request.roles) || request.fromId === request.toId) return { status: 'refused' };
    const _id = idFor(`${teamId}:handover:${request.requestId}`);
    const { taken, existing } = await claim(teamId, _id, {
      fromId: request.fromId,
      toId: request.toId,
      by: request.by,
    });
    if (!taken) {
      if (existing?.state !== 'done') return { status: 'busy' };
      return {
        status: 'done',
        moved: existing.moved,
        skipped: existing.skipped,
        fromId: existing.fromId,
        toId: existing.toId,
        finished: false,
      };
    }
    const { fromId, toId } = taken;
    let moved = 0;
    let skipped = 0;
    for await (const ids of cardIdsOf(teamId, fromId)) {
      for (const id of ids) {
        if (await handOverCard(teamId, id, fromId, toId, request.by)) moved += 1;
        else skipped += 1;
      }
    }
    await finishStrayNudges(teamId, fromId, request.by);
    const outcome = await writes.writeIfUnchanged({
      teamId,
      model: models.handovers,
      id: _id,
      version: taken.version,
      set: { state: 'done', moved, skipped },
    });
    return { status: 'done', moved, skipped, fromId, toId, finished: outcome === 'written' };
  }

  return { reassign, preview, handOver };
}

export type HandoverService = ReturnType<typeof createHandoverService>;
