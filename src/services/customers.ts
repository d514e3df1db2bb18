import { isValidObjectId, Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { insertMany } from '../db/bulk.js';
import { isDuplicateKey, isTransientWriteError } from '../db/errors.js';
import { idFor, newIdFor } from '../db/requestIds.js';
import { createSequenceCandidates } from '../db/sequenceCandidates.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import { CARD_FIELDS } from '../domain/cardFields.js';
import { cardFingerprint } from '../domain/cardFingerprint.js';
import { formatCardNumber } from '../domain/cardNumber.js';
import { diffFields, type FieldChange } from '../domain/diff.js';
import {
  isPinyinText,
  keyPrefix,
  prefixUpperBound,
  searchKeyChanges,
  searchKeys,
  type SearchLookup,
} from '../domain/lookup.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import { todayIn, yearIn, type CalendarDate } from '../time.js';
import { nextOccasionOn, type CardOccasions } from '../domain/occasions.js';
import { mergeCard, type IncomingCard } from '../importing/merge.js';
import type { CardInput } from '../validation/cardInput.js';
import type { CardEvent, CardEvents, RecordedEvent } from './cardEvents.js';
import { historyDoc, type HistoryService } from './history.js';
import type { CardRef, LinkRefusal, ReferralService } from './referrals.js';
import type { TeamSettingsService } from './teamSettings.js';

export type SearchRequest = SearchLookup;

export interface SearchResult {
  matches: CustomerRecord[];
  /** More cards matched than are listed. */
  more: boolean;
}

export interface FindOptions {
  /** A card never listed: the card being edited cannot refer itself. */
  excludeId?: string;
  /** `/card`: a card with exactly the typed name is the answer; looser matches are listed only when none has it. */
  exactDecides?: boolean;
}

/**
 * An edit's outcome. Saved: the card as written, and `react`, the reminder kinds' reaction to the edit, to be run once
 * the person has been answered (should the instance stop first, the next scan runs it).
 */
export type SaveResult =
  | { status: 'saved'; customer: CustomerRecord; react(): Promise<void> }
  | { status: 'conflict' }
  | { status: 'notFound' }
  | { status: 'refused'; refusal: LinkRefusal };

/**
 * A card made: `react` has the reminder kinds react to it, to be run once the
 * person has been answered (should the instance stop first, the next scan runs it).
 */
export type CreateResult =
  { status: 'created'; customer: CustomerRecord; react(): Promise<void> } | { status: 'refused'; refusal: LinkRefusal };

/** How an import's row is merged into the card it matched. */
export interface ImportedMerge {
  overwrite: boolean;
  /** Names the import's row: a replay of it (after a crash) is recognised, and its referral made once. */
  requestKey: string;
  historyId: Types.ObjectId;
  /** The history entry's first lines: which file and row. */
  source: FieldChange[];
}

/** What a referred prospect's referral notes (the Record referral modal). */
export interface ReferralNotes {
  needs?: string;
  notes?: string;
}

const FIELD_KEYS = CARD_FIELDS.map((f) => f.key);
/** An edit changes every field but the owner: a card changes hands through Reassign, which moves its reminders too. */
const EDIT_KEYS = FIELD_KEYS.filter((key) => key !== 'ownerId');

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  history: HistoryService;
  writes: GuardedWrites;
  referrals: ReferralService;
  events: CardEvents;
}

const cardLabel = (card: Pick<CardRef, 'name' | 'number'>) => `${card.name} ${card.number}`;

/** Names the edit from `version`: a referral it links gets its ids from it. */
const referralStep = (customerId: Types.ObjectId, version: number) => `${customerId.toString()}:v${version + 1}`;

/** History shows the referrer by name and number, not by id. */
function describeReferrer(changes: FieldChange[], referrer: CardRef | undefined): FieldChange[] {
  return changes.map((c) =>
    c.field === 'referrerId' ? { ...c, from: undefined, to: referrer ? cardLabel(referrer) : undefined } : c,
  );
}

/** One step of the ranked search: an indexed query read in its index's order, so the limit ends the scan. */
export interface SearchStage {
  filter: object;
  sort: Record<string, 1>;
}

