import type { Types } from 'mongoose';
import { idFor, newIdFor } from '../db/requestIds.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import type { CustomerRecord } from '../models/customer.js';
import type { MessageSource } from '../models/messageSource.js';
import type { Models } from '../models/index.js';
import type { VisitRecord } from '../models/visit.js';
import type { CalendarDate } from '../time.js';
import { promisesOf, type VisitFormInput } from '../validation/visitInput.js';
import type { CardEvents } from './cardEvents.js';
import type { CustomerService } from './customers.js';
import type { HistoryService } from './history.js';
import type { NudgeService } from './nudges.js';
import type { ReferralService } from './referrals.js';
import type { PromiseService } from './promises.js';

interface Deps {
  models: Models;
  now: () => Date;
  customers: CustomerService;
  nudges: NudgeService;
  history: HistoryService;
  promises: PromiseService;
  writes: GuardedWrites;
  referrals: ReferralService;
  events: CardEvents;
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
  /** The Slack message it was saved from (保存到客户卡). */
  source?: MessageSource;
}

function visitFields(input: VisitFormInput) {
  const { date, kind, notes, needs, materialRequested, attitude, visitWelcome, lastPurchaseDate, purchaseQuantity } =
    input;
  const { purchaseKinds, stockOnHand, nextFollowUpDate, nextFollowUpPlan } = input;
  return {
    date,
    kind,
    notes,
    needs,
    materialRequested,
    attitude,
    visitWelcome,
    lastPurchaseDate,
    purchaseQuantity,
    purchaseKinds,
    stockOnHand,
    nextFollowUpDate,
    nextFollowUpPlan,
  };
}

/**
 * Every step of logging a visit is keyed by the visit's id, so a delivery
 * processed twice, or one finished after a crash, has the effect of one.
 */
export function createVisitService({
  models,
  now,
  customers,
  nudges,
  history,
  promises,
  writes,
  referrals,
  events,
}: Deps) {
  /** Moves the card's last contact forward, never backward (visits are logged late too); true when it moved. */
  async function touchLastContact(customer: CustomerRecord, date: string): Promise<boolean> {
    const moved = await writes.updateUntilWritten<CustomerRecord>(
      models.customers,
      customer.teamId,
      customer._id,
      (c) => (c.lastContactDate && c.lastContactDate >= date ? null : { set: { lastContactDate: date } }),
    );
    return moved !== null;
  }

  /**
   * The follow-up the visit set, as scheduled: moved to tomorrow when it was
   * for today and the customer had a contact reminder today already (the
   * follow-up kind's one-a-day rule), which the answer to the save then says.
   */
  async function followUpMove(customer: CustomerRecord, visit: VisitRecord): Promise<LoggedVisit['followUpMoved']> {
    if (!visit.nextFollowUpDate) return undefined;
    const [scheduled] = await nudges.openFrom(customer.teamId, customer._id, 'followUp', visit._id);
    return scheduled && scheduled.dueDate !== visit.nextFollowUpDate
      ? { asked: visit.nextFollowUpDate, due: scheduled.dueDate }
      : undefined;
  }

  async function insertVisit(
    _id: Types.ObjectId,
    customer: CustomerRecord,
    input: VisitFormInput,
    userId: string,
    source: MessageSource | undefined,
  ): Promise<VisitRecord> {
    await writes.insertOnce(models.visits, {
      ...visitFields(input),
      ...(source ? { source } : {}),
      _id,
      teamId: customer.teamId,
      customerId: customer._id,
      createdBy: userId,
    });
    return (await models.visits.findOne({ _id, teamId: customer.teamId }).lean())!;
  }

  /**
   * Stores a visit or call and its promises, moves the card's last contact
   * forward and announces the contact: the kinds set the next follow-up and
   * the promises' reminders going, and restart the counts a contact restarts.
   */
  async function logVisit(
    teamId: string,
    userId: string,
    customerId: string,
    input: VisitFormInput,
    { followUpId, requestKey, source }: LogVisitOptions = {},
  ): Promise<LoggedVisit | null> {
    const customer = await customers.findCustomer(teamId, customerId);
    if (!customer) return null;
    const visit = await insertVisit(newIdFor(requestKey, 'visit'), customer, input, userId, source);
    await promises.record(visit, promisesOf(input), userId);
    // A visit logged from a reminder answers it.
    if (followUpId) await nudges.answer(teamId, followUpId, userId);
    const moved = await touchLastContact(customer, visit.date);
    await referrals.recordFirstContact(teamId, customer._id);
    const event = {
      type: 'contactLogged',
      teamId,
      customerId: customer._id.toString(),
      by: userId,
      visitId: visit._id.toString(),
      moved,
    } as const;
    await events.announce(event, `${visit._id.toString()}:contactLogged`);
    const followUpMoved = await followUpMove(customer, visit);
    await history.recordHistory(
      { teamId, customerId: customer._id, action: 'visit', userId, at: now(), visitId: visit._id },
      idFor(`${visit._id.toString()}:history`),
    );
    return { customer, visit, ...(followUpMoved ? { followUpMoved } : {}) };
  }

  return { logVisit };
}

export type VisitService = ReturnType<typeof createVisitService>;
