import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderNotice } from '../../../views/lookup.js';
import { renderNoDealModal, renderReferralModal, renderThanksModal } from '../../../views/referralModals.js';
import { renderCardFor } from '../../cardFor.js';
import type { ListenerDeps, TeamScope } from '../../deps.js';
import { answerTo, clickOrigin } from '../../clickedMessage.js';
import { ACTION } from '../../../views/ids.js';
import { afterAck } from '../../listen.js';
import { parseReferralButton } from '../../../views/buttonValues.js';

type ButtonBody = BlockAction<ButtonAction>;
type ButtonArgs = SlackActionMiddlewareArgs<ButtonBody> & AllMiddlewareArgs;

const notice = (text: string) => ({ replace_original: false, ...renderNotice(text) });

/** The referral a button names, in the clicking user's workspace; tells the user when there is none. */
async function referralOfButton(deps: ListenerDeps, { action, respond }: ButtonArgs, { teamId, t }: TeamScope) {
  const ref = parseReferralButton(action.value);
  const facts = ref && (await deps.referrals.facts(teamId, ref.referralId));
  if (!ref || !facts) {
    await respond(notice(t.referral.gone));
    return null;
  }
  return { facts, cardId: ref.cardId };
}

/**
 * The buttons of the referral ledger: record one, close it as no deal, thank the referrer, answer the ambassador
 * suggestion.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(
    ACTION.recordReferral,
    afterAck(deps, async ({ body, action, client, respond }: ButtonArgs, { teamId, t }: TeamScope) => {
      const referrer = await deps.customers.findCustomer(teamId, action.value ?? '');
      if (!referrer) return void (await respond(notice(t.card.gone)));
      const view = renderReferralModal(t, referrer, {
        referrerId: referrer._id.toString(),
        ...answerTo(clickOrigin(body)),
      });
      await client.views.open({ trigger_id: body.trigger_id, view });
    }),
  );

  app.action<ButtonBody>(
    ACTION.thankReferrer,
    afterAck(deps, async (args: ButtonArgs, scope: TeamScope) => {
      const found = await referralOfButton(deps, args, scope);
      if (!found) return;
      if (found.facts.referral.thanks) return void (await args.respond(notice(scope.t.referral.alreadyThanked)));
      const metadata = {
        referralId: found.facts.referral._id.toString(),
        cardId: found.cardId,
        ...answerTo(clickOrigin(args.body)),
      };
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: renderThanksModal(scope.t, found.facts, metadata),
      });
    }),
  );

  app.action<ButtonBody>(
    ACTION.referralNoDeal,
    afterAck(deps, async (args: ButtonArgs, scope: TeamScope) => {
      const found = await referralOfButton(deps, args, scope);
      if (!found) return;
      if (found.facts.referral.status !== 'open') return void (await args.respond(notice(scope.t.referral.notOpen)));
      const metadata = {
        referralId: found.facts.referral._id.toString(),
        cardId: found.cardId,
        ...answerTo(clickOrigin(args.body)),
      };
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: renderNoDealModal(scope.t, found.facts, metadata),
      });
    }),
  );

  const answerSuggestion = (mark: boolean) =>
    afterAck(deps, async ({ body, action, respond, client }: ButtonArgs, { teamId, t, settings }: TeamScope) => {
      const customer = await deps.customers.answerAmbassadorSuggestion(teamId, body.user.id, action.value ?? '', mark);
      const card = customer && (await deps.cards.getCard(teamId, customer._id.toString()));
      if (!card) return void (await respond(notice(t.card.gone)));
      const shown = await renderCardFor(deps, t, card, { client, settings, userId: body.user.id });
      await respond({ replace_original: clickOrigin(body).replace, response_type: 'ephemeral', ...shown });
    });

  app.action<ButtonBody>(ACTION.markAmbassador, answerSuggestion(true));
  app.action<ButtonBody>(ACTION.dismissAmbassadorSuggestion, answerSuggestion(false));
}
