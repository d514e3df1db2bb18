import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderHandoverNotice, renderHandoverSummary, renderReassignModal } from '../../../views/handover.js';
import { renderNotice } from '../../../views/lookup.js';
import { messagesForUser, type ListenerDeps, type TeamScope } from '../../deps.js';
import { answerTo, clickOrigin } from '../../clickedMessage.js';
import { ACTION } from '../../../views/ids.js';
import { afterAck } from '../../listen.js';
import { parseHandoverRef } from '../../../views/buttonValues.js';

type ButtonBody = BlockAction<ButtonAction>;
type ButtonArgs = SlackActionMiddlewareArgs<ButtonBody> & AllMiddlewareArgs;

/** Reassign on a card, and Confirm on a `/card handover` preview. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(
    ACTION.reassign,
    afterAck(deps, async ({ body, action, client, respond }: ButtonArgs, { teamId, t }: TeamScope) => {
      const customer = await deps.customers.findCustomer(teamId, action.value ?? '');
      if (!customer) return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
      const metadata = {
        customerId: customer._id.toString(),
        version: customer.version,
        ...answerTo(clickOrigin(body)),
      };
      await client.views.open({ trigger_id: body.trigger_id, view: renderReassignModal(t, customer, metadata) });
    }),
  );

  app.action<ButtonBody>(
    ACTION.handoverConfirm,
    afterAck(deps, async ({ body, action, client, respond }: ButtonArgs, { teamId, t, settings }: TeamScope) => {
      const notice = (text: string) => respond({ replace_original: false, ...renderNotice(text) });
      const ref = parseHandoverRef(action.value);
      if (!ref) return void (await notice(t.errors.malformed));
      // The role is asked again: the button's payload could have been crafted by anyone.
      const roles = await deps.roles.rolesOf(client, settings, body.user.id);
      const result = await deps.handover.handOver(teamId, { ...ref, by: body.user.id, roles });
      if (result.status === 'refused') return void (await notice(t.handover.adminOnly));
      if (result.status === 'busy') return void (await notice(t.handover.busy));
      await respond({ replace_original: true, ...renderHandoverNotice(t.handover.done(result.moved, result.skipped)) });
      if (!result.finished) return;
      const [tFrom, tTo] = await Promise.all([
        messagesForUser(deps, settings, result.fromId),
        messagesForUser(deps, settings, result.toId),
      ]);
      await client.chat.postMessage({
        channel: result.fromId,
        ...renderHandoverSummary(tFrom, 'from', body.user.id, result.moved, result.toId),
      });
      await client.chat.postMessage({
        channel: result.toId,
        ...renderHandoverSummary(tTo, 'to', body.user.id, result.moved, result.fromId),
      });
      // Their lists changed the most: each sees it on a Home they are looking at.
      await deps.refreshHome(teamId, [result.fromId, result.toId]);
    }),
  );
}
