import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderNotice } from '../../../views/lookup.js';
import { renderAnswered } from '../../../views/nudge.js';
import { mention } from '../../../i18n/mrkdwn.js';
import { clickOrigin } from '../../clickedMessage.js';
import { renderCardFor } from '../../cardFor.js';
import type { ListenerDeps } from '../../deps.js';
import { ACTION } from '../../../views/ids.js';
import { afterAck } from '../../listen.js';

type ButtonBody = BlockAction<ButtonAction>;
type ButtonArgs = SlackActionMiddlewareArgs<ButtonBody> & AllMiddlewareArgs;

/**
 * Claim (公海), on `/card pool`, on a pooled card and on the note to its
 * former owner: the first claim takes the card and sees it, only they do: in
 * place of what they pressed when that was theirs alone (the list, the
 * card), else beside it, the note then saying who claimed it (from App Home,
 * in their DM). A later one is told, and nothing changes.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(
    ACTION.poolClaim,
    afterAck(deps, async ({ body, action, respond, client }: ButtonArgs, { teamId, t, settings }) => {
      const result = await deps.pool.claim(teamId, body.user.id, action.value ?? '');
      const card = result.status === 'claimed' ? await deps.cards.getCard(teamId, result.card._id.toString()) : null;
      const shown = card
        ? await renderCardFor(deps, t, card, { client, settings, userId: body.user.id })
        : renderNotice(result.status === 'taken' ? t.pool.taken : t.card.gone);
      if (body.view?.type === 'home' || !respond)
        return void (await client.chat.postMessage({ channel: body.user.id, ...shown }));
      const origin = clickOrigin(body);
      await respond({ replace_original: Boolean(card) && origin.replace, response_type: 'ephemeral', ...shown });
      if (card && !origin.replace && origin.posted?.blocks) {
        const { channel, ts, blocks } = origin.posted;
        await client.chat.update({
          channel,
          ts,
          ...renderAnswered(blocks, t.pool.claimedBy(mention(body.user.id, ''))),
        });
      }
    }),
  );
}
