import type { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { idFor } from '../db/requestIds.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import type { CustomerNudgeRecord, NudgeRecord } from '../models/nudge.js';
import { addDays, type CalendarDate } from '../time.js';
import type { NudgeService } from './nudges.js';

interface Deps {
  models: Models;
  nudges: NudgeService;
}

/** What the ambassador rules read of a card. */
export type AmbassadorCard = Pick<CustomerRecord, '_id' | 'teamId' | 'ambassador' | 'ownerId' | 'lastContactDate'>;

export interface AmbassadorRow {
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
function nextDue(lastContact: CalendarDate | undefined, firstNudgeDay: CalendarDate): CalendarDate {
  const cadenced = lastContact ? addDays(lastContact, domain.ambassador.cadenceDays) : firstNudgeDay;
  return cadenced > firstNudgeDay ? cadenced : firstNudgeDay;
}

/** Open ambassador nudges not yet posted: the next contact each one asks for. */
const UPCOMING: NudgeRecord['status'][] = ['pending', 'sending', 'failed'];
/** Who scheduled what the app scheduled by itself. */
const SYSTEM_USER = 'system';

/** Open ambassador nudges that a scan will still post. */
const TO_BE_POSTED: NudgeRecord['status'][] = ['pending', 'sending'];

/**
 * 宣传大使: an ambassador is nudged cadenceDays after the last contact of any
 * kind, by anyone. The card keeps one open contact nudge: every logged
 * contact replaces it with one a cadence later, so the team is never asked to
 * call someone it has just spoken to.
 */
export function createAmbassadorService({ models, nudges }: Deps) {
  /**
   * Schedules the card's next contact nudge a cadence after `from` (its last
   * contact by default), replacing its open one but those in `keeping`. One
   * long overdue, or never contacted, comes at the next nudge hour rather than
   * at once (a card marked in the evening is nudged the next morning).
   * `generation` tells apart nudges for the same day when an earlier one was
   * closed (unmarked, then marked again).
   */
  async function scheduleNext(
    card: AmbassadorCard,
    userId: string,
    { from = card.lastContactDate, generation = '', keeping = [] as Types.ObjectId[] } = {},
  ): Promise<void> {
    const dueDate = nextDue(from, await nudges.firstNudgeDay(card.teamId));
    await nudges.schedule(
      {
        _id: idFor(`${card._id.toString()}:ambassador:${dueDate}${generation}`),
        teamId: card.teamId,
        kind: 'ambassador',
        customerId: card._id,
        ownerId: card.ownerId ?? userId,
        dueDate,
        createdBy: userId,
      },
      { replacing: true, keeping },
    );
  }

  /**
   * After a card is saved (created, edited, a save replayed): an ambassador
   * without an open contact nudge gets one from its last contact; a card no
   * longer an ambassador has its nudge closed. Decided from the saved card,
   * not from the edit, so a replayed save finishes what a crash interrupted.
   */
  async function cardSaved(card: AmbassadorCard & Pick<CustomerRecord, 'version'>, userId: string): Promise<void> {
    const open = await nudges.openFor(card.teamId, card._id, 'ambassador');
    // Only one still to be posted counts: after a failed one, or a crash right after posting, the month starts again.
    const next = await models.nudges.findOne({ teamId: card.teamId, customerId: card._id, kind: 'ambassador', status: { $in: TO_BE_POSTED } }, { _id: 1 }).lean();
    if (card.ambassador && !next) await scheduleNext(card, userId, { generation: `:v${card.version}` });
    if (!card.ambassador && open) await nudges.cancelOpen(card.teamId, card._id, 'ambassador', userId);
  }

  /** A contact that moved the card's last contact forward restarts the month. */
  async function contactLogged(card: AmbassadorCard, userId: string): Promise<void> {
    if (card.ambassador) await scheduleNext(card, userId);
  }

  /**
   * The team's ambassadors, next contact due first: each one's open nudge,
   * or when it has none (yet), the day one would be due.
   */
  async function list(teamId: string): Promise<AmbassadorList> {
    const cards = await models.customers
      .find({ teamId, ambassador: true }, { name: 1, number: 1, ownerId: 1, lastContactDate: 1 })
      .sort({ nameKey: 1 })
      .lean();
    const upcoming = await models.nudges
      .find({ teamId, customerId: { $in: cards.map((c) => c._id) }, kind: 'ambassador', status: { $in: UPCOMING } }, { customerId: 1, dueDate: 1 })
      .lean<Pick<CustomerNudgeRecord, 'customerId' | 'dueDate'>[]>();
    const dueBy = new Map<string, CalendarDate>();
    for (const { customerId, dueDate } of upcoming) {
      const key = customerId.toString();
      const known = dueBy.get(key);
      if (!known || dueDate < known) dueBy.set(key, dueDate);
    }
    const first = await nudges.firstNudgeDay(teamId);
    const rows: AmbassadorRow[] = cards.map((customer) => ({
      customer,
      nextDue: dueBy.get(customer._id.toString()) ?? nextDue(customer.lastContactDate, first),
    }));
    rows.sort((a, b) => a.nextDue.localeCompare(b.nextDue));
    const { listed } = domain.ambassador;
    return { rows: rows.slice(0, listed), more: rows.length > listed, total: rows.length };
  }

  /** Every ambassador of every team gets its contact nudge, if it has none to come (cards marked before the nudges existed). */
  async function adoptAll(teamIds: string[]): Promise<void> {
    for (const teamId of teamIds) {
      const cards = await models.customers.find({ teamId, ambassador: true }, { teamId: 1, ambassador: 1, ownerId: 1, lastContactDate: 1, version: 1 }).lean();
      for (const card of cards) await cardSaved(card, card.ownerId ?? SYSTEM_USER);
    }
  }

  return { scheduleNext, cardSaved, contactLogged, list, adoptAll };
}

export type AmbassadorService = ReturnType<typeof createAmbassadorService>;
