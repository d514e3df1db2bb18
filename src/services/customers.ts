import { isValidObjectId, Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { isDuplicateKey } from '../db/errors.js';
import { CARD_FIELDS } from '../domain/cardFields.js';
import { formatCardNumber } from '../domain/cardNumber.js';
import { diffFields, type FieldChange } from '../domain/diff.js';
import { nameKey, phoneKey, prefixUpperBound, type LookupRequest } from '../domain/lookup.js';
import type { CustomerRecord } from '../models/customer.js';
import type { FollowUpRecord } from '../models/followUp.js';
import { OPEN_FOLLOW_UP_STATUSES } from '../models/followUp.js';
import type { Models } from '../models/index.js';
import type { PromiseRecord } from '../models/promise.js';
import type { VisitRecord } from '../models/visit.js';
import { yearIn } from '../time.js';
import type { CardInput } from '../validation/cardInput.js';
import type { HistoryService } from './history.js';
import type { TeamSettingsService } from './teamSettings.js';

export type SearchRequest = Exclude<LookupRequest, { kind: 'help' } | { kind: 'tooLong' }>;

export interface SearchResult {
  matches: CustomerRecord[];
  /** More cards matched than are listed. */
  more: boolean;
}

export interface CardData {
  customer: CustomerRecord;
  lastVisits: VisitRecord[];
  openPromises: PromiseRecord[];
  nextFollowUp: FollowUpRecord | null;
}

export type SaveResult =
  | { status: 'saved'; customer: CustomerRecord }
  | { status: 'conflict' }
  | { status: 'notFound' };

const FIELD_KEYS = CARD_FIELDS.map((f) => f.key);
const MAX_NUMBERING_ATTEMPTS = 5;

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  history: HistoryService;
}

/** Fields derived from the input that lookups match on. */
function searchKeys(input: CardInput) {
  return { nameKey: nameKey(input.name), phoneKey: input.phone ? phoneKey(input.phone) : undefined };
}

function toObjectId(id: string): Types.ObjectId | null {
  return isValidObjectId(id) ? new Types.ObjectId(id) : null;
}

export function createCustomerService({ models, now, settings, history }: Deps) {
  const limit = domain.lookup.maxListed + 1;

  async function findCustomers(teamId: string, request: SearchRequest): Promise<SearchResult> {
    const byName = (filter: object) =>
      models.customers.find({ teamId, ...filter }).sort({ nameKey: 1, number: 1 }).limit(limit).lean();
    let matches: CustomerRecord[];
    if (request.kind === 'number') {
      matches = await models.customers.find({ teamId, number: request.number }).limit(1).lean();
    } else if (request.kind === 'phone') {
      matches = await byName({ phoneKey: request.phoneKey });
    } else {
      matches = await byName({ nameKey: request.nameKey });
      if (matches.length === 0) {
        matches = await byName({ nameKey: { $gte: request.nameKey, $lt: prefixUpperBound(request.nameKey) } });
      }
    }
    return { matches: matches.slice(0, domain.lookup.maxListed), more: matches.length > domain.lookup.maxListed };
  }

  async function loadCard(customer: CustomerRecord): Promise<CardData> {
    const { teamId, _id: customerId } = customer;
    const [lastVisits, openPromises, nextFollowUp] = await Promise.all([
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
      models.followUps
        .findOne({ teamId, customerId, status: { $in: OPEN_FOLLOW_UP_STATUSES } })
        .sort({ dueDate: 1 })
        .lean(),
    ]);
    return { customer, lastVisits, openPromises, nextFollowUp };
  }

  async function findCustomer(teamId: string, customerId: string): Promise<CustomerRecord | null> {
    const _id = toObjectId(customerId);
    return _id ? models.customers.findOne({ _id, teamId }).lean() : null;
  }

  async function getCard(teamId: string, customerId: string): Promise<CardData | null> {
    const customer = await findCustomer(teamId, customerId);
    return customer ? loadCard(customer) : null;
  }

  async function nextCardNumber(teamId: string, at: Date): Promise<{ number: string; year: number }> {
    const { timezone } = await settings.settingsFor(teamId);
    const year = yearIn(at, timezone);
    const counter = await models.counters
      .findOneAndUpdate({ _id: `${teamId}:${year}` }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' })
      .lean();
    return { number: formatCardNumber(year, counter!.seq), year };
  }

  /**
   * Inserts under the next card number. The unique (team, number) index is the
   * guarantee; a number already taken (a counter update lost on a server
   * without atomic findAndModify) just moves on to the next one.
   */
  async function insertNumbered(teamId: string, fields: CardInput, userId: string, at: Date): Promise<CustomerRecord> {
    for (let attempt = 1; ; attempt++) {
      const { number, year } = await nextCardNumber(teamId, at);
      try {
        const created = await models.customers.create({
          ...fields,
          ...searchKeys(fields),
          teamId,
          number,
          year,
          version: 1,
          createdBy: userId,
          updatedBy: userId,
        });
        return created.toObject();
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= MAX_NUMBERING_ATTEMPTS) throw error;
      }
    }
  }

  async function createCustomer(teamId: string, userId: string, input: CardInput): Promise<CustomerRecord> {
    const at = now();
    const fields = { ...input, ownerId: input.ownerId ?? userId };
    const customer = await insertNumbered(teamId, fields, userId, at);
    await history.recordHistory({
      teamId,
      customerId: customer._id,
      action: 'created',
      userId,
      at,
      changes: diffFields({}, fields, FIELD_KEYS),
    });
    return customer;
  }

  function updateOperation(changes: FieldChange[], input: CardInput, userId: string) {
    const $set: Record<string, unknown> = { ...searchKeys(input), updatedBy: userId };
    const $unset: Record<string, ''> = {};
    for (const { field, to } of changes) {
      if (to === undefined) $unset[field] = '';
      else $set[field] = to;
    }
    if ($set.phoneKey === undefined) {
      delete $set.phoneKey;
      $unset.phoneKey = '';
    }
    return { $set, $unset, $inc: { version: 1 } };
  }

  /** Saves an edit only if nobody saved another since `expectedVersion` was read. */
  async function updateCustomer(
    teamId: string,
    userId: string,
    customerId: string,
    expectedVersion: number,
    input: CardInput,
  ): Promise<SaveResult> {
    const current = await findCustomer(teamId, customerId);
    if (!current) return { status: 'notFound' };
    if (current.version !== expectedVersion) return { status: 'conflict' };
    const changes = diffFields(current, input, FIELD_KEYS);
    if (changes.length === 0) return { status: 'saved', customer: current };
    const updated = await models.customers
      .findOneAndUpdate({ _id: current._id, teamId, version: expectedVersion }, updateOperation(changes, input, userId), {
        returnDocument: 'after',
      })
      .lean();
    if (!updated) return { status: 'conflict' };
    await history.recordHistory({ teamId, customerId: current._id, action: 'updated', userId, at: now(), changes });
    return { status: 'saved', customer: updated };
  }

  return { findCustomers, findCustomer, loadCard, getCard, createCustomer, updateCustomer };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
