import type { Logger, webApi } from '@slack/bolt';
import { messagesFor } from '../i18n/index.js';
import type { HomeService } from '../services/home.js';
import type { TeamSettingsService } from '../services/teamSettings.js';
import type { UserLocaleService } from '../services/userLocale.js';
import { todayIn } from '../time.js';
import { renderHome } from '../views/home.js';
import type { TeamScope } from './deps.js';
import type { RolesService } from './roles.js';
import type { TeamClients } from './teamClients.js';

interface PublishDeps {
  home: HomeService;
  settings: TeamSettingsService;
  userLocales: UserLocaleService;
  roles: RolesService;
  now: () => Date;
}

/**
 * Reads the user's Home figures for their team's today and publishes the
 * view in the user's language, with the team settings (editable for admins).
 */
export async function publishHome(
  deps: PublishDeps,
  client: webApi.WebClient,
  { teamId, settings }: TeamScope,
  userId: string,
): Promise<void> {
  const [home, roles, changes, chosen] = await Promise.all([
    deps.home.homeFor(teamId, userId, todayIn(deps.now(), settings.timezone), settings.collection),
    deps.roles.rolesOf(client, settings, userId),
    deps.settings.recentChanges(teamId),
    deps.userLocales.localeOf(teamId, userId),
  ]);
  const locale = chosen ?? settings.locale;
  await client.views.publish({
    user_id: userId,
    view: renderHome(messagesFor(locale), home, {
      settings,
      specs: deps.settings.specs,
      admin: roles.admin,
      manager: roles.manager,
      changes,
      locale,
    }),
  });
}

interface RefreshDeps extends PublishDeps {
  clients: TeamClients;
  logger: Logger;
}

/**
 * Republishes Home after a change, only for people who opened theirs within
 * domain.home.refreshWithinHours: one indexed read says who, so a change
 * costs nothing for the rest of the team. Failures are logged, never thrown: a stale Home is refreshed by the
 * next change or the next time it is opened.
 */
export function createHomeRefresher(deps: RefreshDeps) {
  return async function refreshHome(teamId: string, userIds: (string | undefined)[]): Promise<void> {
    // What called for a refresh may have changed what Home counts, and not every change is a card's.
    deps.home.changed(teamId);
    try {
      const wanted = [...new Set(userIds.filter((u): u is string => Boolean(u)))];
      const viewers = await deps.home.openedAmong(teamId, wanted);
      if (viewers.length === 0) return;
      const client = await deps.clients.clientFor(teamId);
      if (!client) return;
      const settings = await deps.settings.settingsFor(teamId);
      const scope = { teamId, settings, t: messagesFor(settings.locale) };
      await Promise.all(
        viewers.map((userId) =>
          publishHome(deps, client, scope, userId).catch((e: Error) =>
            deps.logger.warn(`home of ${userId} (team ${teamId}) not refreshed: ${e.message}`),
          ),
        ),
      );
    } catch (error) {
      deps.logger.warn(`homes of team ${teamId} not refreshed: ${(error as Error).message}`);
    }
  };
}
