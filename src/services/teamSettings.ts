import { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import type { CollectionThresholds } from '../domain/collection.js';
import type { SettingSpec, SettingValue } from '../domain/settings.js';
import { isDuplicateKey } from '../db/errors.js';
import type { GuardedWrites, WriteOutcome } from '../db/writeIfUnchanged.js';
import type { Locale } from '../i18n/index.js';
import type { Models } from '../models/index.js';
import type { SettingsChangeRecord } from '../models/settingsChange.js';
import type { TeamRecord } from '../models/team.js';
import type { CardEvents } from './cardEvents.js';
import { refreshingCache } from './refreshingCache.js';

/** 公海's thresholds (the pool kinds' settings). */
export interface PoolThresholds {
  afterDays: number;
  graceDays: number;
  excludeTiers: readonly string[];
}

/** Contact cadence in days per class (the cadence kind's settings). */
type CadenceDays = Record<'top' | 'large' | 'medium' | 'small' | 'inactive' | 'potential', number>;

export interface TeamSettings {
  teamId: string;
  locale: Locale;
  timezone: string;
  nudgeHour: number;
  /** Where nudges go; without one they go to the DM of the person they are for. */
  nudgeChannel?: string;
  /** Who sends payment reminders and letters (财务); the first is nudged; without any, the card's owner. */
  financeUserIds: readonly string[];
  /** Who agrees special handling of large, long-overdue debts, hands cards over and exports; the first is nudged. */
  managerUserIds: readonly string[];
  /** Every kind's setting, by key: the team's value, else the kind's default. */
  kinds: Readonly<Record<string, SettingValue>>;
  /** The collection matrix (the overdue kind's settings), as the rules that read it want it. */
  collection: CollectionThresholds;
  cadenceDays: CadenceDays;
  pool: PoolThresholds;
  /** Team-local hour from which the nightly segmentation runs. */
  segmentHour: number;
  /** Team-local hour of each salesperson's daily wrap-up. */
  wrapUpHour: number;
  /** Who may run admin commands. */
  adminUserIds: readonly string[];
  /** The settings' version: a change is written only from the version its admin saw. */
  version: number;
}

/** The environment's defaults for what is not a kind's. */
export type TeamDefaults = Pick<
  TeamSettings,
  | 'locale'
  | 'timezone'
  | 'nudgeHour'
  | 'nudgeChannel'
  | 'financeUserIds'
  | 'managerUserIds'
  | 'segmentHour'
  | 'wrapUpHour'
  | 'adminUserIds'
>;

/** What the settings modal edits: the team's own settings, and every kind's. */
export type EditableSettings = Pick<
  TeamSettings,
  'locale' | 'timezone' | 'nudgeHour' | 'nudgeChannel' | 'financeUserIds' | 'managerUserIds' | 'kinds'
>;

/**
 * Short, because with several instances a change made on one must show on
 * the others soon (within twice this: see refreshingCache): a read by _id
 * every few seconds, which no request waits for, costs far less than the
 * version check each request would. The instance that saved forgets at once.
 */
const CACHE_MS = 5_000;

type LoggedValue = string | number | readonly string[] | null;
export type SettingsChange = Pick<SettingsChangeRecord, 'field' | 'userId' | 'at'> & {
  from: LoggedValue;
  to: LoggedValue;
};
export type SettingsSaveResult = {
  outcome: Exclude<WriteOutcome, 'replayed'> | 'unchanged';
  changes: SettingsChange[];
};

const same = (a: LoggedValue, b: LoggedValue) => JSON.stringify(a) === JSON.stringify(b);
const split = (key: string) => key.split('.') as [string, string];

/** The settings of one group of keys (`pool.afterDays` → `{ afterDays }`), as an object. */
function groupOf<T>(kinds: Readonly<Record<string, SettingValue>>, group: string): T {
  return Object.fromEntries(
    Object.entries(kinds).flatMap(([key, value]) => (split(key)[0] === group ? [[split(key)[1], value]] : [])),
  ) as T;
}

/**
 * Team settings with the environment's and the kinds' defaults underneath.
 * Cached briefly because every command needs them; the first call also
 * registers the team so the nudge scan knows it exists.
 */
export function createTeamSettings(
  { models, now, writes, events }: { models: Models; now: () => Date; writes: GuardedWrites; events: CardEvents },
  defaults: TeamDefaults,
  specs: readonly SettingSpec[],
) {
  const cache = refreshingCache(CACHE_MS, async (teamId) =>
    resolve(teamId, (await models.teams.findById(teamId).lean()) ?? (await register(teamId))),
  );

  /** A workspace's first requests may arrive together: whichever insert loses just reads the winner's. */
  async function register(teamId: string): Promise<TeamRecord | null> {
    try {
      return (await models.teams.create({ _id: teamId, teamId, createdAt: now() })).toObject();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return models.teams.findById(teamId).lean();
    }
  }

  function resolve(teamId: string, team: TeamRecord | null): TeamSettings {
    const kinds = Object.fromEntries(
      specs.map((spec) => {
        const [group, field] = split(spec.key);
        return [spec.key, team?.kindSettings?.[group]?.[field] ?? spec.default];
      }),
    );
    return {
      ...defaults,
      teamId,
      locale: team?.locale ?? defaults.locale,
      timezone: team?.timezone ?? defaults.timezone,
      nudgeHour: team?.nudgeHour ?? defaults.nudgeHour,
      nudgeChannel: team?.nudgeChannel ?? defaults.nudgeChannel,
      financeUserIds: team?.financeUserIds ?? defaults.financeUserIds,
      managerUserIds: team?.managerUserIds ?? defaults.managerUserIds,
      kinds,
      collection: groupOf(kinds, 'collection'),
      cadenceDays: groupOf(kinds, 'cadenceDays'),
      pool: groupOf(kinds, 'pool'),
      version: team?.version ?? 0,
    };
  }

  /** `fresh`: read past the cache, for a settings modal whose version must be the stored one. */
  async function settingsFor(teamId: string, { fresh = false } = {}): Promise<TeamSettings> {
    if (fresh) cache.forget(teamId);
    return cache.get(teamId);
  }

  /** Every setting the modal edits, flat, as the change log names them. */
  function flatten(s: EditableSettings): Record<string, LoggedValue> {
    return {
      nudgeChannel: s.nudgeChannel ?? null,
      financeUserIds: s.financeUserIds,
      managerUserIds: s.managerUserIds,
      nudgeHour: s.nudgeHour,
      timezone: s.timezone,
      locale: s.locale,
      ...s.kinds,
    };
  }

  /**
   * The team document's fields that store the changed settings; only what changed is stored, so the rest keeps
   * following the defaults.
   */
  function storedChanges(team: TeamRecord, wanted: EditableSettings, changed: Set<string>) {
    const set: Record<string, unknown> = {};
    const unset: string[] = [];
    for (const field of ['nudgeHour', 'timezone', 'locale', 'financeUserIds', 'managerUserIds'] as const) {
      if (changed.has(field)) set[field] = wanted[field];
    }
    if (changed.has('nudgeChannel')) {
      if (wanted.nudgeChannel) set.nudgeChannel = wanted.nudgeChannel;
      else unset.push('nudgeChannel');
    }
    const kindSettings = structuredClone(team.kindSettings ?? {});
    const kindKeys = specs.map((s) => s.key).filter((key) => changed.has(key));
    for (const key of kindKeys) {
      const [group, field] = split(key);
      kindSettings[group] = { ...kindSettings[group], [field]: wanted.kinds[key]! };
    }
    if (kindKeys.length > 0) set.kindSettings = kindSettings;
    return { set, unset };
  }

  /**
   * Saves an admin's settings from the version they saw: every changed
   * setting is logged with the change in one guarded write, so two admins
   * saving at once cannot both win and the log never lies. What changed is
   * announced, for the kinds whose reminders follow a setting.
   */
  async function save(
    teamId: string,
    userId: string,
    seenVersion: number,
    wanted: EditableSettings,
  ): Promise<SettingsSaveResult> {
    // Teams registered before settings were versioned start at 0, and get the teamId guarded writes filter on.
    await models.teams.updateOne({ _id: teamId, version: { $exists: false } }, { $set: { version: 0, teamId } });
    const team = await models.teams.findById(teamId).lean();
    if (!team) return { outcome: 'notFound', changes: [] };
    if ((team.version ?? 0) !== seenVersion) return { outcome: 'conflict', changes: [] };
    const before = flatten(resolve(teamId, team));
    const after = flatten(wanted);
    const at = now();
    const changes = Object.keys(after)
      .filter((field) => !same(before[field] ?? null, after[field]!))
      .map((field) => ({ field, userId, at, from: before[field] ?? null, to: after[field]! }));
    if (changes.length === 0) return { outcome: 'unchanged', changes };
    const { set, unset } = storedChanges(team, wanted, new Set(changes.map((c) => c.field)));
    const records = changes.map((c) => ({
      model: models.settingsChanges,
      doc: { _id: new Types.ObjectId(), teamId, ...c },
    }));
    const announced = events.withChange(
      { type: 'settingsChanged', teamId, by: userId, fields: changes.map((c) => c.field) },
      `${teamId}:settings:v${seenVersion + 1}`,
    );
    const outcome = await writes.writeIfUnchanged({
      teamId,
      model: models.teams,
      id: teamId,
      version: seenVersion,
      set,
      unset,
      records: [...records, announced.record],
    });
    cache.forget(teamId);
    if (outcome === 'written') await announced.react();
    return { outcome: outcome === 'replayed' ? 'written' : outcome, changes: outcome === 'written' ? changes : [] };
  }

  /** The team's latest setting changes, newest first. */
  async function recentChanges(teamId: string): Promise<SettingsChange[]> {
    return models.settingsChanges
      .find({ teamId }, { _id: 0, field: 1, userId: 1, at: 1, from: 1, to: 1 })
      .sort({ at: -1 })
      .limit(domain.settings.changesShown)
      .lean<SettingsChange[]>();
  }

  /** Every workspace that has used the app: the scan visits each in turn. */
  async function teamIds(): Promise<string[]> {
    const teams = await models.teams.find({}, { _id: 1 }).lean();
    return teams.map((t) => t._id);
  }

  return { settingsFor, save, recentChanges, teamIds, specs };
}

export type TeamSettingsService = ReturnType<typeof createTeamSettings>;
