import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { todayIn } from '../../../time.js';
import { renderNotice } from '../../../views/lookup.js';
import { renderMoneyModal } from '../../../views/moneyModal.js';
import { renderAdjustmentModal, renderPaymentModal, renderSaleModal } from '../../../views/moneyModals.js';
import type { ListenerDeps } from '../../deps.js';
import { answerTo, clickOrigin, metadataWithPosted } from '../../clickedMessage.js';
import { ACTION } from '../../../views/ids.js';
import { afterAck } from '../../listen.js';

type ButtonBody = BlockAction<ButtonAction>;
type ButtonArgs = SlackActionMiddlewareArgs<ButtonBody> & AllMiddlewareArgs;

/** The card's money buttons (sale, payment, return/discount, account): open the modal for the card pressed. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(
    ACTION.recordSale,
    afterAck(deps, async ({ body, action, client, respond }: ButtonArgs, { teamId, t, settings }) => {
      const customer = await deps.customers.findCustomer(teamId, action.value ?? '');
      if (!customer) return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
      const metadata = { customerId: customer._id.toString(), ...answerTo(clickOrigin(body)) };
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderSaleModal(t, customer, todayIn(deps.now(), settings.timezone), metadata),
      });
    }),
  );

  app.action<ButtonBody>(
    ACTION.recordAdjustment,
    afterAck(deps, async ({ body, action, client, respond }: ButtonArgs, { teamId, t }) => {
      const customer = await deps.customers.findCustomer(teamId, action.value ?? '');
      if (!customer) return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
      const { sales } = await deps.money.account(customer);
      const metadata = { customerId: customer._id.toString(), ...answerTo(clickOrigin(body)) };
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderAdjustmentModal(t, customer, sales, metadata),
      });
    }),
  );

  app.action<ButtonBody>(
    ACTION.money,
    afterAck(deps, async ({ body, action, client, respond }: ButtonArgs, { teamId, t }) => {
      const customer = await deps.customers.findCustomer(teamId, action.value ?? '');
      if (!customer) return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderMoneyModal(t, customer, await deps.money.account(customer)),
      });
    }),
  );

  app.action<ButtonBody>(
    ACTION.recordPayment,
    afterAck(deps, async ({ body, action, client, respond }: ButtonArgs, { teamId, t, settings }) => {
      const card = await deps.cards.getCard(teamId, action.value ?? '');
      if (!card) return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
      if (card.money.receivables.length === 0)
        return void (await respond({ replace_original: false, ...renderNotice(t.money.noReceivable) }));
      // On a collection reminder the payment is answered privately, and the reminder says who recorded what.
      const origin = clickOrigin(body);
      const metadata = metadataWithPosted(
        { customerId: card.customer._id.toString(), ...answerTo(origin) },
        'posted',
        origin.replace ? undefined : origin.posted,
      );
      const today = todayIn(deps.now(), settings.timezone);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderPaymentModal(t, card.customer, card.money.receivables, today, metadata),
      });
    }),
  );
}
