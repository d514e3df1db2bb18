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

/** The follow-up kind's rules: one open follow-up per customer, set by the latest visit. */
export function createFollowUpService({ nudges }: { nudges: NudgeService }) {
  /**
   * A new follow-up replaces the customer's earlier open one; the old one is
   * kept, marked superseded. Its id comes from the visit, so logging the same
   * visit twice schedules it once.
   */
  async function scheduleFollowUp({ visitId, ...input }: NewFollowUp): Promise<void> {
    await nudges.schedule({ ...input, _id: idFor(`${visitId.toString()}:followUp`), kind: 'followUp', sourceId: visitId }, { replacing: true });
  }

  /** A visit logged from a follow-up nudge answers it. */
  const completeFollowUp = (teamId: string, nudgeId: string, userId: string) => nudges.answer(teamId, nudgeId, userId);

  const nextFollowUp = (teamId: string, customerId: Types.ObjectId) => nudges.openFor(teamId, customerId, 'followUp');

  return { scheduleFollowUp, completeFollowUp, nextFollowUp };
}

export type FollowUpService = ReturnType<typeof createFollowUpService>;
