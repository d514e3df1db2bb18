import type { CadenceService } from '../services/cadence.js';
import { renderNudge } from '../views/nudge.js';
import type { NudgeKindSpec } from './kind.js';

/** 跟进: the day the last visit set, to the team's nudge channel (or the owner's DM). */
export function createFollowUpKind({ cadence }: { cadence: CadenceService }): NudgeKindSpec<object> {
  return {
    // One contact nudge per customer a day: it waits for one posted earlier today.
    deferTo: (nudge, { today, settings }) => cadence.deferral(nudge, today, settings.timezone),
    // A follow-up replaced by a later visit, or answered, is closed and never due again.
    load: async () => ({}),
    destination: (nudge, { settings }) => settings.nudgeChannel ?? nudge.ownerId,
    render: (t, customer, nudge) => renderNudge(t, customer, nudge),
  };
}
