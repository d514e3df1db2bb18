import type { Logger, webApi } from '@slack/bolt';
import type { NameLookup } from '../services/exports.js';

interface SlackUser {
  name?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
}

/** The name Slack shows for a person: their display name, else their full name, else their handle. */
export function shownName(user: SlackUser | undefined): string | undefined {
  const candidates = [user?.profile?.display_name, user?.profile?.real_name, user?.real_name, user?.name];
  return candidates.map((n) => n?.trim()).find((n): n is string => Boolean(n));
}

/**
 * People's names for an export, asked of Slack (users.info, scope users:read)
 * once per person per export. Someone Slack cannot name (left the workspace,
 * an error) is left out, so the export shows their id, and the export goes on.
 */
export function slackNames(client: webApi.WebClient, logger: Logger): NameLookup {
  const known = new Map<string, string | undefined>();
  return async (userIds) => {
    for (const id of userIds) {
      if (known.has(id)) continue;
      const answer = await client.users.info({ user: id }).catch((error: Error) => {
        logger.warn(`users.info for ${id} failed (${error.message}); the export shows the id`);
        return undefined;
      });
      known.set(id, shownName(answer?.user));
    }
    return new Map(userIds.flatMap((id) => (known.get(id) ? [[id, known.get(id)!] as const] : [])));
  };
}
