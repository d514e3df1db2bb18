import { renderNudge } from '../views/nudge.js';
import type { NudgeKindSpec } from './kind.js';

/** 跟进: the day the last visit set, to the team's nudge channel (or the owner's DM). */
export const followUpKind: NudgeKindSpec<object> = {
  // A follow-up replaced by a later visit, or answered, is closed and never due again.
  load: async () => ({}),
  destination: (nudge, { settings }) => settings.nudgeChannel ?? nudge.ownerId,
  render: (t, customer, nudge) => renderNudge(t, customer, nudge),
};
