import { domain } from '../config/domain.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import type { NudgeRecord } from '../models/nudge.js';
import type { PromiseRecord } from '../models/promise.js';
import type { VisitRecord } from '../models/visit.js';
import { todayIn, type CalendarDate } from '../time.js';
import type { CustomerService } from './customers.js';
import type { NudgeService } from './nudges.js';
import type { MoneyService, MoneySummary } from './money.js';
import type { CardReferrals, ReferralService } from './referrals.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  customers: CustomerService;
  nudges: NudgeService;
  money: MoneyService;
  referrals: ReferralService;
}

/** Everything a card shows; open promises soonest due first, so overdue ones lead. */
export interface CardData {
  customer: CustomerRecord;
  lastVisits: VisitRecord[];
  openPromises: PromiseRecord[];
  nextFollowUp: NudgeRecord | null;
  money: MoneySummary;
  referrals: CardReferrals;
  /** The team's today, against which promises are overdue. */
  today: CalendarDate;
  /**
   * The day the visit asked the next follow-up for, when the one-contact-
   * reminder-a-day rule moved it (not when someone snoozed it: that is theirs
   * and in the history).
   */
  followUpAsked?: CalendarDate;
}

/** Gathers a card: the customer with their latest visits, open promises, next follow-up and account. */
export function createCardService({ models, now, settings, customers, nudges, money, referrals }: Deps) {
  async function loadCard(customer: CustomerRecord): Promise<CardData> {
    const { teamId, _id: customerId } = customer;
    const { timezone } = await settings.settingsFor(teamId);
    const today = todayIn(now(), timezone);
    const [lastVisits, openPromises, nextFollowUp, account, cardReferrals] = await Promise.all([
      models.visits
        .find({ teamId, customerId })
        .sort({ date: -1, createdAt: -1 })
        .limit(domain.card.lastVisitsShown)
        .lean(),
      models.promises
        .find({ teamId, customerId, status: 'open' })
        .sort({ dueDate: 1 })
        .limit(domain.card.openPromisesShown)
        .lean(),
      nudges.openFor(teamId, customerId, 'followUp'),
      money.moneySummary(customer, today),
      referrals.cardReferrals(customer, today),
    ]);
    const followUpAsked = await askedDay(nextFollowUp, lastVisits);
    return {
      customer,
      lastVisits,
      openPromises,
      nextFollowUp,
      money: account,
      referrals: cardReferrals,
      today,
      ...(followUpAsked ? { followUpAsked } : {}),
    };
  }

  /**
   * The day a follow-up's visit asked for, if the rule moved it from there; the visit is usually among those just read.
   */
  async function askedDay(followUp: NudgeRecord | null, lastVisits: VisitRecord[]): Promise<CalendarDate | undefined> {
    if (!followUp?.sourceId || followUp.closedBy) return undefined;
    const { teamId, sourceId } = followUp;
    const visit =
      lastVisits.find((v) => v._id.equals(sourceId)) ??
      (await models.visits.findOne({ _id: sourceId, teamId }, { nextFollowUpDate: 1 }).lean());
    const asked = visit?.nextFollowUpDate;
    return asked && asked !== followUp.dueDate ? asked : undefined;
  }

  async function getCard(teamId: string, customerId: string): Promise<CardData | null> {
    const customer = await customers.findCustomer(teamId, customerId);
    return customer ? loadCard(customer) : null;
  }

  return { loadCard, getCard };
}

export type CardService = ReturnType<typeof createCardService>;
