import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../deps.js';
import { teamScope } from '../../deps.js';
import { publishHome } from '../../homePublisher.js';
import { describeRequest } from '../../listen.js';

/**
 * The Home tab: published each time it is opened (Bolt has already
 * acknowledged the event), and remembered so later changes republish it.
 * The Messages tab, the nudges' DM, needs nothing.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, context, client, body }) => {
    if (event.tab !== 'home') return;
    try {
      const scope = await teamScope(deps, context, event.user);
      await Promise.all([deps.home.opened(scope.teamId, event.user), publishHome(deps, client, scope, event.user)]);
    } catch (error) {
      deps.logger.error(`${describeRequest({ ...body, user_id: event.user })} failed: ${(error as Error).message}`);
    }
  });
}
