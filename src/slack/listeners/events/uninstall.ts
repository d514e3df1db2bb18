import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../deps.js';
import { describeRequest } from '../../listen.js';

/** The installation an event is about: an organisation-wide install is keyed by its enterprise. */
function installationOf(context: {
  isEnterpriseInstall?: boolean;
  enterpriseId?: string;
  teamId?: string;
}): string | undefined {
  return context.isEnterpriseInstall ? context.enterpriseId : context.teamId;
}

/**
 * Installed through OAuth: a workspace that removes the app, or revokes its
 * bot token, is no longer served from that moment (its nudges stop), and its
 * data is deleted once DATA_RETENTION_DAYS have passed unless it reinstalls.
 * Bolt delivers these two events without authorising them: the token is gone.
 */
export function register(app: App, deps: ListenerDeps): void {
  const { installations } = deps;
  if (!installations) return;
  const uninstall = async (context: Parameters<typeof installationOf>[0], body: unknown) => {
    const id = installationOf(context);
    try {
      if (id) await installations.uninstall(id);
    } catch (error) {
      deps.logger.error(`${describeRequest(body)} failed: ${(error as Error).message}`);
    }
  };
  app.event('app_uninstalled', async ({ context, body }) => uninstall(context, body));
  // Revoked user tokens change nothing: the app acts only with its bot token.
  app.event('tokens_revoked', async ({ event, context, body }) => {
    if ((event.tokens.bot ?? []).length > 0) await uninstall(context, body);
  });
}
