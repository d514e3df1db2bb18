import type { Types } from 'mongoose';
import { idFor, newIdFor } from '../db/requestIds.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import type { VisitRecord } from '../models/visit.js';
import { promisesOf, type VisitFormInput } from '../validation/visitInput.js';
import type { AmbassadorService } from './ambassadors.js';
import type { CadenceService } from './cadence.js';
import type { CustomerService } from './customers.js';
import type { FollowUpService } from './followUps.js';
import type { HistoryService } from './history.js';
import type { NudgeService } from './nudges.js';
import type { PoolService } from './pool.js';
import type { ReferralService } from './referrals.js';
import type { PromiseService } from './promises.js';

interface Deps {
  models: Models;
  now: () => Date;
  customers: CustomerService;
  nudges: NudgeService;
  followUps: FollowUpService;
  ambassadors: AmbassadorService;
  cadence: CadenceService;
  pool: PoolService;
  history: HistoryService;
  promises: PromiseService;
  writes: GuardedWrites;
  referrals: ReferralService;
}

export interface LoggedVisit {
  customer: CustomerRecord;
  visit: VisitRecord;
}

export interface LogVisitOptions {
  /** The nudge this visit answers. */
  followUpId?: string;
  /** The submission that logged it: the same submission again logs nothing new. */
  requestKey?: string;
}

function visitFields(input: VisitFormInput) {
  const { date, kind, notes, needs, materialRequested, attitude, visitWelcome, lastPurchaseDate, purchaseQuantity } = input;
  const { purchaseKinds, stockOnHand, nextFollowUpDate, nextFollowUpPlan } = input;
  return {
    date, kind, notes, needs, materialRequested, attitude, visitWelcome, lastPurchaseDate, purchaseQuantity,
    purchaseKinds, stockOnHand, nextFollowUpDate, nextFollowUpPlan,
  };
}

/**
 * Every step of logging a visit is keyed by the visit's id, so a delivery
 * processed twice, or one finished after a crash, has the effect of one.
 */
export function createVisitService({ models, now, customers, nudges, followUps, ambassadors, cadence, pool, history, promises, writes, referrals }: Deps) {
  async function scheduleNext(customer: CustomerRecord, visit: VisitRecord, userId: string): Promise<void> {
    if (!visit.nextFollowUpDate) return;
    await followUps.scheduleFollowUp({
      teamId: customer.teamId,
      customerId: customer._id,
      visitId: visit._id,
      ownerId: customer.ownerId ?? userId,
      dueDate: visit.nextFollowUpDate,
      plan: visit.nextFollowUpPlan,
      createdBy: userId,
    });
  }

  /**
   * Moves the card's last contact forward, never backward (visits are logged
   * late too); a contact that moved it restarts an ambassador's month, the tier's interval and the pool's count.
   */
  async function touchLastContact(customer: CustomerRecord, date: string, userId: string): Promise<void> {
    const moved = await writes.updateUntilWritten<CustomerRecord>(models.customers, customer.teamId, customer._id, (c) =>
      c.lastContactDate && c.lastContactDate >= date ? null : { set: { lastContactDate: date } },
    );
    if (!moved) return;
    await ambassadors.contactLogged(moved, userId);
    await cadence.reschedule(moved, userId);
    await pool.reschedule(moved, userId);
  }

  async function insertVisit(_id: Types.ObjectId, customer: CustomerRecord, input: VisitFormInput, userId: string): Promise<VisitRecord> {
    await writes.insertOnce(models.visits, { ...visitFields(input), _id, teamId: customer.teamId, customerId: customer._id, createdBy: userId });
    return (await models.visits.findOne({ _id, teamId: customer.teamId }).lean())!;
  }

  /** Stores a visit or call, its promises and next follow-up, and moves the card's last contact forward. */
  async function logVisit(
    teamId: string,
    userId: string,
    customerId: string,
    input: VisitFormInput,
    { followUpId, requestKey }: LogVisitOptions = {},
  ): Promise<LoggedVisit | null> {
    const customer = await customers.findCustomer(teamId, customerId);
    if (!customer) return null;
    const visit = await insertVisit(newIdFor(requestKey, 'visit'), customer, input, userId);
    await promises.record(visit, promisesOf(input), customer.ownerId ?? userId, userId);
    if (followUpId) await followUps.completeFollowUp(teamId, followUpId, userId);
    await scheduleNext(customer, visit, userId);
    await touchLastContact(customer, visit.date, userId);
    await referrals.recordFirstContact(teamId, customer._id);
    // A prospect who asked for material is in their owner's wrap-up that day.
    if (visit.materialRequested && customer.segment !== 'current') await nudges.scheduleWrapUp(teamId, customer.ownerId ?? userId, visit.date, userId);
    await history.recordHistory(
      { teamId, customerId: customer._id, action: 'visit', userId, at: now(), visitId: visit._id },
      idFor(`${visit._id.toString()}:history`),
    );
    return { customer, visit };
  }

  return { logVisit };
}

export type VisitService = ReturnType<typeof createVisitService>;
