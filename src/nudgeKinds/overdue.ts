import { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { idFor } from '../db/requestIds.js';
import {
  collectionQuadrant,
  daysOverdue,
  type CollectionQuadrant,
  type CollectionThresholds,
} from '../domain/collection.js';
import type { CustomerRecord } from '../models/customer.js';
import type { NudgeRecord } from '../models/nudge.js';
import { inBatches } from '../services/batching.js';
import type { TeamSettings } from '../services/teamSettings.js';
import { addDays } from '../time.js';
import { renderOverdueNudge } from '../views/overdueNudge.js';
import { ownersOf, type KindDeps } from './deps.js';
import type { KindDefinition } from './kind.js';

/** Reminder letters get firmer every repeat while a small debt stays long overdue: 1, 2, 3. */
function letterLevel(days: number, { longAfterDays, repeatEveryDays }: CollectionThresholds): number {
  const { maxLetterLevel } = domain.collection;
  return Math.min(1 + Math.floor((days - longAfterDays) / repeatEveryDays), maxLetterLevel);
}

/** Who acts on each quadrant: finance on small debts, the owner on large ones, with the manager when long. */
function recipients(quadrant: CollectionQuadrant, nudge: NudgeRecord, settings: TeamSettings): string[] {
  const finance = settings.financeUserIds[0] ?? nudge.ownerId;
  if (quadrant === 'shortSmall' || quadrant === 'longSmall') return [finance];
  if (quadrant === 'shortLarge') return [nudge.ownerId];
  return [...new Set([nudge.ownerId, settings.managerUserIds[0] ?? nudge.ownerId])];
}

/** Ledgers whose owner is copied per bulk write (the carry-over reads their cards as many at a time). */
const OWNER_BATCH = 500;

/**
 * Each card's ledger named after its owner now (none in the pool), in one bulk write; a card without a ledger matches
 * nothing. A write lands only on a ledger not already saying so, so running it again changes nothing.
 */
async function followOwner(
  models: KindDeps['models'],
  cards: Pick<CustomerRecord, '_id' | 'teamId' | 'ownerId'>[],
): Promise<void> {
  if (cards.length === 0) return;
  await models.ledgers.collection.bulkWrite(
    cards.map(({ _id, teamId, ownerId }) => ({
      updateOne: ownerId
        ? { filter: { _id, teamId, ownerId: { $ne: ownerId } }, update: { $set: { ownerId } } }
        : { filter: { _id, teamId, ownerId: { $exists: true } }, update: { $unset: { ownerId: '' } } },
    })),
    { ordered: false },
  );
}

/**
 * 回收账款: the day the unpaid part of a sale becomes overdue (at once if it
 * already is), then every `collection.repeatEveryDays` while it stays
 * unpaid, shaped by the collection matrix as it is posted (so one that
 * crosses into another quadrant gets that quadrant's nudge). A paid one is
 * cancelled instead of posted.
 */
export const overdueKind = {
  name: 'overdue',
  about: 'customer',
  traits: {
    snooze: { action: 'overdueSnoozed', field: 'overdueReminderDate' },
    answerable: true,
    contact: false,
    ownInstant: false,
    digest: true,
  },
  settings: [
    { key: 'collection.longAfterDays', unit: 'days', default: 30, min: 1, max: 365 },
    // Asked in yuan (¥10,000 by default), stored in fen.
    { key: 'collection.largeFromFen', unit: 'yuan', default: 10_000_00, min: 1, max: 1_000_000 },
    { key: 'collection.repeatEveryDays', unit: 'days', default: 7, min: 1, max: 90 },
  ],
  create: ({ models, nudges }) => ({
    on: {
      // The debt follows the card: Home lists a person's overdue customers by the ledger's owner.
      ownerChanged: async (_event, { card }) => card && followOwner(models, [card]),
      released: async (_event, { card }) => card && followOwner(models, [card]),
      async saleRecorded({ teamId, saleId }, { card }) {
        const sale = await models.sales.findOne({ _id: new Types.ObjectId(saleId), teamId }).lean();
        if (!card || !sale?.dueDate) return;
        await nudges.schedule({
          _id: idFor(`${sale._id.toString()}:overdue:first`),
          teamId,
          kind: 'overdue',
          customerId: card._id,
          sourceId: sale._id,
          ownerId: card.ownerId ?? sale.createdBy,
          dueDate: addDays(sale.dueDate, 1),
          createdBy: sale.createdBy,
        });
      },
      /**
       * A sales history brought in: each sale left unpaid is chased from the day after it falls due, as a recorded one
       * is (one already overdue at the next nudge hour), all in one bulk insert.
       */
      async salesImported({ teamId, saleIds }) {
        const sales = await models.sales
          .find(
            { teamId, _id: { $in: saleIds.map((id) => new Types.ObjectId(id)) }, dueDate: { $exists: true } },
            { customerId: 1, dueDate: 1, createdBy: 1 },
          )
          .lean();
        const owners = await ownersOf(models, teamId, sales);
        await nudges.scheduleMany(
          teamId,
          sales.map((sale) => ({
            _id: idFor(`${sale._id.toString()}:overdue:first`),
            teamId,
            kind: 'overdue',
            customerId: sale.customerId,
            sourceId: sale._id,
            ownerId: owners.get(sale.customerId.toString()) ?? sale.createdBy,
            dueDate: addDays(sale.dueDate!, 1),
            createdBy: sale.createdBy,
          })),
        );
      },
    },
    /** Ledgers opened before they named the card's owner are given it, a batch of cards at a time. */
    async carryOver(teamIds) {
      for (const teamId of teamIds) {
        const ledgers = models.ledgers
          .find({ teamId, ownerId: { $exists: false } }, { _id: 1 })
          .lean()
          .cursor({ batchSize: OWNER_BATCH });
        for await (const batch of inBatches(ledgers, OWNER_BATCH)) {
          const cards = await models.customers
            .find({ teamId, _id: { $in: batch.map((l) => l._id) } }, { teamId: 1, ownerId: 1 })
            .lean();
          await followOwner(models, cards);
        }
      }
    },
    async load(nudge, { settings, today }) {
      const ledger = await models.ledgers.findOne({ _id: nudge.customerId, teamId: nudge.teamId }).lean();
      const receivable = ledger?.receivables.find((r) => nudge.sourceId && r._id.equals(nudge.sourceId));
      const outstandingFen = receivable ? receivable.amountFen - receivable.settledFen : 0;
      if (!receivable || outstandingFen <= 0) return null;
      const days = daysOverdue(receivable.dueDate, today);
      if (days <= 0) return null;
      const quadrant = collectionQuadrant(days, outstandingFen, settings.collection);
      return {
        dueDate: receivable.dueDate,
        outstandingFen,
        days,
        quadrant,
        letterLevel: letterLevel(days, settings.collection),
        recipients: recipients(quadrant, nudge, settings),
      };
    },
    destination: (_nudge, { settings }, facts) => settings.nudgeChannel ?? facts.recipients[0]!,
    render: (t, customer, nudge, facts) => renderOverdueNudge(t, customer, nudge, facts),
    async afterPosted(nudge, { today, settings }) {
      const dueDate = addDays(today, settings.collection.repeatEveryDays);
      await nudges.schedule({
        _id: idFor(`${nudge.sourceId!.toString()}:overdue:${dueDate}`),
        teamId: nudge.teamId,
        kind: 'overdue',
        customerId: nudge.customerId,
        sourceId: nudge.sourceId,
        ownerId: nudge.ownerId,
        dueDate,
        createdBy: nudge.createdBy,
      });
    },
  }),
} as const satisfies KindDefinition<'overdue'>;
