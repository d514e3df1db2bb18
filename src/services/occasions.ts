import { domain } from '../config/domain.js';
import { daysComing, nextOccasionOn, type CardOccasions, type ComingDay } from '../domain/occasions.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import type { CalendarDate } from '../time.js';

interface Deps {
  models: Models;
}

type ComingCustomer = Pick<CustomerRecord, '_id' | 'name' | 'number'>;

/** One of a customer's birthday or important days, on the day it falls. */
export interface ComingRow {
  customer: ComingCustomer;
  day: ComingDay;
}

export interface ComingList {
  /** The soonest days, at most the number asked for. */
  rows: ComingRow[];
  /** Every day falling in the range, listed or not. */
  total: number;
}

type OccasionCard = ComingCustomer & CardOccasions & Pick<CustomerRecord, 'nextOccasionOn'>;
const OCCASION_FIELDS = { name: 1, number: 1, birthday: 1, importantDays: 1, nextOccasionOn: 1 } as const;

/** Stale cards written in one bulk request. */
const ROLL_BATCH = 500;

const byDate = (a: ComingRow, b: ComingRow) => (a.day.date < b.day.date ? -1 : a.day.date > b.day.date ? 1 : 0);
const byNumber = (a: OccasionCard, b: OccasionCard) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0);

/**
 * 生日与重要日子 coming up, for one salesperson: read through the card's
 * stored next day (`nextOccasionOn`, index `{teamId, ownerId, nextOccasionOn}`),
 * so a list costs the cards with a day in its range, never the owner's other
 * cards. A card in the pool has no owner, so it is in no one's list.
 */
export function createOccasionService({ models }: Deps) {
  /**
   * `nextOccasionOn` is worked out when a card is saved and goes stale once
   * its day has passed: it is a lower bound. Stale cards a list read are
   * worked out again from `from`, in one bulk write per ROLL_BATCH. Each write
   * lands only if the card still holds the value read, so an edit saved
   * meanwhile (which works it out itself) wins. No version is bumped: like the
   * search keys, it is derived from the card, never edited.
   */
  async function rollForward(teamId: string, stale: OccasionCard[], from: CalendarDate): Promise<void> {
    for (let start = 0; start < stale.length; start += ROLL_BATCH) {
      const writes = stale.slice(start, start + ROLL_BATCH).map((card) => {
        const next = nextOccasionOn(card, from);
        return {
          updateOne: {
            filter: { _id: card._id, teamId, nextOccasionOn: card.nextOccasionOn },
            // A once-only day gone by leaves a card with no day to come: it leaves every list.
            update: next ? { $set: { nextOccasionOn: next } } : { $unset: { nextOccasionOn: '' } },
          },
        };
      });
      await models.customers.collection.bulkWrite(writes, { ordered: false });
    }
  }

  /**
   * The owner's customers' days from `from` to `to` (both included), soonest
   * first, at most `limit` of them, and how many there are in all. One read:
   * the stale cards come with the rest, their days worked out from the card
   * itself, and are rolled forward so the next list skips them.
   */
  async function coming(
    teamId: string,
    ownerId: string,
    from: CalendarDate,
    to: CalendarDate,
    limit: number = domain.occasions.listed,
  ): Promise<ComingList> {
    const cards = await models.customers
      .find({ teamId, ownerId, nextOccasionOn: { $lte: to } }, OCCASION_FIELDS)
      .lean<OccasionCard[]>();
    await rollForward(
      teamId,
      cards.filter((card) => card.nextOccasionOn !== undefined && card.nextOccasionOn < from),
      from,
    );
    // In card-number order first, so days falling together always list alike.
    const days = cards
      .sort(byNumber)
      .flatMap(({ _id, name, number, ...card }) =>
        daysComing(card, from, to).map((day) => ({ customer: { _id, name, number }, day })),
      )
      .sort(byDate);
    return { rows: days.slice(0, limit), total: days.length };
  }

  return { coming };
}

export type OccasionService = ReturnType<typeof createOccasionService>;
