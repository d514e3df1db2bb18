import { renderNudge } from '../views/nudge.js';
import type { NudgeKindSpec } from './kind.js';

/** 跟进: the day the last visit set, to the team's nudge channel (or the owner's DM). */
export const followUpKind: NudgeKindSpec = {
  destination: (nudge, settings) => settings.nudgeChannel ?? nudge.ownerId,
  // A follow-up replaced by a later visit, or answered, is closed and never due again.
  stillHolds: async () => true,
  render: renderNudge,
};
