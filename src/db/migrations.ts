import type { Types } from 'mongoose';
import { SEARCH_KEYS_VERSION, searchKeyChanges } from '../domain/lookup.js';
import type { Models } from '../models/index.js';
import { parseOccasionDate } from '../domain/occasionInput.js';
import { nextOccasionOn } from '../domain/occasions.js';
import { addDays, todayIn } from '../time.js';
import { onceForDatabase } from './bootSteps.js';
import { insertOnce } from './writeIfUnchanged.js';

const REKEY_BATCH = 500;

/**
 * Brings documents written by earlier releases up to the current shape. Each
 * step only touches documents that lack what it adds, so running it on every
 * boot, from several instances at once, is harmless.
 */
export async function migrate(models: Models, now: () => Date): Promise<void> {
  await moveFollowUpsIntoNudges(models);
  await rekeyCards(models);
  await moveSettingsUnderKinds(models);
  await onceForDatabase(models.customers.db.db!, ['birthdaysAsDates'], () => readBirthdaysAsDates(models, now()));
}

/**
 * Birthdays were a full solar date typed as text (1975-04-01); a card now
 * keeps the date's parts and its calendar, and when its next day falls. Read
 * in `_id` order a batch at a time and written in one bulk request per batch,
 * each only if the card still holds the text read (an edit since wrote the
 * new form itself). A year the rules refuse (before 1900) is dropped, the
 * month and day kept.
 */
async function readBirthdaysAsDates(models: Models, at: Date): Promise<void> {
  const cards = models.customers.collection;
  // A day early: the lower bound of every team's today, whatever its time zone (lists roll it forward).
  const today = addDays(todayIn(at, 'UTC'), -1);
  const typed = { birthday: { $type: 'string' } };
  let after: Types.ObjectId | undefined;
  for (;;) {
    const batch = await cards
      .find(after ? { ...typed, _id: { $gt: after } } : typed, {
        projection: { _id: 1, birthday: 1, importantDays: 1 },
      })
      .sort({ _id: 1 })
      .limit(REKEY_BATCH)
      .toArray();
    const writes = batch.flatMap(({ _id, birthday: text, importantDays }) => {
      const read = parseOccasionDate(String(text));
      const withoutYear = read.ok ? read : parseOccasionDate(String(text).slice(5));
      if (!withoutYear.ok) return [];
      const birthday = withoutYear.date;
      const coming = nextOccasionOn({ birthday, importantDays }, today);
      const filter = { _id, birthday: text };
      return [{ updateOne: { filter, update: { $set: { birthday, ...(coming ? { nextOccasionOn: coming } : {}) } } } }];
    });
    if (writes.length > 0) await cards.bulkWrite(writes, { ordered: false });
    if (batch.length < REKEY_BATCH) return;
    after = batch.at(-1)!._id;
  }
}

/**
 * Where an earlier release stored a team's collection matrix, cadence and pool thresholds, and the kinds' group each is
 * now.
 */
const EARLIER_SETTINGS = { collectionMatrix: 'collection', cadenceDays: 'cadenceDays', pool: 'pool' } as const;

/**
 * The reminder kinds' settings live under `kindSettings.<group>` now, each
 * kind declaring its own. A team that changed some under an earlier release
 * has them moved there, from the version read (a save racing it wins, and
 * the next boot moves what is left).
 */
async function moveSettingsUnderKinds(models: Models): Promise<void> {
  const teams = models.teams.collection;
  const earlier = Object.keys(EARLIER_SETTINGS) as (keyof typeof EARLIER_SETTINGS)[];
  for await (const team of teams.find({ $or: earlier.map((field) => ({ [field]: { $exists: true } })) })) {
    const kindSettings: Record<string, unknown> = { ...(team.kindSettings as Record<string, unknown> | undefined) };
    for (const field of earlier)
      if (team[field])
        kindSettings[EARLIER_SETTINGS[field]] = {
          ...(team[field] as object),
          ...(kindSettings[EARLIER_SETTINGS[field]] as object),
        };
    const $unset = Object.fromEntries(earlier.map((field) => [field, '']));
    await teams.updateOne({ _id: team._id, version: team.version }, { $set: { kindSettings }, $unset });
  }
}

const RETIRED_FOLLOW_UPS = 'followups';

/**
 * Follow-ups had an outbox of their own; they are now the `followUp` kind of
 * the one nudge pipeline. Copied by `_id` (a copy already made is skipped),
 * then the old collection is dropped. Its documents predating versioned
 * writes get version 1.
 */
async function moveFollowUpsIntoNudges(models: Models): Promise<void> {
  const db = models.nudges.db.db!;
  const retiredExists = () => db.listCollections({ name: RETIRED_FOLLOW_UPS }).hasNext();
  if (!(await retiredExists())) return;
  try {
    for await (const { visitId, ...old } of db.collection(RETIRED_FOLLOW_UPS).find()) {
      await insertOnce(models.nudges, {
        version: 1,
        ...old,
        kind: 'followUp',
        ...(visitId ? { sourceId: visitId } : {}),
      });
    }
  } catch (error) {
    // Another instance booting at the same time finished the move and dropped the collection under this cursor.
    if (await retiredExists()) throw error;
    return;
  }
  await db.dropCollection(RETIRED_FOLLOW_UPS).catch(() => undefined);
}

/** Recomputes the lookup keys of cards keyed by older rules, in `_id` order so every card is visited once. */
async function rekeyCards(models: Models): Promise<void> {
  const outdated = { searchKeysVersion: { $not: { $gte: SEARCH_KEYS_VERSION } } };
  let after: Types.ObjectId | undefined;
  for (;;) {
    const batch = await models.customers
      .find(after ? { ...outdated, _id: { $gt: after } } : outdated, {
        _id: 1,
        teamId: 1,
        version: 1,
        name: 1,
        phone: 1,
        company: 1,
      })
      .sort({ _id: 1 })
      .limit(REKEY_BATCH)
      .lean();
    for (const { _id, teamId, version, name, phone, company } of batch) {
      // Only the version we read: an edit since then wrote current keys itself, so a miss needs no retry.
      const { set, unset } = searchKeyChanges({ name, phone, company });
      const $unset = Object.fromEntries(unset.map((key) => [key, '']));
      await models.customers.updateOne(
        { _id, teamId, version },
        unset.length > 0 ? { $set: set, $unset } : { $set: set },
      );
    }
    if (batch.length < REKEY_BATCH) return;
    after = batch.at(-1)!._id;
  }
}
