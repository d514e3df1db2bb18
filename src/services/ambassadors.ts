import { domain } from '../config/domain.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import type { CustomerNudgeRecord, NudgeRecord } from '../models/nudge.js';
import { addDays, type CalendarDate } from '../time.js';
import type { NudgeService } from './nudges.js';

interface Deps {
  models: Models;
  nudges: NudgeService;
}

interface AmbassadorRow {
  customer: Pick<CustomerRecord, '_id' | 'name' | 'number' | 'ownerId' | 'lastContactDate'>;
  nextDue: CalendarDate;
}

export interface AmbassadorList {
  rows: AmbassadorRow[];
  /** The team has more ambassadors than are listed. */
  more: boolean;
  total: number;
}

/** A cadence after the last contact, but never before the first day a nudge can still go out. */
export function nextAmbassadorContact(
  lastContact: CalendarDate | undefined,
  firstNudgeDay: CalendarDate,
): CalendarDate {
  const cadenced = lastContact ? addDays(lastContact, domain.ambassador.cadenceDays) : firstNudgeDay;
  return cadenced > firstNudgeDay ? cadenced : firstNudgeDay;
}

/** Open ambassador nudges not yet posted: the next contact each one asks for. */
const UPCOMING: NudgeRecord['status'][] = ['pending', 'sending', 'failed'];

/**
 * 宣传大使: the team's ambassadors and when each is next due for contact
 * (the ambassador kind in src/nudgeKinds schedules those contacts).
 */
export function createAmbassadorService({ models, nudges }: Deps) {
  /**
   * The team's ambassadors, next contact due first: each one's open nudge,
   * or when it has none (yet), the day one would be due.
   */
  async function list(teamId: string): Promise<AmbassadorList> {
    // The team's open ambassador nudges by kind, not by an $in of every ambassador's id: that list of ids grew with
    // the ambassadors and cost a second at 20,000 cards on DocumentDB. A nudge of a card no longer an ambassador is
    // left out below.
    const [cards, upcoming, first] = await Promise.all([
      models.customers
        .find({ teamId, ambassador: true }, { name: 1, number: 1, ownerId: 1, lastContactDate: 1 })
        .sort({ nameKey: 1 })
        .batchSize(domain.lists.readAtOnce)
        .lean(),
      models.nudges
        .find({ teamId, kind: 'ambassador', status: { $in: UPCOMING } }, { customerId: 1, dueDate: 1 })
        .batchSize(domain.lists.readAtOnce)
        .lean<Pick<CustomerNudgeRecord, 'customerId' | 'dueDate'>[]>(),
      nudges.firstNudgeDay(teamId),
    ]);
    const dueBy = new Map<string, CalendarDate>();
    for (const { customerId, dueDate } of upcoming) {
      const key = customerId.toString();
      const known = dueBy.get(key);
      if (!known || dueDate < known) dueBy.set(key, dueDate);
    }
    const rows: AmbassadorRow[] = cards.map((customer) => ({
      customer,
      nextDue: dueBy.get(customer._id.toString()) ?? nextAmbassadorContact(customer.lastContactDate, first),
    }));
    rows.sort((a, b) => a.nextDue.localeCompare(b.nextDue));
    const { listed } = domain.ambassador;
    return { rows: rows.slice(0, listed), more: rows.length > listed, total: rows.length };
  }

  return { list };
}

export type AmbassadorService = ReturnType<typeof createAmbassadorService>;
