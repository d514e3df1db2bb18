import type { Types } from 'mongoose';
import { idFor } from '../db/requestIds.js';
import type { CalendarDate } from '../time.js';
import type { NudgeService } from './nudges.js';

export interface NewFollowUp {
  teamId: string;
  customerId: Types.ObjectId;
  visitId: Types.ObjectId;
  ownerId: string;
  dueDate: CalendarDate;
  plan?: string;
  createdBy: string;
}

/** The follow-up a visit sets: its id comes from the visit. */
const followUpId = (visitId: Types.ObjectId) => idFor(`${visitId.toString()}:followUp`);

/** The follow-up kind's rules: one open follow-up per customer, set by the latest visit. */
export function createFollowUpService({ nudges }: { nudges: NudgeService }) {
  /**
   * A new follow-up replaces the customer's earlier open one; the old one is
   * kept, marked superseded. Its id comes from the visit, so logging the same
   * visit twice schedules it once.
   */
  async function scheduleFollowUp({ visitId, ...input }: NewFollowUp): Promise<void> {
    await nudges.schedule({ ...input, _id: followUpId(visitId), kind: 'followUp', sourceId: visitId }, { replacing: true });
  }

  /** A visit logged from a follow-up nudge answers it. */
  const completeFollowUp = (teamId: string, nudgeId: string, userId: string) => nudges.answer(teamId, nudgeId, userId);

  const nextFollowUp = (teamId: string, customerId: Types.ObjectId) => nudges.openFor(teamId, customerId, 'followUp');

  return { scheduleFollowUp, completeFollowUp, nextFollowUp, followUpId };
}

export type FollowUpService = ReturnType<typeof createFollowUpService>;