const startsWith = (key: string, prefix: string) => ({ [key]: { $gte: prefix, $lt: prefixUpperBound(prefix) } });
const inOrderOf = (key: string): Record<string, 1> => ({ [key]: 1, number: 1 });

/**
 * The stages of a search, best match first: a card number or a phone is one
 * exact stage; text is the exact name, then the looser ones: names starting
 * with it, then (when it could be pinyin) full pinyin and initials starting
 * with it, then companies.
 */
export function searchStages(request: SearchRequest): { exact: SearchStage; looser: SearchStage[] } {
  if (request.kind === 'number')
    return { exact: { filter: { number: request.number }, sort: inOrderOf('number') }, looser: [] };
  if (request.kind === 'phone')
    return { exact: { filter: { phoneKey: request.phoneKey }, sort: inOrderOf('nameKey') }, looser: [] };
  const name = request.nameKey;
  const prefix = keyPrefix(name);
  const pinyinStages = isPinyinText(name)
    ? ['pinyinKey', 'initialsKey'].map((key) => ({ filter: startsWith(key, prefix), sort: inOrderOf(key) }))
    : [];
  return {
    exact: { filter: { nameKey: name }, sort: inOrderOf('nameKey') },
    looser: [
      // Strictly after the name itself: the exact matches are the stage before.
      { filter: { nameKey: { $gt: name, $lt: prefixUpperBound(name) } }, sort: inOrderOf('nameKey') },
      ...pinyinStages,
      { filter: startsWith('companyKey', prefix), sort: inOrderOf('companyKey') },
    ],
  };
}

function toObjectId(id: string): Types.ObjectId | null {
  return isValidObjectId(id) ? new Types.ObjectId(id) : null;
}

