import { isValidObjectId, Types, type Model } from 'mongoose';
import { domain } from '../config/domain.js';
import { idFor } from '../db/requestIds.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import { firstContactMinutes, shouldSuggestAmbassador } from '../domain/referrals.js';
import type { CustomerRecord } from '../models/customer.js';
import type { HistoryAction } from '../models/history.js';
import type { Models } from '../models/index.js';
import type { NudgeRecord } from '../models/nudge.js';
import type { ReferralRecord } from '../models/referral.js';
import type { ThanksWay } from '../domain/referrals.js';
import { todayIn, type CalendarDate } from '../time.js';
import { historyDoc } from './history.js';
import type { CardEvents } from './cardEvents.js';
import type { NudgeService } from './nudges.js';
import type { TeamSettingsService } from './teamSettings.js';
import { yearTotals } from './yearTotals.js';

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  nudges: NudgeService;
  writes: GuardedWrites;
  events: CardEvents;
}

/** The part of a card a referral names. */
export type CardRef = Pick<CustomerRecord, '_id' | 'teamId' | 'name' | 'number' | 'ownerId'>;

export type LinkRefusal = { reason: 'self' } | { reason: 'referrerGone' } | { reason: 'alreadyOpen'; referrer: string };
/** `linked`: the prospect's open referral is already from this referrer, so there is nothing new to record. */
export type LinkCheck = { ok: true; referrer: CardRef; linked: boolean } | ({ ok: false } & LinkRefusal);

type GuardedRecord = { model: Model<any>; doc: Record<string, unknown> & { _id: Types.ObjectId } };

export interface NewLink {
  prospect: CardRef;
  referrer: CardRef;
  userId: string;
  /** Names the step that links them, so the same step always makes the same referral. */
  step: string;
  needs?: string;
  notes?: string;
}

/** What a referred card shows about its own referral. */
export interface ReferredBy {
  referral: ReferralRecord;
  referrer: CardRef | null;
}

/** What a referrer's card shows about the customers it referred. */
export interface ReferrerSummary {
  count: number;
  deals: number;
  /** Sales to the referred customers over domain.money.summaryDays. */
  valueFen: number;
  awaiting: { referral: ReferralRecord; referred: CardRef }[];
  moreAwaiting: number;
  suggestAmbassador: boolean;
}

export interface CardReferrals {
  referredBy: ReferredBy | null;
  asReferrer: ReferrerSummary;
}

/** How a referral went, as its thanks nudge and thanked message tell it. */
export interface ReferralFacts {
  referral: ReferralRecord;
  referrer: CardRef;
  referred: CardRef;
}

export type ThanksResult =
  | { status: 'thanked'; facts: ReferralFacts; answered: Pick<NudgeRecord, 'channel' | 'messageTs'>[] }
  | { status: 'already'; by: string }
  | { status: 'notFound' };

export type OutcomeResult = { status: 'ok' } | { status: 'notOpen' } | { status: 'notFound' };

/** How many customers a card referred, and how many of them bought. */
export interface ReferralCount {
  count: number;
  deals: number;
}

export interface ReferralList {
  open: ReferralFacts[];
  awaiting: ReferralFacts[];
  more: boolean;
}

const CARD_REF = { _id: 1, teamId: 1, name: 1, number: 1, ownerId: 1 } as const;

function toObjectId(id: string): Types.ObjectId | null {
  return isValidObjectId(id) ? new Types.ObjectId(id) : null;
}

const cardLabel = (card: Pick<CardRef, 'name' | 'number'>) => `${card.name} ${card.number}`;

/**
 * 转介绍: the referral ledger. A referral links two cards of one team, is
 * acted on at once (its contact nudge is due the moment it is recorded), and
 * ends with the referrer told how it went and thanked. Every change to a
 * referral is a guarded write, with its history on both cards.
 */
