import type { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { daysOverdue } from '../domain/collection.js';
import { segmentOf, TIERS } from '../domain/segments.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import { OPEN_NUDGE_STATUSES, type CustomerNudgeRecord, type NudgeRecord } from '../models/nudge.js';
import { addDays, daysBetween, type CalendarDate } from '../time.js';

interface Deps {
  models: Models;
  /** The kinds that ask for a contact (their trait). */
  contactKinds: readonly string[];
}

export type PlanCustomer = Pick<
  CustomerRecord,
  '_id' | 'name' | 'number' | 'region' | 'segment' | 'tier' | 'lastContactDate' | 'ownerId' | 'referrerId'
>;

export interface PlanRow {
  customer: PlanCustomer;
  /** The earliest contact asked for: before today is overdue. */
  dueDate: CalendarDate;
  /** Days past due (0 today); negative when due in that many days. */
  overdueDays: number;
  needs?: string;
  overdueFen: number;
  openPromises: number;
}

export interface VisitPlan {
  /** The region asked for, as typed (trimmed); absent when grouped by region. */
  region?: string;
  rows: PlanRow[];
  /** Due customers not listed (past the cap). */
  more: number;
}

const PLAN_FIELDS = {
  name: 1,
  number: 1,
  region: 1,
  segment: 1,
  tier: 1,
  lastContactDate: 1,
  ownerId: 1,
  referrerId: 1,
} as const;

/** Key customers first: 顶级 … 小 (unranked current as 小), then 非积极, 潜在, the rest. */
function keyRank(card: PlanCustomer): number {
  const segment = segmentOf(card);
  if (segment === 'current') return TIERS.indexOf(card.tier ?? 'small');
  return TIERS.length + ['inactive', 'potential', 'doubtful'].indexOf(segment);
}

/**
 * Regions are typed by people: the same after trimming (and folding width and spaces as a query is), case-insensitively
 * for Latin letters.
 */
export const regionKey = (region: string | undefined) =>
  (region ?? '').normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * 按地区安排拜访: the caller's customers due or nearly due for contact, read
 * from their open contact nudges (indexed by owner and due day), so the cost
 * follows the caller's due customers, not the team's cards.
 */
export function createVisitPlanService({ models, contactKinds }: Deps) {
  /** Each of the owner's customers with a contact due by `horizon`, at its earliest due day. */
  async function dueCustomers(
    teamId: string,
    ownerId: string,
    horizon: CalendarDate,
  ): Promise<Map<string, CustomerNudgeRecord[]>> {
    const nudges = await models.nudges
      .find(
        {
          teamId,
          ownerId,
          dueDate: { $lte: horizon },
          kind: { $in: contactKinds },
          status: { $in: OPEN_NUDGE_STATUSES },
        },
        { customerId: 1, dueDate: 1, status: 1 },
      )
      .batchSize(domain.lists.readAtOnce)
      .lean<CustomerNudgeRecord[]>();
    const byCustomer = new Map<string, CustomerNudgeRecord[]>();
    for (const n of nudges)
      byCustomer.set(n.customerId.toString(), [...(byCustomer.get(n.customerId.toString()) ?? []), n]);
    return byCustomer;
  }

  /**
   * The earliest due day still standing: a contact logged on or after a
   * reminder's day has answered it for planning, whether the reminder was
   * posted yet or not (a scan may not have reached it).
   */
  function standingDue(card: PlanCustomer, nudges: NudgeRecord[]): CalendarDate | undefined {
    const standing = nudges.filter((n) => !card.lastContactDate || card.lastContactDate < n.dueDate);
    return standing.map((n) => n.dueDate).sort()[0];
  }

  async function details(teamId: string, ids: Types.ObjectId[], today: CalendarDate) {
    const [ledgers, promises, visits] = await Promise.all([
      models.ledgers.find({ teamId, _id: { $in: ids } }, { receivables: 1 }).lean(),
      models.promises
        .find({ teamId, customerId: { $in: ids }, status: 'open' }, { customerId: 1 })
        .batchSize(domain.lists.readAtOnce)
        .lean(),
      // One read for every listed customer, not one each: newest first per customer, in the index's order.
      models.visits
        .find({ teamId, customerId: { $in: ids } }, { customerId: 1, needs: 1 })
        .sort({ customerId: 1, date: -1, createdAt: -1 })
        .batchSize(domain.lists.readAtOnce)
        .lean(),
    ]);
    const owed = new Map(
      ledgers.map((l) => [
        l._id.toString(),
        l.receivables
          .filter((r) => daysOverdue(r.dueDate, today) > 0)
          .reduce((sum, r) => sum + r.amountFen - r.settledFen, 0),
      ]),
    );
    const promised = new Map<string, number>();
    for (const p of promises) promised.set(p.customerId.toString(), (promised.get(p.customerId.toString()) ?? 0) + 1);
    const latest = new Map<string, string | undefined>();
    for (const v of visits) if (!latest.has(v.customerId.toString())) latest.set(v.customerId.toString(), v.needs);
    const needs = new Map([...latest].flatMap(([id, said]) => (said ? [[id, said] as const] : [])));
    return { owed, promised, needs };
  }

  /**
   * The plan for `ownerId`: in `region` when given, else every region (the
   * view groups them). Key customers first, then the most overdue; capped at
   * domain.cadence.planListed.
   */
  async function planVisits(
    teamId: string,
    ownerId: string,
    { region, today }: { region?: string; today: CalendarDate },
  ): Promise<VisitPlan> {
    const due = await dueCustomers(teamId, ownerId, addDays(today, domain.cadence.planAheadDays));
    const cards = await models.customers
      .find({ teamId, _id: { $in: [...due.keys()] } }, PLAN_FIELDS)
      .batchSize(domain.lists.readAtOnce)
      .lean<PlanCustomer[]>();
    const wanted = region === undefined ? undefined : regionKey(region);
    const candidates = cards.flatMap((customer) => {
      const dueDate = standingDue(customer, due.get(customer._id.toString())!);
      const mine = (customer.ownerId ?? ownerId) === ownerId;
      const here = wanted === undefined || regionKey(customer.region) === wanted;
      return dueDate && mine && here ? [{ customer, dueDate }] : [];
    });
    candidates.sort(
      (a, b) =>
        keyRank(a.customer) - keyRank(b.customer) ||
        a.dueDate.localeCompare(b.dueDate) ||
        a.customer.number.localeCompare(b.customer.number),
    );
    const listed = candidates.slice(0, domain.cadence.planListed);
    const { owed, promised, needs } = await details(
      teamId,
      listed.map((c) => c.customer._id),
      today,
    );
    const rows = listed.map(({ customer, dueDate }) => {
      const id = customer._id.toString();
      return {
        customer,
        dueDate,
        overdueDays: daysBetween(dueDate, today),
        needs: needs.get(id),
        overdueFen: owed.get(id) ?? 0,
        openPromises: promised.get(id) ?? 0,
      };
    });
    return { region: region?.trim(), rows, more: candidates.length - listed.length };
  }

  return { planVisits };
}

export type VisitPlanService = ReturnType<typeof createVisitPlanService>;
