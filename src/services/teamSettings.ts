import type { Locale } from '../i18n/index.js';
import { isDuplicateKey } from '../db/errors.js';
import type { Models } from '../models/index.js';
import type { TeamRecord } from '../models/team.js';

export interface TeamSettings {
  teamId: string;
  locale: Locale;
  timezone: string;
  nudgeHour: number;
  /** Where nudges go; without one they go to the DM of the person they are for. */
  nudgeChannel?: string;
  /** Who sends payment reminders and letters (财务); without one, the card's owner. */
  financeUserId?: string;
  /** Who agrees special handling of large, long-overdue debts; without one, the card's owner. */
  managerUserId?: string;
  /** Team-local hour from which the nightly segmentation runs. */
  segmentHour: number;
  /** Team-local hour of each salesperson's daily wrap-up. */
  wrapUpHour: number;
  /** Who may run admin commands. */
  adminUserIds: readonly string[];
}

export type TeamDefaults = Omit<TeamSettings, 'teamId'>;

const CACHE_MS = 60_000;

/**
 * Team settings with the environment's defaults underneath. Cached briefly
 * because every command needs them; the first call also registers the team
 * so the follow-up scan knows it exists.
 */
export function createTeamSettings(models: Models, defaults: TeamDefaults, now: () => Date) {
  const cache = new Map<string, { settings: TeamSettings; expires: number }>();

  /** A workspace's first requests may arrive together: whichever insert loses just reads the winner's. */
  async function register(teamId: string): Promise<TeamRecord | null> {
    try {
      return (await models.teams.create({ _id: teamId, createdAt: now() })).toObject();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return models.teams.findById(teamId).lean();
    }
  }

  async function settingsFor(teamId: string): Promise<TeamSettings> {
    const cached = cache.get(teamId);
    if (cached && cached.expires > performance.now()) return cached.settings;
    const team = (await models.teams.findById(teamId).lean()) ?? (await register(teamId));
    const settings: TeamSettings = {
      teamId,
      locale: team?.locale ?? defaults.locale,
      timezone: team?.timezone ?? defaults.timezone,
      nudgeHour: team?.nudgeHour ?? defaults.nudgeHour,
      nudgeChannel: team?.nudgeChannel ?? defaults.nudgeChannel,
      financeUserId: defaults.financeUserId,
      managerUserId: defaults.managerUserId,
      segmentHour: defaults.segmentHour,
      wrapUpHour: defaults.wrapUpHour,
      adminUserIds: defaults.adminUserIds,
    };
    cache.set(teamId, { settings, expires: performance.now() + CACHE_MS });
    return settings;
  }

  /** Every workspace that has used the app: the scan visits each in turn. */
  async function teamIds(): Promise<string[]> {
    const teams = await models.teams.find({}, { _id: 1 }).lean();
    return teams.map((t) => t._id);
  }

  return { settingsFor, teamIds };
}

export type TeamSettingsService = ReturnType<typeof createTeamSettings>;
