import { webApi, type Logger } from '@slack/bolt';
import type { InstallationService } from '../services/installations.js';

/** A Web API client for work no Slack request started (scheduled posts, Home refreshes), per workspace. */
export interface TeamClients {
  /** Null when the workspace has uninstalled the app or revoked its token. */
  clientFor(teamId: string): Promise<webApi.WebClient | null>;
}

export type ClientOptions = Omit<webApi.WebClientOptions, 'logger'>;

/**
 * One workspace: one token. Installed to many: each workspace's own token,
 * read from the installation store each time, so an uninstall stops its
 * posts at once on every instance. Clients are kept per token (they hold
 * rate-limit state), so a reinstall's new token gets a new client.
 */
export function createTeamClients(
  {
    botToken,
    installations,
    slackApiUrl,
    logger,
  }: { botToken?: string; installations?: InstallationService; slackApiUrl?: string; logger: Logger },
  options: ClientOptions,
): TeamClients {
  const make = (token: string) =>
    new webApi.WebClient(token, { ...(slackApiUrl ? { slackApiUrl } : {}), logger, ...options });
  if (botToken) {
    const single = make(botToken);
    return { clientFor: async () => single };
  }
  const byToken = new Map<string, webApi.WebClient>();
  return {
    async clientFor(teamId) {
      const bot = await installations!.botOf(teamId);
      if (!bot) return null;
      let client = byToken.get(bot.token);
      if (!client) byToken.set(bot.token, (client = make(bot.token)));
      return client;
    },
  };
}
