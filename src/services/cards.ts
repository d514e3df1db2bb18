import { domain } from '../config/domain.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import type { NudgeRecord } from '../models/nudge.js';
import type { PromiseRecord } from '../models/promise.js';
import type { VisitRecord } from '../models/visit.js';
import { todayIn, type CalendarDate } from '../time.js';
import type { CustomerService } from './customers.js';
import type { FollowUpService } from './followUps.js';
import type { MoneyService, MoneySummary } from './money.js';
import type { CardReferrals, ReferralService } from './referrals.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  customers: CustomerService;
  followUps: FollowUpService;
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
}

/** Gathers a card: the customer with their latest visits, open promises, next follow-up and account. */
export function createCardService({ models, now, settings, customers, followUps, money, referrals }: Deps) {
  async function loadCard(customer: CustomerRecord): Promise<CardData> {
    const { teamId, _id: customerId } = customer;
    const { timezone } = await settings.settingsFor(teamId);
    const today = todayIn(now(), timezone);
    const [lastVisits, openPromises, nextFollowUp, account, cardReferrals] = await Promise.all([
      models.visits.find({ teamId, customerId }).sort({ date: -1, createdAt: -1 }).limit(domain.card.lastVisitsShown).lean(),
      models.promises.find({ teamId, customerId, status: 'open' }).sort({ dueDate: 1 }).limit(domain.card.openPromisesShown).lean(),
      followUps.nextFollowUp(teamId, customerId),
      money.moneySummary(customer, today),
      referrals.cardReferrals(customer, today),
    ]);
    return { customer, lastVisits, openPromises, nextFollowUp, money: account, referrals: cardReferrals, today };
  }

  async function getCard(teamId: string, customerId: string): Promise<CardData | null> {
    const customer = await customers.findCustomer(teamId, customerId);
    return customer ? loadCard(customer) : null;
  }

  return { loadCard, getCard };
}

export type CardService = ReturnType<typeof createCardService>;
