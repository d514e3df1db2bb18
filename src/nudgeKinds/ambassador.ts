import { domain } from '../config/domain.js';
import type { Models } from '../models/index.js';
import type { AmbassadorService } from '../services/ambassadors.js';
import type { CadenceService } from '../services/cadence.js';
import { addDays, daysBetween } from '../time.js';
import { renderAmbassadorNudge, type AmbassadorFacts } from '../views/nudge.js';
import type { NudgeKindSpec } from './kind.js';

/**
 * 宣传大使联络: a cadence after an ambassador's last contact, to the card's
 * owner. Re-checked as it is posted: a card no longer an ambassador is not
 * nudged, and one contacted since it was scheduled (by a path that did not
 * move it, or while it was being claimed) gets its month restarted instead.
 */
export function createAmbassadorKind({ models, ambassadors, cadence }: { models: Models; ambassadors: AmbassadorService; cadence: CadenceService }): NudgeKindSpec<AmbassadorFacts> {
  return {
    // A follow-up or check-in due the same day asks for the contact already.
    deferTo: (nudge, { today, settings }) => cadence.deferral(nudge, today, settings.timezone),
    async load(nudge, { today }) {
      const { teamId, customerId } = nudge;
      const card = await models.customers.findOne({ _id: customerId, teamId }, { teamId: 1, ambassador: 1, ownerId: 1, lastContactDate: 1 }).lean();
      if (!card?.ambassador) return null;
      const { lastContactDate } = card;
      if (lastContactDate && lastContactDate > addDays(nudge.dueDate, -domain.ambassador.cadenceDays)) {
        await ambassadors.scheduleNext(card, nudge.createdBy, { keeping: [nudge._id] });
        return null;
      }
      const visit = await models.visits.findOne({ teamId, customerId }, { notes: 1, needs: 1 }).sort({ date: -1, createdAt: -1 }).lean();
      return {
        ownerId: card.ownerId ?? nudge.ownerId,
        lastContactDate,
        daysSinceContact: lastContactDate ? daysBetween(lastContactDate, today) : undefined,
        topic: visit?.notes || visit?.needs || undefined,
      };
    },
    destination: (_nudge, _scope, facts) => facts.ownerId,
    render: (t, customer, nudge, facts) => renderAmbassadorNudge(t, customer, nudge, facts),
    async afterPosted(nudge, { today }, facts) {
      // The next month counts from today; a contact logged meanwhile moves it. This one stays answerable.
      const card = { _id: nudge.customerId, teamId: nudge.teamId, ambassador: true, ownerId: facts.ownerId };
      await ambassadors.scheduleNext(card, nudge.createdBy, { from: today, keeping: [nudge._id] });
    },
  };
}
