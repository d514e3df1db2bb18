import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderCard } from '../../../views/card.js';
import { renderNotice } from '../../../views/lookup.js';
import type { ListenerDeps } from '../../deps.js';
import { ACTION } from '../../ids.js';
import { afterAck } from '../../listen.js';

type ButtonBody = BlockAction<ButtonAction>;
type ButtonArgs = SlackActionMiddlewareArgs<ButtonBody> & AllMiddlewareArgs;

/**
 * Claim (公海), on `/card pool`, on a pooled card and on the note to its
 * former owner: the first claim takes the card and sees it in place of the
 * message pressed (from App Home, in their DM); a later one is told, and nothing changes.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(
    ACTION.poolClaim,
    afterAck(deps, async ({ body, action, respond, client }: ButtonArgs, { teamId, t }) => {
      const result = await deps.pool.claim(teamId, body.user.id, action.value ?? '');
      const shown =
        result.status === 'claimed'
          ? renderCard(t, await deps.cards.loadCard(result.card))
          : renderNotice(result.status === 'taken' ? t.pool.taken : t.card.gone);
      if (body.view?.type === 'home' || !respond) await client.chat.postMessage({ channel: body.user.id, ...shown });
      else await respond({ replace_original: result.status === 'claimed', ...shown });
    }),
  );
}
