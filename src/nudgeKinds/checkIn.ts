import type { CadenceService } from '../services/cadence.js';
import { renderNudge } from '../views/nudge.js';
import type { NudgeKindSpec } from './kind.js';

/** 售后回访: a week after a sale, to the card's owner, to ask how the product is working. */
export function createCheckInKind({ cadence }: { cadence: CadenceService }): NudgeKindSpec<object> {
  return {
    // One contact nudge per customer a day: a follow-up due the same day goes first.
    deferTo: (nudge, { today, settings }) => cadence.deferral(nudge, today, settings.timezone),
    load: async () => ({}),
    destination: (nudge) => nudge.ownerId,
    render: (t, customer, nudge) => renderNudge(t, customer, nudge),
  };
}
