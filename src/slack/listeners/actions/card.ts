import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { todayIn } from '../../../time.js';
import { renderCard } from '../../../views/card.js';
import { renderCardModal } from '../../../views/cardModal.js';
import { renderHistoryModal } from '../../../views/historyModal.js';
import { renderNotice } from '../../../views/lookup.js';
import { renderVisitModal } from '../../../views/visitModal.js';
import { teamScope, type ListenerDeps } from '../../deps.js';
import { ACTION } from '../../ids.js';
import { parseNewCardPrefill } from '../../metadata.js';

type ButtonBody = BlockAction<ButtonAction>;
type ButtonArgs = SlackActionMiddlewareArgs<ButtonBody> & AllMiddlewareArgs;

/** The card a button names, in the clicking user's workspace; tells the user when there is none. */
async function cardOfButton(deps: ListenerDeps, { action, respond, context }: ButtonArgs) {
  const scope = await teamScope(deps, context);
  const customer = await deps.customers.findCustomer(scope.teamId, action.value ?? '');
  if (!customer) await respond({ replace_original: false, ...renderNotice(scope.t.card.gone) });
  return customer ? { ...scope, customer } : null;
}

/** The buttons on a card and on lookup results. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(ACTION.openCard, async ({ ack, action, respond, context }) => {
    await ack();
    const { teamId, t } = await teamScope(deps, context);
    const card = await deps.customers.getCard(teamId, action.value ?? '');
    await respond({ replace_original: true, ...(card ? renderCard(t, card) : renderNotice(t.card.gone)) });
  });

  app.action<ButtonBody>(ACTION.newCard, async ({ ack, body, action, client, context }) => {
    await ack();
    const { t } = await teamScope(deps, context);
    const prefill = parseNewCardPrefill(action.value);
    const view = renderCardModal(t, { values: prefill, metadata: { responseUrl: body.response_url } });
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.action<ButtonBody>(ACTION.editCard, async (args) => {
    const { ack, body, client } = args;
    await ack();
    const found = await cardOfButton(deps, args);
    if (!found) return;
    const { t, customer } = found;
    const metadata = { customerId: customer._id.toString(), version: customer.version, responseUrl: body.response_url };
    const view = renderCardModal(t, { number: customer.number, values: customer, metadata });
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.action<ButtonBody>(ACTION.logVisit, async (args) => {
    const { ack, body, client } = args;
    await ack();
    const found = await cardOfButton(deps, args);
    if (!found) return;
    const { t, settings, customer } = found;
    const metadata = { customerId: customer._id.toString(), responseUrl: body.response_url };
    const view = renderVisitModal(t, customer, todayIn(deps.now(), settings.timezone), metadata);
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.action<ButtonBody>(ACTION.history, async (args) => {
    const { ack, body, client } = args;
    await ack();
    const found = await cardOfButton(deps, args);
    if (!found) return;
    const { teamId, t, settings, customer } = found;
    const history = await deps.history.cardHistory(teamId, customer._id);
    await client.views.open({ trigger_id: body.trigger_id, view: renderHistoryModal(t, customer, history, settings.timezone) });
  });
}
