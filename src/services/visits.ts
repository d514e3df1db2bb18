import type { Types } from 'mongoose';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import type { VisitRecord } from '../models/visit.js';
import { promisesOf, type VisitFormInput } from '../validation/visitInput.js';
import type { CustomerService } from './customers.js';
import type { FollowUpService } from './followUps.js';
import type { HistoryService } from './history.js';

interface Deps {
  models: Models;
  now: () => Date;
  customers: CustomerService;
  followUps: FollowUpService;
  history: HistoryService;
}

export interface LoggedVisit {
  customer: CustomerRecord;
  visit: VisitRecord;
}

function visitFields(input: VisitFormInput) {
  const { date, kind, notes, needs, attitude, visitWelcome, lastPurchaseDate, purchaseQuantity } = input;
  const { purchaseKinds, stockOnHand, nextFollowUpDate, nextFollowUpPlan } = input;
  return {
    date, kind, notes, needs, attitude, visitWelcome, lastPurchaseDate, purchaseQuantity,
    purchaseKinds, stockOnHand, nextFollowUpDate, nextFollowUpPlan,
  };
}

export function createVisitService({ models, now, customers, followUps, history }: Deps) {
  async function recordPromises(visit: VisitRecord, input: VisitFormInput, userId: string): Promise<void> {
    const rows = promisesOf(input).map((p) => ({
      ...p,
      teamId: visit.teamId,
      customerId: visit.customerId,
      visitId: visit._id,
      status: 'open',
      createdBy: userId,
    }));
    if (rows.length > 0) await models.promises.insertMany(rows);
  }

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
   * Stores a visit or call, its promises and next follow-up, and moves the
   * card's last contact forward (never backward, for visits logged late).
   */
  async function logVisit(
    teamId: string,
    userId: string,
    customerId: string,
    input: VisitFormInput,
    answeringFollowUpId?: string,
  ): Promise<LoggedVisit | null> {
    const customer = await customers.findCustomer(teamId, customerId);
    if (!customer) return null;
    const created = await models.visits.create({ ...visitFields(input), teamId, customerId: customer._id, createdBy: userId });
    const visit = created.toObject();
    await recordPromises(visit, input, userId);
    if (answeringFollowUpId) await followUps.completeFollowUp(teamId, answeringFollowUpId, userId);
    await scheduleNext(customer, visit, userId);
    await models.customers.updateOne({ _id: customer._id, teamId }, { $max: { lastContactDate: visit.date } });
    await history.recordHistory({ teamId, customerId: customer._id, action: 'visit', userId, at: now(), visitId: visit._id as Types.ObjectId });
    return { customer, visit };
  }

  return { logVisit };
}

export type VisitService = ReturnType<typeof createVisitService>;
