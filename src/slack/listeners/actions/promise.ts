import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { formatInstant, todayIn } from '../../../time.js';
import { renderNotice } from '../../../views/lookup.js';
import { renderClosedPromiseNudge, renderPromiseRescheduleModal } from '../../../views/promiseNudge.js';
import { escapeMrkdwn, mention } from '../../../i18n/mrkdwn.js';
import { renderCardFor } from '../../cardFor.js';
import type { ListenerDeps, TeamScope } from '../../deps.js';
import { clickOrigin } from '../../clickedMessage.js';
import { ACTION } from '../../../views/ids.js';
import { afterAck } from '../../listen.js';
import { parsePromiseRef } from '../../../views/buttonValues.js';

type ButtonBody = BlockAction<ButtonAction>;
type ButtonArgs = SlackActionMiddlewareArgs<ButtonBody> & AllMiddlewareArgs;

/** Kept and Reschedule, on a promise's nudge and (Kept) beside each open promise on the card. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(
    ACTION.promiseKept,
    afterAck(deps, async ({ body, action, respond, client }: ButtonArgs, { teamId, t, settings }: TeamScope) => {
      const notice = (text: string) => respond({ replace_original: false, ...renderNotice(text) });
      const ref = parsePromiseRef(action.value);
      const result = ref ? await deps.promises.keep(teamId, ref.id, body.user.id) : ({ status: 'notFound' } as const);
      if (!ref || result.status === 'notFound') return void (await notice(t.promise.gone));
      if (result.status === 'kept') return void (await notice(t.promise.alreadyKept));
      const { promise } = result;
      if (ref.from === 'card') {
        const card = await deps.cards.getCard(teamId, promise.customerId.toString());
        const shown = card
          ? await renderCardFor(deps, t, card, { client, settings, userId: body.user.id })
          : renderNotice(t.card.gone);
        return void (await respond({
          replace_original: clickOrigin(body).replace,
          response_type: 'ephemeral',
          ...shown,
        }));
      }
      const customer = await deps.customers.findCustomer(teamId, promise.customerId.toString());
      if (!customer) return void (await notice(t.card.gone));
      const note = t.promise.keptBy(
        mention(body.user.id, ''),
        escapeMrkdwn(formatInstant(promise.keptAt!, settings.timezone)),
      );
      await respond({ replace_original: true, ...renderClosedPromiseNudge(t, customer, promise, note) });
    }),
  );

  app.action<ButtonBody>(
    ACTION.promiseReschedule,
    afterAck(deps, async ({ body, action, client, respond }: ButtonArgs, { teamId, t, settings }: TeamScope) => {
      const notice = (text: string) => respond({ replace_original: false, ...renderNotice(text) });
      const ref = parsePromiseRef(action.value);
      const promise = ref && (await deps.promises.get(teamId, ref.id));
      const customer = promise && (await deps.customers.findCustomer(teamId, promise.customerId.toString()));
      if (!promise || !customer) return void (await notice(t.promise.gone));
      if (promise.status !== 'open') return void (await notice(t.promise.alreadyKept));
      const { channel_id: channel, message_ts: ts } = body.container as { channel_id?: string; message_ts?: string };
      const metadata = { promiseId: promise._id.toString(), channel, ts };
      const view = renderPromiseRescheduleModal(t, customer, promise, todayIn(deps.now(), settings.timezone), metadata);
      await client.views.open({ trigger_id: body.trigger_id, view });
    }),
  );
}
