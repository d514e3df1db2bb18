import type { Models } from '../models/index.js';
import type { PromiseRecord } from '../models/promise.js';
import { promiseNudgeId } from '../services/promises.js';
import { renderPromiseNudge } from '../views/promiseNudge.js';
import type { NudgeKindSpec } from './kind.js';

/**
 * 承诺到期: on a promise's due day, to the card's owner in a DM. A promise
 * kept or moved since is not the one this nudge was scheduled for: cancelled.
 */
export function createPromiseKind({ models }: { models: Models }): NudgeKindSpec<PromiseRecord> {
  return {
    async load(nudge) {
      const promise = nudge.sourceId ? await models.promises.findOne({ _id: nudge.sourceId, teamId: nudge.teamId }).lean() : null;
      return promise?.status === 'open' && promiseNudgeId(promise).equals(nudge._id) ? promise : null;
    },
    destination: (nudge) => nudge.ownerId,
    render: (t, customer, nudge, promise) => renderPromiseNudge(t, customer, promise, nudge.ownerId),
  };
}