export function createReferralService({ models, now, settings, nudges, writes, events }: Deps) {
  const cardRef = (teamId: string, _id: Types.ObjectId) =>
    models.customers.findOne({ _id, teamId }, CARD_REF).lean<CardRef>();

  const openReferralOf = (teamId: string, referredId: Types.ObjectId) =>
    models.referrals.findOne({ teamId, referredId, status: 'open' }).lean();

  /**
   * Whether `referrerId` may become the prospect's referrer: a card of the
   * same team, not the prospect itself, and no other open referral of the
   * prospect. Decided on the prospect's version being saved, so two saves
   * racing to link one prospect cannot both pass.
   */
  async function checkLink(teamId: string, prospectId: Types.ObjectId, referrerId: string): Promise<LinkCheck> {
    const id = toObjectId(referrerId);
    if (id?.equals(prospectId)) return { ok: false, reason: 'self' };
    const referrer = id && (await cardRef(teamId, id));
    if (!referrer) return { ok: false, reason: 'referrerGone' };
    const open = await openReferralOf(teamId, prospectId);
    if (open && !open.referrerId.equals(referrer._id)) {
      const current = await cardRef(teamId, open.referrerId);
      return { ok: false, reason: 'alreadyOpen', referrer: current ? cardLabel(current) : '' };
    }
    return { ok: true, referrer, linked: Boolean(open) };
  }

  /** A history entry on one card of the referral; `changes` are new values (a referral's fields are only ever set). */
  const entry = (
    card: CardRef,
    action: HistoryAction,
    userId: string,
    changes: Record<string, string | undefined>,
    step: string,
  ) => {
    const set = Object.entries(changes).flatMap(([field, to]) =>
      to === undefined ? [] : [{ field, from: undefined, to }],
    );
    return {
      model: models.history,
      doc: historyDoc(
        { teamId: card.teamId, customerId: card._id, action, userId, at: now(), changes: set },
        idFor(`${step}:${card._id.toString()}`),
      ),
    };
  };

  /**
   * The referral a link makes, with both cards' history: written with the prospect's save, once (their ids come from
   * `step`).
   */
  async function linkRecords({ prospect, referrer, userId, step, needs, notes }: NewLink): Promise<GuardedRecord[]> {
    const { timezone } = await settings.settingsFor(prospect.teamId);
    const _id = idFor(`${step}:referral`);
    const referral = {
      _id,
      teamId: prospect.teamId,
      referrerId: referrer._id,
      referredId: prospect._id,
      date: todayIn(now(), timezone),
      ...(needs ? { needs } : {}),
      ...(notes ? { notes } : {}),
      recordedBy: userId,
      status: 'open',
      awaitingThanks: false,
      version: 1,
      createdAt: now(),
      updatedAt: now(),
    };
    return [
      { model: models.referrals, doc: referral },
      entry(prospect, 'referralRecorded', userId, { referrerId: cardLabel(referrer) }, `${step}:referral`),
      entry(referrer, 'referralRecorded', userId, { referral: cardLabel(prospect) }, `${step}:referral`),
    ];
  }

  /** The first contact logged with a referred customer: how long it took is kept on the referral. */
  async function recordFirstContact(teamId: string, referredId: Types.ObjectId): Promise<void> {
    const waiting = await models.referrals
      .findOne({ teamId, referredId, status: 'open', firstContactAt: { $exists: false } }, { _id: 1 })
      .lean();
    if (!waiting) return;
    await writes.updateUntilWritten<ReferralRecord>(models.referrals, teamId, waiting._id, (r) =>
      r.firstContactAt
        ? null
        : { set: { firstContactAt: now(), firstContactMinutes: firstContactMinutes(r.createdAt, now()) } },
    );
  }

  async function closeReferral(
    referral: ReferralRecord,
    userId: string,
    outcome: { status: 'deal'; saleId: Types.ObjectId } | { status: 'noDeal'; reason: string },
  ): Promise<ReferralRecord | null> {
    const at = now();
    const changes = {
      referralOutcome: outcome.status,
      noDealReason: outcome.status === 'noDeal' ? outcome.reason : undefined,
    };
    const step = `${referral._id.toString()}:outcome`;
    const [referrer, referred] = await Promise.all([
      cardRef(referral.teamId, referral.referrerId),
      cardRef(referral.teamId, referral.referredId),
    ]);
    // The referrer's owner is then asked to tell the referrer how it went, and to thank them (the thanks kind).
    const closed = events.withChange(
      {
        type: 'referralClosed',
        teamId: referral.teamId,
        customerId: referral.referrerId.toString(),
        by: userId,
        referralId: referral._id.toString(),
      },
      `${step}:referralClosed`,
    );
    const written = await writes.updateUntilWritten<ReferralRecord>(
      models.referrals,
      referral.teamId,
      referral._id,
      (r) =>
        r.status !== 'open'
          ? null
          : {
              set: {
                status: outcome.status,
                outcomeAt: at,
                outcomeBy: userId,
                awaitingThanks: !r.thanks,
                ...(outcome.status === 'deal' ? { dealSaleId: outcome.saleId } : { noDealReason: outcome.reason }),
              },
              records: [
                ...[referrer, referred].flatMap((card) =>
                  card ? [entry(card, 'referralOutcome', userId, changes, step)] : [],
                ),
                closed.record,
              ],
            },
    );
    if (written) await closed.react();
    return written;
  }

  /** A referred customer's sale while its referral is open: the referral became a deal. */
  async function recordDeal(
    teamId: string,
    referredId: Types.ObjectId,
    saleId: Types.ObjectId,
    userId: string,
  ): Promise<void> {
    const open = await openReferralOf(teamId, referredId);
    if (open) await closeReferral(open, userId, { status: 'deal', saleId });
  }

  async function getReferral(teamId: string, referralId: string): Promise<ReferralRecord | null> {
    const _id = toObjectId(referralId);
    return _id ? models.referrals.findOne({ _id, teamId }).lean() : null;
  }

  async function markNoDeal(
    teamId: string,
    referralId: string,
    userId: string,
    reason: string,
  ): Promise<OutcomeResult> {
    const referral = await getReferral(teamId, referralId);
    if (!referral) return { status: 'notFound' };
    const closed = await closeReferral(referral, userId, { status: 'noDeal', reason });
    return closed ? { status: 'ok' } : { status: 'notOpen' };
  }

  async function factsOf(referral: ReferralRecord): Promise<ReferralFacts | null> {
    const [referrer, referred] = await Promise.all([
      cardRef(referral.teamId, referral.referrerId),
      cardRef(referral.teamId, referral.referredId),
    ]);
    return referrer && referred ? { referral, referrer, referred } : null;
  }

  async function facts(teamId: string, referralId: string): Promise<ReferralFacts | null> {
    const referral = await getReferral(teamId, referralId);
    return referral && factsOf(referral);
  }

  /** Closes the referral's thanks nudges; returns where they were posted, to update those messages. */
  async function answerThanksNudges(referral: ReferralRecord, userId: string) {
    const open = await nudges.openFrom(referral.teamId, referral.referrerId, 'thanks', referral._id);
    const answered = await Promise.all(open.map((n) => nudges.answer(referral.teamId, n._id.toString(), userId)));
    return answered.flatMap((a) =>
      a.status === 'ok' && a.nudge.channel && a.nudge.messageTs
        ? [{ channel: a.nudge.channel, messageTs: a.nudge.messageTs }]
        : [],
    );
  }

  /** Records who thanked the referrer, when and how; of two people thanking at once, one is recorded. */
  async function thank(
    teamId: string,
    referralId: string,
    userId: string,
    how: ThanksWay,
    note?: string,
  ): Promise<ThanksResult> {
    const found = await facts(teamId, referralId);
    if (!found) return { status: 'notFound' };
    const { referral, referrer, referred } = found;
    const thanks = { by: userId, at: now(), how, ...(note ? { note } : {}) };
    const step = `${referral._id.toString()}:thanks`;
    let by = '';
    const written = await writes.updateUntilWritten<ReferralRecord>(models.referrals, teamId, referral._id, (r) => {
      if (r.thanks) {
        by = r.thanks.by;
        return null;
      }
      return {
        set: { thanks, awaitingThanks: false },
        records: [referrer, referred].map((card) =>
          entry(card, 'referrerThanked', userId, { thanks: how, thanksNote: note }, step),
        ),
      };
    });
    if (!written) return by ? { status: 'already', by } : { status: 'notFound' };
    return {
      status: 'thanked',
      facts: { referral: written, referrer, referred },
      answered: await answerThanksNudges(written, userId),
    };
  }

  async function referredBy(customer: CustomerRecord): Promise<ReferredBy | null> {
    const referral = await models.referrals
      .findOne({ teamId: customer.teamId, referredId: customer._id })
      .sort({ createdAt: -1 })
      .lean();
    return referral ? { referral, referrer: await cardRef(customer.teamId, referral.referrerId) } : null;
  }

  async function asReferrer(customer: CustomerRecord, today: CalendarDate): Promise<ReferrerSummary> {
    const { teamId } = customer;
    const referrals = await models.referrals.find({ teamId, referrerId: customer._id }).sort({ createdAt: -1 }).lean();
    const deals = referrals.filter((r) => r.status === 'deal');
    const waiting = referrals.filter((r) => r.awaitingThanks).reverse();
    const shown = waiting.slice(0, domain.referral.shownOnCard);
    // Most cards referred nobody: nothing more to read; the others' two reads go together.
    const [cards, year] = await Promise.all([
      shown.length === 0
        ? []
        : models.customers.find({ teamId, _id: { $in: shown.map((r) => r.referredId) } }, CARD_REF).lean<CardRef[]>(),
      yearTotals(
        models,
        now(),
        teamId,
        referrals.map((r) => r.referredId),
        today,
      ),
    ]);
    const byId = new Map(cards.map((c) => [c._id.toString(), c]));
    return {
      count: referrals.length,
      deals: deals.length,
      valueFen: year.salesFen,
      awaiting: shown.flatMap((referral) => {
        const referred = byId.get(referral.referredId.toString());
        return referred ? [{ referral, referred }] : [];
      }),
      moreAwaiting: waiting.length - shown.length,
      suggestAmbassador: shouldSuggestAmbassador(customer, deals.length),
    };
  }

  /** What a card shows about referrals, on both sides. */
  async function cardReferrals(customer: CustomerRecord, today: CalendarDate): Promise<CardReferrals> {
    const [by, summary] = await Promise.all([referredBy(customer), asReferrer(customer, today)]);
    return { referredBy: by, asReferrer: summary };
  }

  async function withCards(referrals: ReferralRecord[]): Promise<ReferralFacts[]> {
    const ids = referrals.flatMap((r) => [r.referrerId, r.referredId]);
    const teamId = referrals[0]?.teamId;
    if (!teamId) return [];
    const cards = await models.customers.find({ teamId, _id: { $in: ids } }, CARD_REF).lean<CardRef[]>();
    const byId = new Map(cards.map((c) => [c._id.toString(), c]));
    return referrals.flatMap((referral) => {
      const referrer = byId.get(referral.referrerId.toString());
      const referred = byId.get(referral.referredId.toString());
      return referrer && referred ? [{ referral, referrer, referred }] : [];
    });
  }

  /** `/card referrals`: open referrals and those waiting for thanks, oldest first. */
  async function listReferrals(teamId: string): Promise<ReferralList> {
    const limit = domain.referral.listed + 1;
    const [open, awaiting] = await Promise.all([
      models.referrals.find({ teamId, status: 'open' }).sort({ createdAt: 1 }).limit(limit).lean(),
      models.referrals.find({ teamId, awaitingThanks: true }).sort({ outcomeAt: 1 }).limit(limit).lean(),
    ]);
    const more = open.length === limit || awaiting.length === limit;
    const cut = (list: ReferralRecord[]) => withCards(list.slice(0, domain.referral.listed));
    const [openFacts, awaitingFacts] = await Promise.all([cut(open), cut(awaiting)]);
    return { open: openFacts, awaiting: awaitingFacts, more };
  }

  /** How many customers each card referred and how many of them bought (the ambassador list). */
  async function countsFor(teamId: string, referrerIds: Types.ObjectId[]): Promise<Map<string, ReferralCount>> {
    const referrals = await models.referrals
      .find({ teamId, referrerId: { $in: referrerIds } }, { referrerId: 1, status: 1 })
      .batchSize(domain.lists.readAtOnce)
      .lean();
    const counts = new Map<string, ReferralCount>();
    for (const r of referrals) {
      const c = counts.get(r.referrerId.toString()) ?? { count: 0, deals: 0 };
      counts.set(r.referrerId.toString(), { count: c.count + 1, deals: c.deals + (r.status === 'deal' ? 1 : 0) });
    }
    return counts;
  }

  return {
    checkLink,
    linkRecords,
    recordFirstContact,
    recordDeal,
    markNoDeal,
    thank,
    facts,
    cardReferrals,
    listReferrals,
    countsFor,
  };
}

export type ReferralService = ReturnType<typeof createReferralService>;
