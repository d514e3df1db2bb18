import { Types } from 'mongoose';
import type { PromiseRecord } from '../models/promise.js';
import { promiseNudgeId } from '../services/promises.js';
import { renderPromiseNudge } from '../views/promiseNudge.js';
import type { KindDeps } from './deps.js';
import type { KindDefinition } from './kind.js';

/** Promises an earlier release stored had no version: read this many at a time as they are taken up. */
const ADOPT_BATCH = 500;

type NudgedPromise = Pick<PromiseRecord, '_id' | 'teamId' | 'customerId' | 'text' | 'dueDate' | 'version'>;

function scheduler({ nudges }: Pick<KindDeps, 'nudges'>) {
  return (promise: NudgedPromise, ownerId: string, createdBy: string) =>
    nudges.schedule({
      _id: promiseNudgeId(promise),
      teamId: promise.teamId,
      kind: 'promise',
      customerId: promise.customerId,
      sourceId: promise._id,
      ownerId,
      dueDate: promise.dueDate,
      plan: promise.text,
      createdBy,
    });
}

/**
 * 承诺到期: on a promise's due day, to the card's owner in a DM. A promise
 * made on a visit is nudged; one moved to another day has its nudge moved
 * with it; one kept or moved since is not the one a nudge was scheduled
 * for, so that nudge is cancelled as it comes due.
 */
export const promiseKind = {
  name: 'promise',
  about: 'customer',
  traits: {
    snooze: { action: 'promiseRescheduled', field: 'promiseDue' },
    answerable: true,
    contact: false,
    ownInstant: false,
    digest: true,
  },
  create: ({ models, nudges }) => {
    const schedule = scheduler({ nudges });
    return {
      on: {
        async contactLogged({ teamId, visitId, by }, { card }) {
          const made = await models.promises.find({ teamId, visitId: new Types.ObjectId(visitId) }).lean();
          for (const promise of made) await schedule(promise, card?.ownerId ?? by, by);
        },
        async promiseMoved({ teamId, promiseId, previousVersion, previousDueDate, by }, { card }) {
          const promise = await models.promises.findOne({ _id: new Types.ObjectId(promiseId), teamId }).lean();
          if (!promise) return;
          // Its nudge goes to whoever owns the card now, as a visit's would.
          await schedule(promise, card?.ownerId ?? by, by);
          await nudges.supersede(
            teamId,
            promiseNudgeId({ _id: promise._id, version: previousVersion, dueDate: previousDueDate }),
            by,
          );
        },
      },
      /**
       * Promises an earlier release stored had no version and no reminder:
       * each open one gets its nudge (to the card's owner now), then version
       * 1, so a boot interrupted half-way, or two at once, schedule each once.
       */
      // An instance of an earlier release may still write them during a rolling upgrade: taken up at every boot.
      carryOverEveryBoot: true,
      async carryOver() {
        for (;;) {
          const batch = await models.promises
            .find({ version: { $exists: false } })
            .limit(ADOPT_BATCH)
            .lean();
          for (const old of batch) {
            const card = await models.customers
              .findOne({ _id: old.customerId, teamId: old.teamId }, { ownerId: 1 })
              .lean();
            if (old.status === 'open')
              await schedule({ ...old, version: 1 }, card?.ownerId ?? old.createdBy, old.createdBy);
            await models.promises.updateOne(
              { _id: old._id, teamId: old.teamId, version: { $exists: false } },
              { $set: { version: 1 } },
            );
          }
          if (batch.length < ADOPT_BATCH) return;
        }
      },
      async load(nudge) {
        const promise = nudge.sourceId
          ? await models.promises.findOne({ _id: nudge.sourceId, teamId: nudge.teamId }).lean()
          : null;
        return promise?.status === 'open' && promiseNudgeId(promise).equals(nudge._id) ? promise : null;
      },
      destination: (nudge) => nudge.ownerId,
      render: (t, customer, nudge, promise) => renderPromiseNudge(t, customer, promise, nudge.ownerId),
    };
  },
} as const satisfies KindDefinition<'promise'>;
