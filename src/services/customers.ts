import { isValidObjectId, Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { isDuplicateKey, isTransientWriteError } from '../db/errors.js';
import { idFor, newIdFor } from '../db/requestIds.js';
import { createSequenceCandidates } from '../db/sequenceCandidates.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import { CARD_FIELDS } from '../domain/cardFields.js';
import { formatCardNumber } from '../domain/cardNumber.js';
import { diffFields, type FieldChange } from '../domain/diff.js';
import { prefixUpperBound, searchKeys, type LookupRequest } from '../domain/lookup.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import { yearIn } from '../time.js';
import type { CardInput } from '../validation/cardInput.js';
import type { AmbassadorService } from './ambassadors.js';
import { historyDoc, type HistoryService } from './history.js';
import type { TeamSettingsService } from './teamSettings.js';

export type SearchRequest = Exclude<LookupRequest, { kind: 'help' } | { kind: 'tooLong' } | { kind: 'overdue' } | { kind: 'ambassadors' }>;

export interface SearchResult {
  matches: CustomerRecord[];
  /** More cards matched than are listed. */
  more: boolean;
}

export type SaveResult =
  | { status: 'saved'; customer: CustomerRecord }
  | { status: 'conflict' }
  | { status: 'notFound' };

const FIELD_KEYS = CARD_FIELDS.map((f) => f.key);

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  history: HistoryService;
  writes: GuardedWrites;
  ambassadors: AmbassadorService;
}

function toObjectId(id: string): Types.ObjectId | null {
  return isValidObjectId(id) ? new Types.ObjectId(id) : null;
}

export function createCustomerService({ models, now, settings, history, writes, ambassadors }: Deps) {
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

  async function findCustomer(teamId: string, customerId: string): Promise<CustomerRecord | null> {
    const _id = toObjectId(customerId);
    return _id ? models.customers.findOne({ _id, teamId }).lean() : null;
  }

  const counterId = (teamId: string, year: number) => `${teamId}:${year}`;

  /** Raises the team's counter to `seq`; a hint where to start probing, never the guarantee. */
  async function advanceCounter(teamId: string, year: number, seq: number): Promise<void> {
    const advance = () => models.counters.updateOne({ _id: counterId(teamId, year) }, { $max: { seq } }, { upsert: true });
    try {
      await advance();
    } catch (error) {
      // Two first cards of a year upsert the counter together: the loser's retry updates the winner's.
      if (!isDuplicateKey(error)) throw error;
      await advance();
    }
  }

  const nextCandidate = createSequenceCandidates();

  /**
   * Inserts the card under the first free number after the counter. The
   * unique (team, number) index is the guarantee, atomic on every server; a
   * number already taken moves on to the next one. The card's `_id` comes
   * from the request, so a replayed request finds its card instead of
   * creating a second one.
   */
  async function insertNumbered(teamId: string, _id: Types.ObjectId, fields: CardInput, userId: string, at: Date) {
    const { timezone } = await settings.settingsFor(teamId);
    const year = yearIn(at, timezone);
    for (let probe = 0; probe < domain.numbering.maxProbes; probe++) {
      const taken = (await models.counters.findById(counterId(teamId, year)).lean())?.seq ?? 0;
      const seq = nextCandidate(counterId(teamId, year), taken + 1);
      try {
        const created = await models.customers.create({
          ...fields, ...searchKeys(fields), _id, teamId, number: formatCardNumber(year, seq), year, version: 1, createdBy: userId, updatedBy: userId, createdAt: at, updatedAt: at,
        });
        await advanceCounter(teamId, year, seq);
        return { customer: created.toObject() as CustomerRecord, replayed: false };
      } catch (error) {
        if (!isDuplicateKey(error) && !isTransientWriteError(error)) throw error;
        const existing = await models.customers.findOne({ _id, teamId }).lean();
        if (existing) return { customer: existing, replayed: true };
      }
    }
    throw new Error(`no free card number for team ${teamId} after ${domain.numbering.maxProbes} tries`);
  }

  async function createCustomer(teamId: string, userId: string, input: CardInput, requestKey?: string): Promise<CustomerRecord> {
    const at = now();
    const fields = { ...input, ownerId: input.ownerId ?? userId };
    const _id = newIdFor(requestKey, 'card');
    const { customer } = await insertNumbered(teamId, _id, fields, userId, at);
    // Written on a replay too, in case the first delivery stopped between the two inserts.
    await history.recordHistory(
      { teamId, customerId: customer._id, action: 'created', userId: customer.createdBy, at: customer.createdAt, changes: diffFields({}, fields, FIELD_KEYS) },
      idFor(`${customer._id.toString()}:created`),
    );
    await ambassadors.cardSaved(customer, userId);
    return customer;
  }

  function updateFields(changes: FieldChange[], input: CardInput, userId: string) {
    const set: Record<string, unknown> = { ...searchKeys(input), updatedBy: userId };
    const unset: string[] = [];
    for (const { field, to } of changes) {
      if (to === undefined) unset.push(field);
      else set[field] = to;
    }
    if (set.phoneKey === undefined) {
      delete set.phoneKey;
      unset.push('phoneKey');
    }
    return { set, unset };
  }

  const SAVE_RESULTS = { written: 'saved', replayed: 'saved', conflict: 'conflict', notFound: 'notFound' } as const;

  /** Saves an edit only if nobody saved another since `expectedVersion` was read; the history entry lands with it. */
  async function updateCustomer(
    teamId: string,
    userId: string,
    customerId: string,
    expectedVersion: number,
    input: CardInput,
    requestKey?: string,
  ): Promise<SaveResult> {
    const current = await findCustomer(teamId, customerId);
    if (!current) return { status: 'notFound' };
    if (current.version !== expectedVersion) {
      const outcome = await writes.staleOutcome(models.customers, current._id, expectedVersion, requestKey);
      if (outcome !== 'replayed') return { status: 'conflict' };
      await ambassadors.cardSaved(current, userId);
      return { status: 'saved', customer: current };
    }
    const changes = diffFields(current, input, FIELD_KEYS);
    if (changes.length === 0) return { status: 'saved', customer: current };
    const entry = { teamId, customerId: current._id, action: 'updated' as const, userId, at: now(), changes };
    const outcome = await writes.writeIfUnchanged({
      teamId,
      model: models.customers,
      id: current._id,
      version: expectedVersion,
      ...updateFields(changes, input, userId),
      records: [{ model: models.history, doc: historyDoc(entry) }],
      requestKey,
    });
    const status = SAVE_RESULTS[outcome];
    if (status !== 'saved') return { status };
    const saved = (await findCustomer(teamId, customerId)) ?? current;
    await ambassadors.cardSaved(saved, userId);
    return { status, customer: saved };
  }

  return { findCustomers, findCustomer, createCustomer, updateCustomer };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
