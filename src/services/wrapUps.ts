import type { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { TIERS } from '../domain/segments.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import { OPEN_NUDGE_STATUSES, type CustomerNudgeRecord, type NudgeKind } from '../models/nudge.js';
import { addDays, type CalendarDate } from '../time.js';

/** What a wrap-up row shows of a card. */
export type WrapUpCard = Pick<CustomerRecord, '_id' | 'name' | 'number' | 'tier'>;

export interface BoughtRow {
  customer: WrapUpCard;
  /** What they bought that day, each product once, in the order sold. */
  products: string[];
}

export interface BookRow {
  customer: WrapUpCard;
  /** The contact nudges due for them tomorrow. */
  contacts: { kind: NudgeKind; plan?: string }[];
}

export interface MaterialRow {
  customer: WrapUpCard;
  /** What they said they need, from the visit that asked for material. */
  needs?: string;
}

export interface WrapUpList<Row> {
  rows: Row[];
  /** Rows left off after the cap. */
  more: number;
}

/** 日终工作 (DOMAIN §3): one person's day, as their wrap-up states it. */
export interface WrapUpFacts {
  day: CalendarDate;
  /** 今天成交: customers who bought, to thank. */
  bought: WrapUpList<BoughtRow>;
  /** 预约明天: tomorrow's contacts, key customers (by tier) first. */
  book: WrapUpList<BookRow>;
  /** 寄送资料: prospects who asked for material. */
  material: WrapUpList<MaterialRow>;
}

const CARD_FIELDS = { name: 1, number: 1, tier: 1, segment: 1 } as const;

/** 顶级, 大, 中, 小, then cards not ranked (yet). */
const tierRank = (c: WrapUpCard) => (c.tier ? TIERS.indexOf(c.tier) : TIERS.length);

function capped<Row>(rows: Row[]): WrapUpList<Row> {
  const { listed } = domain.wrapUp;
  return { rows: rows.slice(0, listed), more: Math.max(0, rows.length - listed) };
}

/** Each id once, in the order first seen. */
function distinct(ids: Types.ObjectId[]): Types.ObjectId[] {
  const seen = new Map(ids.map((id) => [id.toString(), id] as const));
  return [...seen.values()];
}

/**
 * The daily wrap-up's content, read fresh as it is posted: the cards are the
 * person's as they are now (one handed over today is listed for its new
 * owner). Each list is read by team and day, then kept to the person's cards.
 */
/** `contactKinds`: the kinds that ask for a contact (their trait), booked the evening before. */
export function createWrapUpService({ models, contactKinds }: { models: Models; contactKinds: readonly string[] }) {
  /** The person's cards among `ids`, by id. */
  async function ownCards(teamId: string, userId: string, ids: Types.ObjectId[]) {
    const cards = await models.customers
      .find({ teamId, ownerId: userId, _id: { $in: distinct(ids) } }, CARD_FIELDS)
      .lean();
    return new Map(cards.map((c) => [c._id.toString(), c]));
  }

  async function bought(teamId: string, userId: string, day: CalendarDate): Promise<BoughtRow[]> {
    const sales = await models.sales
      .find({ teamId, date: day }, { customerId: 1, product: 1 })
      .sort({ createdAt: 1 })
      .lean();
    const cards = await ownCards(
      teamId,
      userId,
      sales.map((s) => s.customerId),
    );
    const rows = new Map<string, BoughtRow>();
    for (const { customerId, product } of sales) {
      const customer = cards.get(customerId.toString());
      if (!customer) continue;
      const row = rows.get(customerId.toString()) ?? { customer, products: [] };
      if (!row.products.includes(product)) row.products.push(product);
      rows.set(customerId.toString(), row);
    }
    return [...rows.values()];
  }

  async function book(teamId: string, userId: string, tomorrow: CalendarDate): Promise<BookRow[]> {
    const due = await models.nudges
      .find(
        { teamId, dueDate: tomorrow, kind: { $in: contactKinds }, status: { $in: OPEN_NUDGE_STATUSES } },
        { customerId: 1, kind: 1, plan: 1 },
      )
      .lean<Pick<CustomerNudgeRecord, 'customerId' | 'kind' | 'plan'>[]>();
    const cards = await ownCards(
      teamId,
      userId,
      due.map((n) => n.customerId),
    );
    const rows = new Map<string, BookRow>();
    for (const { customerId, kind, plan } of due) {
      const customer = cards.get(customerId.toString());
      if (!customer) continue;
      const row = rows.get(customerId.toString()) ?? { customer, contacts: [] };
      row.contacts.push({ kind, plan });
      rows.set(customerId.toString(), row);
    }
    return [...rows.values()].sort(
      (a, b) => tierRank(a.customer) - tierRank(b.customer) || a.customer.number.localeCompare(b.customer.number),
    );
  }

  async function material(teamId: string, userId: string, day: CalendarDate): Promise<MaterialRow[]> {
    const visits = await models.visits
      .find({ teamId, materialRequested: true, date: day }, { customerId: 1, needs: 1 })
      .sort({ createdAt: 1 })
      .lean();
    const cards = await ownCards(
      teamId,
      userId,
      visits.map((v) => v.customerId),
    );
    const rows = new Map<string, MaterialRow>();
    for (const { customerId, needs } of visits) {
      const customer = cards.get(customerId.toString());
      // A current customer's request is ordinary service; the wrap-up chases prospects.
      if (!customer || customer.segment === 'current') continue;
      rows.set(customerId.toString(), { customer, needs: needs ?? rows.get(customerId.toString())?.needs });
    }
    return [...rows.values()];
  }

  /** The person's wrap-up of `day`, or null when there is nothing in it: nobody is messaged to be told nothing. */
  async function dayOf(teamId: string, userId: string, day: CalendarDate): Promise<WrapUpFacts | null> {
    const [b, k, m] = await Promise.all([
      bought(teamId, userId, day),
      book(teamId, userId, addDays(day, 1)),
      material(teamId, userId, day),
    ]);
    if (b.length + k.length + m.length === 0) return null;
    return { day, bought: capped(b), book: capped(k), material: capped(m) };
  }

  return { dayOf };
}

export type WrapUpService = ReturnType<typeof createWrapUpService>;
