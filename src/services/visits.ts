import type { Types } from 'mongoose';
import { idFor, newIdFor } from '../db/requestIds.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import type { VisitRecord } from '../models/visit.js';
import { todayIn, type CalendarDate } from '../time.js';
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
import type { TeamSettingsService } from './teamSettings.js';

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
  settings: TeamSettingsService;
}

export interface LoggedVisit {
  customer: CustomerRecord;
  visit: VisitRecord;
  /** The follow-up asked for today, moved to tomorrow by the one-contact-reminder-a-day rule: both days. */
  followUpMoved?: { asked: CalendarDate; due: CalendarDate };
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
export function createVisitService({ models, now, customers, nudges, followUps, ambassadors, cadence, pool, history, promises, writes, referrals, settings }: Deps) {
  /**
   * The day the follow-up will go out: the day asked for, unless it is today
   * and the customer had a contact reminder today already (often the very one
   * this visit answers). One contact reminder a day per customer, so the scan
   * would post it tomorrow; it is scheduled for tomorrow now, so the card and
   * the answer to the save can say so instead of it moving silently.
   */
  async function followUpDay(customer: CustomerRecord, visit: VisitRecord, asked: CalendarDate): Promise<CalendarDate> {
    const { timezone } = await settings.settingsFor(customer.teamId);
    if (asked > todayIn(now(), timezone)) return asked;
    const probe = { _id: followUps.followUpId(visit._id), teamId: customer.teamId, customerId: customer._id, kind: 'followUp' as const };
    return (await cadence.deferral(probe, asked, timezone)) ?? asked;
  }

  async function scheduleNext(customer: CustomerRecord, visit: VisitRecord, userId: string): Promise<LoggedVisit['followUpMoved']> {
    if (!visit.nextFollowUpDate) return undefined;
    const due = await followUpDay(customer, visit, visit.nextFollowUpDate);
    await followUps.scheduleFollowUp({
      teamId: customer.teamId,
      customerId: customer._id,
      visitId: visit._id,
      ownerId: customer.ownerId ?? userId,
      dueDate: due,
      plan: visit.nextFollowUpPlan,
      createdBy: userId,
    });
    return due === visit.nextFollowUpDate ? undefined : { asked: visit.nextFollowUpDate, due };
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
    const followUpMoved = await scheduleNext(customer, visit, userId);
    await touchLastContact(customer, visit.date, userId);
    await referrals.recordFirstContact(teamId, customer._id);
    // A prospect who asked for material is in their owner's wrap-up that day.
    if (visit.materialRequested && customer.segment !== 'current') await nudges.scheduleWrapUp(teamId, customer.ownerId ?? userId, visit.date, userId);
    await history.recordHistory(
      { teamId, customerId: customer._id, action: 'visit', userId, at: now(), visitId: visit._id },
      idFor(`${visit._id.toString()}:history`),
    );
    return { customer, visit, ...(followUpMoved ? { followUpMoved } : {}) };
  }

  return { logVisit };
}

export type VisitService = ReturnType<typeof createVisitService>;
