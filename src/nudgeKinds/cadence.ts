import { cadenceClassOf, type CadenceClass } from '../domain/cadence.js';
import type { Models } from '../models/index.js';
import { CADENCE_FIELDS, cadenceOf, type CadenceCard, type CadenceService } from '../services/cadence.js';
import { addDays, daysBetween } from '../time.js';
import { renderCadenceNudge, type CadenceFacts } from '../views/nudge.js';
import type { NudgeKindSpec } from './kind.js';

/**
 * 按层级联络: a tier's interval after the last contact, to the card's owner.
 * Re-checked as it is posted: a card with no cadence now (an ambassador, its
 * tier gone) is not nudged, and one contacted since, or whose interval grew,
 * gets its nudge moved instead.
 */
export function createCadenceKind({ models, cadence }: { models: Models; cadence: CadenceService }): NudgeKindSpec<CadenceFacts> {
  return {
    deferTo: (nudge, { today, settings }) => cadence.deferral(nudge, today, settings.timezone),
    async load(nudge, { today, settings }) {
      const { teamId, customerId } = nudge;
      const card = await models.customers.findOne({ _id: customerId, teamId }, CADENCE_FIELDS).lean<CadenceCard>();
      const interval = card && cadenceOf(card, settings.cadenceDays);
      if (!card || interval === null) return null;
      const { lastContactDate } = card;
      if (lastContactDate && lastContactDate > addDays(nudge.dueDate, -interval)) {
        await cadence.reschedule(card, nudge.createdBy, { keeping: [nudge._id] });
        return null;
      }
      const visit = await models.visits.findOne({ teamId, customerId }, { notes: 1, needs: 1 }).sort({ date: -1, createdAt: -1 }).lean();
      return {
        ownerId: card.ownerId ?? nudge.ownerId,
        cadenceClass: cadenceClassOf(card) as CadenceClass,
        interval,
        lastContactDate,
        daysSinceContact: lastContactDate ? daysBetween(lastContactDate, today) : undefined,
        topic: visit?.notes || visit?.needs || undefined,
      };
    },
    destination: (_nudge, _scope, facts) => facts.ownerId,
    render: (t, customer, nudge, facts) => renderCadenceNudge(t, customer, nudge, facts),
    async afterPosted(nudge, { today }) {
      // The next interval counts from today; a contact logged meanwhile moves it. This one stays answerable.
      // Read again: the same scan may have changed the card since it was loaded (released it to the pool).
      const card = await models.customers.findOne({ _id: nudge.customerId, teamId: nudge.teamId }, CADENCE_FIELDS).lean<CadenceCard>();
      if (card) await cadence.reschedule(card, nudge.createdBy, { from: today, keeping: [nudge._id] });
    },
  };
}
