import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  ExternalSelectAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { cardFingerprint } from '../../../domain/cardFingerprint.js';
import { todayIn } from '../../../time.js';
import { renderBriefModal, renderBriefRefusal } from '../../../views/brief.js';
import { renderCardModal } from '../../../views/cardModal.js';
import { renderHistoryModal } from '../../../views/historyModal.js';
import { renderNotice } from '../../../views/lookup.js';
import { renderVisitModal } from '../../../views/visitModal.js';
import { renderCardFor } from '../../cardFor.js';
import type { ListenerDeps, TeamScope } from '../../deps.js';
import { answerTo, clickOrigin } from '../../clickedMessage.js';
import { ACTION } from '../../../views/ids.js';
import { afterAck } from '../../listen.js';
import { parseNewCardPrefill } from '../../../views/modalMetadata.js';

type ButtonBody = BlockAction<ButtonAction>;
type ButtonArgs = SlackActionMiddlewareArgs<ButtonBody> & AllMiddlewareArgs;
type PickBody = BlockAction<ExternalSelectAction>;
type PickArgs = SlackActionMiddlewareArgs<PickBody> & AllMiddlewareArgs;

/**
 * Shows a card, only to the person who asked: in place of the message
 * clicked when that is theirs alone (a lookup answer), beside it otherwise
 * (a wrap-up or reminder keeps what it lists), or, from App Home or a modal
 * (no message), in their DM with the app, where its buttons work as on any card.
 */
async function showCard(
  deps: ListenerDeps,
  { body, respond, client }: ButtonArgs | PickArgs,
  { teamId, t, settings }: TeamScope,
  customerId: string,
) {
  const card = await deps.cards.getCard(teamId, customerId);
  const shown = card
    ? await renderCardFor(deps, t, card, { client, settings, userId: body.user.id })
    : renderNotice(t.card.gone);
  if (body.view?.type === 'home' || !respond) await client.chat.postMessage({ channel: body.user.id, ...shown });
  else await respond({ replace_original: clickOrigin(body).replace, response_type: 'ephemeral', ...shown });
}

/** The card a button names, in the clicking user's workspace; tells the user when there is none. */
async function cardOfButton(deps: ListenerDeps, { action, respond }: ButtonArgs, { teamId, t }: TeamScope) {
  const customer = await deps.customers.findCustomer(teamId, action.value ?? '');
  if (!customer) await respond({ replace_original: false, ...renderNotice(t.card.gone) });
  return customer;
}

/** The buttons on a card and on lookup results. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(
    ACTION.openCard,
    afterAck(deps, async (args, scope) => showCard(deps, args, scope, args.action.value ?? '')),
  );

  // A card chosen in App Home's search: the type-ahead's option value is the card's id.
  app.action<PickBody>(
    ACTION.cardPicker,
    afterAck(deps, async (args, scope) => showCard(deps, args, scope, args.action.selected_option?.value ?? '')),
  );

  app.action<ButtonBody>(
    ACTION.newCard,
    afterAck(deps, async ({ body, action, client }, { t }) => {
      const prefill = parseNewCardPrefill(action.value);
      const view = renderCardModal(t, { values: prefill, metadata: answerTo(clickOrigin(body)) });
      await client.views.open({ trigger_id: body.trigger_id, view });
    }),
  );

  app.action<ButtonBody>(
    ACTION.editCard,
    afterAck(deps, async (args, scope) => {
      const customer = await cardOfButton(deps, args, scope);
      if (!customer) return;
      const metadata = {
        customerId: customer._id.toString(),
        version: customer.version,
        fingerprint: cardFingerprint(customer),
        ...answerTo(clickOrigin(args.body)),
      };
      const referrer = customer.referrerId
        ? await deps.customers.findCustomer(scope.teamId, customer.referrerId)
        : null;
      const view = renderCardModal(scope.t, {
        number: customer.number,
        values: customer,
        metadata,
        referrer: referrer ?? undefined,
      });
      await args.client.views.open({ trigger_id: args.body.trigger_id, view });
    }),
  );

  app.action<ButtonBody>(
    ACTION.logVisit,
    afterAck(deps, async (args, scope) => {
      const customer = await cardOfButton(deps, args, scope);
      if (!customer) return;
      const metadata = { customerId: customer._id.toString(), ...answerTo(clickOrigin(args.body)) };
      const view = renderVisitModal(scope.t, customer, todayIn(deps.now(), scope.settings.timezone), metadata);
      await args.client.views.open({ trigger_id: args.body.trigger_id, view });
    }),
  );

  app.action<ButtonBody>(
    ACTION.history,
    afterAck(deps, async (args, scope) => {
      const customer = await cardOfButton(deps, args, scope);
      if (!customer) return;
      const history = await deps.history.cardHistory(scope.teamId, customer._id);
      const view = renderHistoryModal(scope.t, customer, history, scope.settings.timezone);
      await args.client.views.open({ trigger_id: args.body.trigger_id, view });
    }),
  );

  // A modal, not a reply: from the Home tab a button has no channel or response_url, so a refusal is a modal too.
  app.action<ButtonBody>(
    ACTION.cardBrief,
    afterAck(deps, async ({ action, body, client }, { teamId, t }) => {
      const brief = await deps.briefs.briefFor(teamId, action.value ?? '');
      await client.views.open({
        trigger_id: body.trigger_id,
        view: brief ? renderBriefModal(t, brief) : renderBriefRefusal(t),
      });
    }),
  );
}
