import type { WrapUpFacts, WrapUpService } from '../services/wrapUps.js';
import { renderWrapUp } from '../views/wrapUp.js';
import type { PersonNudgeKindSpec } from './kind.js';

/**
 * 日终工作: one message per person and day, at the team's wrap-up hour, to
 * their DM (never the team channel: it is their own to-do list). Its content
 * is read as it is posted; a day with nothing in it posts nothing, and one
 * not posted by the end of its day is dropped, its "tomorrow" being today.
 */
export function createWrapUpKind({ wrapUps }: { wrapUps: WrapUpService }): PersonNudgeKindSpec<WrapUpFacts> {
  return {
    about: 'person',
    load: async (nudge, { today }) => (today > nudge.dueDate ? null : wrapUps.dayOf(nudge.teamId, nudge.ownerId, nudge.dueDate)),
    destination: (nudge) => nudge.ownerId,
    render: (t, _nudge, facts) => renderWrapUp(t, facts),
  };
}
