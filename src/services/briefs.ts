import type { CustomerRecord } from '../models/customer.js';
import type { PromiseRecord } from '../models/promise.js';
import type { VisitRecord } from '../models/visit.js';
import type { CalendarDate } from '../time.js';
import type { CardData, CardService } from './cards.js';
import type { MoneySummary } from './money.js';
import type { ReferrerSummary } from './referrals.js';

interface Deps {
  cards: CardService;
}

/** 访前简报: what to know before walking in to a customer, as one screen shows it. */
export interface Brief {
  customer: CustomerRecord;
  /** The latest visit or call: its needs and attitude. */
  lastVisit?: VisitRecord;
  /** The latest visit that checked purchases or stock, which a quick call often does not. */
  stockVisit?: VisitRecord;
  /** Soonest due first, so overdue ones lead. */
  openPromises: PromiseRecord[];
  money: MoneySummary;
  /** Customers this one referred whose outcome the referrer has not been thanked for yet. */
  awaitingThanks: ReferrerSummary['awaiting'];
  moreAwaitingThanks: number;
  today: CalendarDate;
}

const checksStock = (v: VisitRecord) =>
  [v.lastPurchaseDate, v.purchaseQuantity, v.purchaseKinds, v.stockOnHand].some((x) => x != null);

/**
 * The brief is the card's facts seen from the door, so it reads them as the
 * card does (one place decides what is owed, overdue and awaiting thanks).
 */
export function createBriefService({ cards }: Deps) {
  function fromCard({ customer, lastVisits, openPromises, money, referrals, today }: CardData): Brief {
    return {
      customer,
      lastVisit: lastVisits[0],
      stockVisit: lastVisits.find(checksStock),
      openPromises,
      money,
      awaitingThanks: referrals.asReferrer.awaiting,
      moreAwaitingThanks: referrals.asReferrer.moreAwaiting,
      today,
    };
  }

  /** The brief of a customer already found (by `/card brief <name>`). */
  async function briefOf(customer: CustomerRecord): Promise<Brief> {
    return fromCard(await cards.loadCard(customer));
  }

  /** The brief a button names; null when the id is no card of this team. */
  async function briefFor(teamId: string, customerId: string): Promise<Brief | null> {
    const card = await cards.getCard(teamId, customerId);
    return card ? fromCard(card) : null;
  }

  return { briefOf, briefFor };
}

export type BriefService = ReturnType<typeof createBriefService>;
