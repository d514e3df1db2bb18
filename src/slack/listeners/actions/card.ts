import type { App, BlockAction, ButtonAction } from '@slack/bolt';
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

/** The buttons on a card and on lookup results. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(ACTION.openCard, async ({ ack, body, action, respond, context }) => {
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

  app.action<ButtonBody>(ACTION.editCard, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const { teamId, t } = await teamScope(deps, context);
    const customer = await deps.customers.findCustomer(teamId, action.value ?? '');
    if (!customer) return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
    const metadata = { customerId: customer._id.toString(), version: customer.version, responseUrl: body.response_url };
    const view = renderCardModal(t, { number: customer.number, values: customer, metadata });
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.action<ButtonBody>(ACTION.logVisit, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const { teamId, t, settings } = await teamScope(deps, context);
    const customer = await deps.customers.findCustomer(teamId, action.value ?? '');
    if (!customer) return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
    const metadata = { customerId: customer._id.toString(), responseUrl: body.response_url };
    const view = renderVisitModal(t, customer, todayIn(deps.now(), settings.timezone), metadata);
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.action<ButtonBody>(ACTION.history, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const { teamId, t, settings } = await teamScope(deps, context);
    const customer = await deps.customers.findCustomer(teamId, action.value ?? '');
    if (!customer) return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
    const history = await deps.history.cardHistory(teamId, customer._id);
    await client.views.open({ trigger_id: body.trigger_id, view: renderHistoryModal(t, customer, history, settings.timezone) });
  });
}
