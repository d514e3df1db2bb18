import { renderNudge } from '../views/nudge.js';
import type { NudgeKindSpec } from './kind.js';

/** 售后回访: a week after a sale, to the card's owner, to ask how the product is working. */
export const checkInKind: NudgeKindSpec<object> = {
  load: async () => ({}),
  destination: (nudge) => nudge.ownerId,
  render: (t, customer, nudge) => renderNudge(t, customer, nudge),
};
