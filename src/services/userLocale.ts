import type { Locale } from '../i18n/index.js';
import type { Models } from '../models/index.js';
import { refreshingCache } from './refreshingCache.js';

/** As short as the team settings' cache, for the same reason: another instance's choice shows within seconds. */
const CACHE_MS = 5_000;

/** Each person's language for what the app shows them; without a choice, the team's. */
export function createUserLocales(models: Models) {
  const chosen = refreshingCache(CACHE_MS, async (key) => {
    const [teamId, userId] = key.split(':') as [string, string];
    return (await models.userPrefs.findOne({ teamId, userId }, { locale: 1 }).lean())?.locale;
  });

  function localeOf(teamId: string, userId: string): Promise<Locale | undefined> {
    return chosen.get(`${teamId}:${userId}`);
  }

  async function choose(teamId: string, userId: string, locale: Locale): Promise<void> {
    await models.userPrefs.updateOne({ teamId, userId }, { $set: { locale } }, { upsert: true });
    chosen.set(`${teamId}:${userId}`, locale);
  }

  return { localeOf, choose };
}

export type UserLocaleService = ReturnType<typeof createUserLocales>;
