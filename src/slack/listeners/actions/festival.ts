import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { todayIn } from '../../../time.js';
import { ACTION } from '../../../views/ids.js';
import { renderNotice } from '../../../views/lookup.js';
import { renderVisitModal } from '../../../views/visitModal.js';
import { answerTo, clickOrigin } from '../../clickedMessage.js';
import type { ListenerDeps, TeamScope } from '../../deps.js';
import { afterAck } from '../../listen.js';

type ButtonBody = BlockAction<ButtonAction>;
type ButtonArgs = SlackActionMiddlewareArgs<ButtonBody> & AllMiddlewareArgs;

/** The buttons on a festival's gift list. */
export function register(app: App, deps: ListenerDeps): void {
  /**
   * 记录送礼: the visit modal as a gift for the customer the row names, a
   * contact like any other once saved. The list stays as it is (one gift is
   * not the whole list): the saved card is shown only to who pressed, beside it.
   */
  app.action<ButtonBody>(
    ACTION.logGift,
    afterAck(deps, async ({ body, action, client, respond }: ButtonArgs, { teamId, t, settings }: TeamScope) => {
      const customer = await deps.customers.findCustomer(teamId, action.value ?? '');
      if (!customer) return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
      const metadata = { customerId: customer._id.toString(), ...answerTo(clickOrigin(body)) };
      const view = renderVisitModal(t, customer, todayIn(deps.now(), settings.timezone), metadata, 'gift');
      await client.views.open({ trigger_id: body.trigger_id, view });
    }),
  );
}