export function createCustomerService({ models, now, settings, history, writes, referrals, events }: Deps) {
  const limit = domain.lookup.maxListed + 1;

  /**
   * The one finder behind `/card` and the card type-ahead: each stage is asked
   * only while fewer than maxListed + 1 cards are found, for no more than are
   * missing, never for a card already found or excluded.
   */
  async function findCustomers(
    teamId: string,
    request: SearchRequest,
    options: FindOptions = {},
  ): Promise<SearchResult> {
    const excluded = options.excludeId ? [toObjectId(options.excludeId)].filter((id) => id !== null) : [];
    const found: CustomerRecord[] = [];
    const ask = async ({ filter, sort }: SearchStage) => {
      if (found.length >= limit) return;
      const skip = [...excluded, ...found.map((c) => c._id)];
      const query = { teamId, ...filter, ...(skip.length > 0 ? { _id: { $nin: skip } } : {}) };
      found.push(
        ...(await models.customers
          .find(query)
          .sort(sort)
          .limit(limit - found.length)
          .lean()),
      );
    };
    const { exact, looser } = searchStages(request);
    await ask(exact);
    if (!(options.exactDecides && found.length > 0)) {
      for (const stage of looser) await ask(stage);
    }
    return { matches: found.slice(0, domain.lookup.maxListed), more: found.length > domain.lookup.maxListed };
  }

  async function findCustomer(teamId: string, customerId: string): Promise<CustomerRecord | null> {
    const _id = toObjectId(customerId);
    return _id ? models.customers.findOne({ _id, teamId }).lean() : null;
  }

  const counterId = (teamId: string, year: number) => `${teamId}:${year}`;

  /** Raises the team's counter to `seq`; a hint where to start probing, never the guarantee. */
  async function advanceCounter(teamId: string, year: number, seq: number): Promise<void> {
    const advance = () =>
      models.counters.updateOne({ _id: counterId(teamId, year) }, { $max: { seq } }, { upsert: true });
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
        const coming = nextOccasionOn(fields, todayIn(at, timezone));
        const created = await models.customers.create({
          ...fields,
          ...searchKeys(fields),
          ...(coming ? { nextOccasionOn: coming } : {}),
          _id,
          teamId,
          number: formatCardNumber(year, seq),
          year,
          version: 1,
          createdBy: userId,
          updatedBy: userId,
          createdAt: at,
          updatedAt: at,
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

  /**
   * Inserts many new cards at once (`/card import`), numbered from the team's
   * sequence: one unordered bulk insert with the next free numbers, then the
   * cards it refused tried again with the numbers after the counter. The
   * unique (team, number) index stays the guarantee; a card refused because
   * its `_id` is taken exists already (the same file imported at once by
   * someone else) and is left out. The counter is advanced to the last number
   * used. Each card's next birthday or important day is stored with it, as a
   * card created one by one has it. Resolves with the ids this call inserted.
   */
  async function insertNumberedMany(
    teamId: string,
    docs: (Record<string, unknown> & { _id: Types.ObjectId })[],
    at: Date,
  ): Promise<Types.ObjectId[]> {
    const { timezone } = await settings.settingsFor(teamId);
    const year = yearIn(at, timezone);
    const key = counterId(teamId, year);
    const today = todayIn(at, timezone);
    const inserted: Types.ObjectId[] = [];
    let pending = docs.map((doc) => {
      const coming = nextOccasionOn(doc as CardOccasions, today);
      return coming ? { ...doc, nextOccasionOn: coming } : doc;
    });
    for (let probe = 0; pending.length > 0; probe++) {
      if (probe >= domain.numbering.maxProbes)
        throw new Error(`no free card numbers for team ${teamId} after ${domain.numbering.maxProbes} tries`);
      const taken = (await models.counters.findById(key).lean())?.seq ?? 0;
      const seqs = pending.map(() => nextCandidate(key, taken + 1));
      const numbered = pending.map((doc, i) => ({ ...doc, year, number: formatCardNumber(year, seqs[i]!) }));
      const refused = new Set(await insertMany(models.customers, numbered));
      const took = seqs.filter((_, i) => !refused.has(i));
      inserted.push(...pending.filter((_, i) => !refused.has(i)).map((d) => d._id));
      if (took.length > 0) await advanceCounter(teamId, year, Math.max(...took));
      if (refused.size === 0) break;
      const again = pending.filter((_, i) => refused.has(i));
      const there = await models.customers.find({ teamId, _id: { $in: again.map((d) => d._id) } }, { _id: 1 }).lean();
      const made = new Set(there.map((c) => c._id.toString()));
      pending = again.filter((d) => !made.has(d._id.toString()));
    }
    return inserted;
  }

  /**
   * Creates a card; one that names a referrer is linked to it in the referral
   * ledger (its owner is then nudged at once). A referrer that is not a card
   * of the team refuses the whole card, before anything is written. What the
   * kinds make of it waits for the caller's `react`: a person creating a card
   * is answered as soon as it is written.
   */
  async function createCustomer(
    teamId: string,
    userId: string,
    input: CardInput,
    requestKey?: string,
    notes: ReferralNotes = {},
  ): Promise<CreateResult> {
    const at = now();
    const fields = { ...input, ownerId: input.ownerId ?? userId };
    const _id = newIdFor(requestKey, 'card');
    const link = input.referrerId ? await referrals.checkLink(teamId, _id, input.referrerId) : undefined;
    if (link && !link.ok) return { status: 'refused', refusal: link };
    const referrer = link?.referrer;
    const { customer } = await insertNumbered(teamId, _id, fields, userId, at);
    // What was filled in: a checkbox left unticked was not (宣传大使 “（空） → ✗” says nothing).
    const filled = diffFields({}, fields, FIELD_KEYS).filter((change) => change.to !== false);
    // Written on a replay too, in case the first delivery stopped between the inserts.
    await history.recordHistory(
      {
        teamId,
        customerId: customer._id,
        action: 'created',
        userId: customer.createdBy,
        at: customer.createdAt,
        changes: describeReferrer(filled, referrer),
      },
      idFor(`${customer._id.toString()}:created`),
    );
    const about = { teamId, customerId: customer._id.toString(), by: userId };
    const announced = [await events.record({ ...about, type: 'created' }, `${about.customerId}:created`)];
    if (referrer) {
      const step = `${customer._id.toString()}:created`;
      const records = await referrals.linkRecords({
        prospect: customer,
        referrer,
        userId: customer.createdBy,
        step,
        ...notes,
      });
      for (const { model, doc } of records) await writes.insertOnce(model, doc);
      const referralId = idFor(`${step}:referral`).toString();
      announced.push(await events.record({ ...about, type: 'referred', referralId }, `${referralId}:referred`));
    }
    const react = async () => {
      for (const event of announced) await event.react();
    };
    return { status: 'created', customer, react };
  }

  /** An edit as announced with its guarded write: saved, and referred when it linked a referrer. */
  function editEvents(
    card: Pick<CustomerRecord, '_id' | 'teamId'>,
    userId: string,
    version: number,
    referralStep?: string,
  ): RecordedEvent[] {
    const about = { teamId: card.teamId, customerId: card._id.toString(), by: userId };
    const saved: CardEvent = { ...about, type: 'saved' };
    const recorded = [events.withChange(saved, `${about.customerId}:v${version}:saved`)];
    if (referralStep) {
      const referralId = idFor(`${referralStep}:referral`).toString();
      recorded.push(events.withChange({ ...about, type: 'referred', referralId }, `${referralId}:referred`));
    }
    return recorded;
  }

  const none = async () => undefined;
  const reactAll = async (recorded: RecordedEvent[]) => {
    for (const event of recorded) await event.react();
  };

  function updateFields(changes: FieldChange[], input: CardInput, userId: string, today: CalendarDate) {
    const keys = searchKeyChanges(input);
    const coming = nextOccasionOn(input, today);
    const set: Record<string, unknown> = {
      ...keys.set,
      updatedBy: userId,
      ...(coming ? { nextOccasionOn: coming } : {}),
    };
    const unset = [...keys.unset, ...(coming ? [] : ['nextOccasionOn'])];
    for (const { field, to } of changes) {
      if (to === undefined) unset.push(field);
      else set[field] = to;
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
    fingerprint?: string,
  ): Promise<SaveResult> {
    const current = await findCustomer(teamId, customerId);
    if (!current) return { status: 'notFound' };
    let version = expectedVersion;
    if (current.version !== expectedVersion) {
      const outcome = await writes.staleOutcome(models.customers, current._id, expectedVersion, requestKey);
      if (outcome === 'replayed') {
        // The first delivery may have stopped after the save: its events were written with it; react to them again
        // (each reaction is idempotent).
        return {
          status: 'saved',
          customer: current,
          react: async () => {
            await events.again(teamId, `${current._id.toString()}:v${expectedVersion + 1}:saved`);
            await events.again(
              teamId,
              `${idFor(`${referralStep(current._id, expectedVersion)}:referral`).toString()}:referred`,
            );
          },
        };
      }
      // The card already holds exactly this edit (the same save delivered again after landing on top).
      if (diffFields(current, input, EDIT_KEYS).length === 0)
        return { status: 'saved', customer: current, react: none };
      // Only what the editor could not see changed since (a contact logged): the edit applies on top of it.
      if (!fingerprint || fingerprint !== cardFingerprint(current)) return { status: 'conflict' };
      version = current.version;
    }
    const changes = diffFields(current, input, EDIT_KEYS);
    if (changes.length === 0) return { status: 'saved', customer: current, react: none };
    const relinked = input.referrerId && input.referrerId !== current.referrerId;
    const link = relinked ? await referrals.checkLink(teamId, current._id, input.referrerId!) : undefined;
    if (link && !link.ok) return { status: 'refused', refusal: link };
    const step = referralStep(current._id, version);
    const linked =
      link && !link.linked
        ? await referrals.linkRecords({ prospect: current, referrer: link.referrer, userId, step })
        : [];
    const entry = {
      teamId,
      customerId: current._id,
      action: 'updated' as const,
      userId,
      at: now(),
      changes: describeReferrer(changes, link?.referrer),
    };
    const announced = editEvents(current, userId, version + 1, linked.length > 0 ? step : undefined);
    const fields = updateFields(changes, input, userId, todayIn(now(), (await settings.settingsFor(teamId)).timezone));
    const outcome = await writes.writeIfUnchanged({
      teamId,
      model: models.customers,
      id: current._id,
      version,
      ...fields,
      records: [{ model: models.history, doc: historyDoc(entry) }, ...linked, ...announced.map((a) => a.record)],
      requestKey,
    });
    const status = SAVE_RESULTS[outcome];
    if (status !== 'saved') return { status };
    // The card as written, without reading it back: the person is answered with it, the kinds react afterwards.
    const written: Record<string, unknown> = { ...current, ...fields.set, version: version + 1 };
    for (const field of fields.unset) delete written[field];
    const customer = written as unknown as CustomerRecord;
    return { status, customer, react: () => reactAll(announced) };
  }

  /**
   * What an import's row writes to the card it matched (see mergeCard: it
   * fills what is blank, or with `overwrite` replaces what differs), as one
   * guarded step like an edit: its history entry (`imported`, naming the
   * file's row, under `historyId`) and its `saved` event land with it, and a
   * referrer it fills in is linked in the referral ledger (no contact nudge:
   * the referral is history). Tried again on a fresh read when someone saved
   * the card meanwhile. Resolves with whether it changed the card.
   */
  async function mergeImported(
    teamId: string,
    userId: string,
    customerId: Types.ObjectId,
    incoming: IncomingCard,
    { overwrite, requestKey, historyId, source }: ImportedMerge,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < domain.writes.maxRetries; attempt++) {
      const card = await models.customers.findOne({ _id: customerId, teamId }).lean();
      if (!card) return false;
      const today = todayIn(now(), (await settings.settingsFor(teamId)).timezone);
      let changes = mergeCard(card, incoming, overwrite);
      const relink = changes.find((c) => c.field === 'referrerId');
      const link = relink ? await referrals.checkLink(teamId, card._id, String(relink.to)) : undefined;
      if (link && !link.ok) changes = changes.filter((c) => c !== relink);
      if (changes.length === 0) return false;
      const linked =
        link?.ok && !link.linked
          ? await referrals.linkRecords({ prospect: card, referrer: link.referrer, userId, step: requestKey })
          : [];
      const merged = { ...card, ...Object.fromEntries(changes.map((c) => [c.field, c.to])) } as CardInput;
      const entry = {
        teamId,
        customerId: card._id,
        action: 'imported' as const,
        userId,
        at: now(),
        changes: [...source, ...describeReferrer(changes, link?.ok ? link.referrer : undefined)],
      };
      const [saved] = editEvents(card, userId, card.version + 1);
      const outcome = await writes.writeIfUnchanged({
        teamId,
        model: models.customers,
        id: card._id,
        version: card.version,
        ...updateFields(changes, merged, userId, today),
        records: [{ model: models.history, doc: historyDoc(entry, historyId) }, ...linked, saved!.record],
        requestKey,
      });
      if (outcome === 'written' || outcome === 'replayed') {
        await saved!.react();
        return true;
      }
      if (outcome === 'notFound') return false;
    }
    throw new Error(`card ${customerId.toString()} kept changing; its import gave up`);
  }

  /**
   * Answers the card's suggestion to mark the customer an ambassador: yes
   * marks them, no stops the suggestion. Either is in the card's history.
   */
  async function answerAmbassadorSuggestion(
    teamId: string,
    userId: string,
    customerId: string,
    mark: boolean,
  ): Promise<CustomerRecord | null> {
    const _id = toObjectId(customerId);
    if (!_id) return null;
    const field = mark ? 'ambassador' : 'ambassadorSuggestionDismissed';
    let announced: RecordedEvent[] = [];
    const written = await writes.updateUntilWritten<CustomerRecord>(models.customers, teamId, _id, (c) => {
      if (c[field]) return null;
      const entry = {
        teamId,
        customerId: _id,
        action: 'updated' as const,
        userId,
        at: now(),
        changes: [{ field, from: false, to: true }],
      };
      announced = editEvents(c, userId, c.version + 1);
      return {
        set: { [field]: true, updatedBy: userId },
        records: [{ model: models.history, doc: historyDoc(entry) }, ...announced.map((a) => a.record)],
      };
    });
    if (written) await reactAll(announced);
    return written ?? findCustomer(teamId, customerId);
  }

  return {
    findCustomers,
    findCustomer,
    createCustomer,
    insertNumberedMany,
    mergeImported,
    updateCustomer,
    answerAmbassadorSuggestion,
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
