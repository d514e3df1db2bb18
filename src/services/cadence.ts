import type { Types } from 'mongoose';
import { idFor } from '../db/requestIds.js';
import { intervalFor, type CadenceClass } from '../domain/cadence.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import { CONTACT_NUDGE_KINDS, type NudgeKind, type NudgeRecord } from '../models/nudge.js';
import { addDays, instantAt, todayIn, type CalendarDate } from '../time.js';
import type { NudgeService } from './nudges.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  settings: TeamSettingsService;
  nudges: NudgeService;
}

/** What the cadence reads of a card to schedule its nudge. */
export type CadenceCard = Pick<
  CustomerRecord,
  '_id' | 'teamId' | 'ownerId' | 'lastContactDate' | 'segment' | 'tier' | 'ambassador' | 'version' | 'createdAt' | 'pooledAt' | 'referrerId'
>;

export const CADENCE_FIELDS = { teamId: 1, ownerId: 1, lastContactDate: 1, segment: 1, tier: 1, ambassador: 1, version: 1, createdAt: 1, pooledAt: 1, referrerId: 1 } as const;

/** The card's contact interval; none while it is in the pool (公海): it has no owner to nudge. */
export const cadenceOf = (card: CadenceCard, days: Record<CadenceClass, number>): number | null => (card.pooledAt ? null : intervalFor(card, days));

/** Not yet posted: it will still go out. */
const TO_BE_POSTED: NudgeRecord['status'][] = ['pending', 'sending'];
/** Who scheduled what the app scheduled by itself. */
const SYSTEM_USER = 'system';
/** Cards a boot-time adoption reads per round trip. */
const ADOPT_BATCH = 1000;

/**
 * Contact kinds each kind gives way to when both are due the same day: a
 * follow-up or check-in was set by a person, an ambassador's month comes
 * before the tier cadence.
 */
const GIVES_WAY_TO: Partial<Record<NudgeKind, readonly NudgeKind[]>> = {
  checkIn: ['followUp'],
  ambassador: ['followUp', 'checkIn'],
  cadence: CONTACT_NUDGE_KINDS.filter((k) => k !== 'cadence'),
};

/**
 * 按层级联络: each card with a cadence keeps one open cadence nudge, due its
 * interval after the last contact. Every change that could move it (a
 * contact, a tier change) replaces it; the nudge re-checks the card as it is
 * posted, so one a path forgot still never nags too early.
 */
/** A card never contacted counts from the day it was made, so old cards do not all fall due at once. */
export const lastContactIn = (card: Pick<CadenceCard, 'lastContactDate' | 'createdAt'>, timezone: string): CalendarDate =>
  card.lastContactDate ?? todayIn(card.createdAt, timezone);

export function createCadenceService({ models, settings, nudges }: Deps) {
  async function lastContactOf(card: CadenceCard): Promise<CalendarDate> {
    return card.lastContactDate ?? lastContactIn(card, (await settings.settingsFor(card.teamId)).timezone);
  }

  /**
   * Replaces the card's open cadence nudge (but those in `keeping`) with one
   * its interval after `from` (the last contact by default), never before the
   * next nudge hour; a card without a cadence has its nudge cancelled. The id
   * names the card's version, so a replay schedules the same nudge and a
   * later change a new one even for a day used before.
   */
  async function reschedule(card: CadenceCard, userId: string, { from, keeping = [] as Types.ObjectId[] }: { from?: CalendarDate; keeping?: Types.ObjectId[] } = {}): Promise<void> {
    const interval = cadenceOf(card, (await settings.settingsFor(card.teamId)).cadenceDays);
    if (interval === null) return nudges.cancelOpen(card.teamId, card._id, 'cadence', userId);
    const cadenced = addDays(from ?? (await lastContactOf(card)), interval);
    const first = await nudges.firstNudgeDay(card.teamId);
    const dueDate = cadenced > first ? cadenced : first;
    await nudges.schedule(
      {
        _id: idFor(`${card._id.toString()}:cadence:${dueDate}:v${card.version}`),
        teamId: card.teamId,
        kind: 'cadence',
        customerId: card._id,
        ownerId: card.ownerId ?? userId,
        dueDate,
        createdBy: userId,
      },
      { replacing: true, keeping },
    );
  }

  /** Whether the card has a cadence nudge still to be posted (a posted one stays open until answered). */
  async function hasUpcoming(teamId: string, customerId: Types.ObjectId): Promise<boolean> {
    return (await models.nudges.findOne({ teamId, customerId, kind: 'cadence', status: { $in: TO_BE_POSTED } }, { _id: 1 }).lean()) !== null;
  }

  /**
   * After a card is saved: one that has a cadence again (no longer an
   * ambassador) gets its nudge, one that lost it has its nudge cancelled.
   * Decided from the saved card, so a replayed save finishes the job.
   */
  async function cardSaved(card: CadenceCard, userId: string): Promise<void> {
    const upcoming = await hasUpcoming(card.teamId, card._id);
    const cadenced = cadenceOf(card, (await settings.settingsFor(card.teamId)).cadenceDays) !== null;
    if (cadenced && !upcoming) await reschedule(card, userId);
    if (!cadenced && upcoming) await nudges.cancelOpen(card.teamId, card._id, 'cadence', userId);
  }

  /**
   * The day a contact nudge should go out instead of today, or null to post
   * it now: another contact nudge of the customer it gives way to is due by
   * today, or one was already posted today. One customer, one contact nudge a day.
   */
  async function deferral(nudge: Pick<NudgeRecord, '_id' | 'teamId' | 'customerId' | 'kind'>, today: CalendarDate, timezone: string): Promise<CalendarDate | null> {
    const { teamId, customerId, _id } = nudge;
    const before = GIVES_WAY_TO[nudge.kind] ?? [];
    const tomorrow = addDays(today, 1);
    if (before.length > 0) {
      const first = await models.nudges
        .findOne({ teamId, customerId, kind: { $in: before }, status: { $in: TO_BE_POSTED }, dueDate: { $lte: today }, _id: { $ne: _id } }, { _id: 1 })
        .lean();
      if (first) return tomorrow;
    }
    const postedToday = await models.nudges
      .findOne({ teamId, customerId, kind: { $in: CONTACT_NUDGE_KINDS }, sentAt: { $gte: instantAt(today, 0, timezone) }, _id: { $ne: _id } }, { _id: 1 })
      .lean();
    return postedToday ? tomorrow : null;
  }

  /**
   * Cards stored before cadence nudges existed, with a segment or a contact
   * and no open cadence nudge, get one. Streamed in batches through the
   * segment index; each card costs one indexed look-up and at most one insert.
   */
  async function adoptAll(teamIds: string[]): Promise<void> {
    for (const teamId of teamIds) {
      const cards = models.customers
        .find({ teamId, $or: [{ segment: { $exists: true } }, { lastContactDate: { $exists: true } }, { referrerId: { $exists: true } }] }, CADENCE_FIELDS)
        .lean<CadenceCard[]>()
        .cursor({ batchSize: ADOPT_BATCH });
      for await (const card of cards) {
        if (!(await hasUpcoming(teamId, card._id))) await reschedule(card, card.ownerId ?? SYSTEM_USER);
      }
    }
  }

  return { reschedule, cardSaved, deferral, adoptAll, lastContactOf };
}

export type CadenceService = ReturnType<typeof createCadenceService>;
