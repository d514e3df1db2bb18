import type { Locale } from '../i18n/index.js';
import type { Models } from '../models/index.js';

export interface TeamSettings {
  teamId: string;
  locale: Locale;
  timezone: string;
  nudgeHour: number;
  /** Where follow-up nudges go; without one they go to the owner's DM with the app. */
  nudgeChannel?: string;
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

  async function settingsFor(teamId: string): Promise<TeamSettings> {
    const cached = cache.get(teamId);
    if (cached && cached.expires > performance.now()) return cached.settings;
    const team = await models.teams
      .findOneAndUpdate({ _id: teamId }, { $setOnInsert: { createdAt: now() } }, { upsert: true, returnDocument: 'after' })
      .lean();
    const settings: TeamSettings = {
      teamId,
      locale: team?.locale ?? defaults.locale,
      timezone: team?.timezone ?? defaults.timezone,
      nudgeHour: team?.nudgeHour ?? defaults.nudgeHour,
      nudgeChannel: team?.nudgeChannel ?? defaults.nudgeChannel,
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
