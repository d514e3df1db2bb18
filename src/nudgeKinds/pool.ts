import type { Models } from '../models/index.js';
import { canBePooled, POOL_FIELDS, type PoolCard, type PoolService } from '../services/pool.js';
import { daysBetween } from '../time.js';
import { renderPoolReleased, renderPoolWarning, type PoolReleasedFacts, type PoolWarningFacts } from '../views/pool.js';
import type { NudgeKindSpec } from './kind.js';

/**
 * 公海 warning: `afterDays` without a logged contact, to the card's owner,
 * who has `graceDays` to log one. Re-checked as it is posted: a card that
 * cannot go to the pool now is not warned, one contacted since has its
 * warning moved. Once posted, the release is scheduled.
 */
export function createPoolWarningKind({ models, pool }: { models: Models; pool: PoolService }): NudgeKindSpec<PoolWarningFacts> {
  return {
    async load(nudge, { today, settings }) {
      const card = await models.customers.findOne({ _id: nudge.customerId, teamId: nudge.teamId }, POOL_FIELDS).lean<PoolCard>();
      if (!card || !canBePooled(card, settings.pool)) return null;
      if (!(await pool.isStale(card, today))) {
        await pool.reschedule(card, nudge.createdBy, { keeping: [nudge._id] });
        return null;
      }
      const { lastContactDate } = card;
      const { afterDays, graceDays } = settings.pool;
      return { ownerId: card.ownerId!, lastContactDate, daysSinceContact: lastContactDate ? daysBetween(lastContactDate, today) : undefined, afterDays, graceDays };
    },
    destination: (_nudge, _scope, facts) => facts.ownerId,
    render: (t, customer, nudge, facts) => renderPoolWarning(t, customer, nudge, facts),
    afterPosted: (nudge, { today }, facts) => pool.scheduleRelease(nudge, today, facts.ownerId),
  };
}

/**
 * 公海 release, `graceDays` after the warning: the card goes to the pool
 * unless a contact was logged since (then the warning is moved instead).
 * The release is told to the owner who lost the card, so it does not just
 * vanish from their list, with a Claim button to take it back while it is
 * still there; the nudge then reads `sent`, not `cancelled`, as it did its work.
 */
export function createPoolReleaseKind({ models, pool }: { models: Models; pool: PoolService }): NudgeKindSpec<PoolReleasedFacts> {
  return {
    async load(nudge, { today, settings }) {
      const { teamId, customerId } = nudge;
      const card = await models.customers.findOne({ _id: customerId, teamId }, POOL_FIELDS).lean<PoolCard>();
      if (!card) return null;
      // Released on an earlier attempt whose message Slack refused: tell it again.
      const { graceDays } = settings.pool;
      if (card.pooledAt && card.previousOwnerId === nudge.ownerId) return { previousOwnerId: nudge.ownerId, graceDays };
      if (canBePooled(card, settings.pool) && !(await pool.isStale(card, today))) {
        await pool.reschedule(card, nudge.createdBy);
        return null;
      }
      const released = await pool.release(teamId, customerId, today);
      return released && { previousOwnerId: released.previousOwnerId!, graceDays };
    },
    destination: (_nudge, _scope, facts) => facts.previousOwnerId,
    render: (t, customer, _nudge, facts) => renderPoolReleased(t, customer, facts),
  };
}
