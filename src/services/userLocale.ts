import type { Locale } from '../i18n/index.js';
import type { Models } from '../models/index.js';

/** As short as the team settings' cache, for the same reason: another instance's choice shows within seconds. */
const CACHE_MS = 5_000;

/** Each person's language for what the app shows them; without a choice, the team's. */
export function createUserLocales(models: Models) {
  const cache = new Map<string, { locale: Locale | undefined; expires: number }>();

  async function localeOf(teamId: string, userId: string): Promise<Locale | undefined> {
    const key = `${teamId}:${userId}`;
    const cached = cache.get(key);
    if (cached && cached.expires > performance.now()) return cached.locale;
    const pref = await models.userPrefs.findOne({ teamId, userId }, { locale: 1 }).lean();
    cache.set(key, { locale: pref?.locale, expires: performance.now() + CACHE_MS });
    return pref?.locale;
  }

  async function choose(teamId: string, userId: string, locale: Locale): Promise<void> {
    await models.userPrefs.updateOne({ teamId, userId }, { $set: { locale } }, { upsert: true });
    cache.set(`${teamId}:${userId}`, { locale, expires: performance.now() + CACHE_MS });
  }

  return { localeOf, choose };
}

export type UserLocaleService = ReturnType<typeof createUserLocales>;
