import type { App, ViewSubmitAction } from '@slack/bolt';
import { todayIn } from '../../../time.js';
import { optionalObjectId } from '../../../validation/fields.js';
import { CALLBACK } from '../../../views/ids.js';
import { renderVisitModal } from '../../../views/visitModal.js';
import { renderCardFor } from '../../cardFor.js';
import type { ListenerDeps, TeamScope } from '../../deps.js';
import { inlineErrors, onSubmission, type ViewArgs } from '../../listen.js';
import { readViewState } from '../../viewState.js';

/** The customer picked, as a card of the picker's workspace; the inline error when there is none. */
async function pickedCard(deps: ListenerDeps, { view }: ViewArgs, { teamId, t }: TeamScope) {
  const id = optionalObjectId.safeParse(readViewState(view.state).customer);
  const customer = id.success && id.data ? await deps.customers.findCustomer(teamId, id.data) : null;
  return customer
    ? { customer }
    : inlineErrors({ customer: id.success && id.data ? t.card.gone : t.validation.invalidCard });
}

/** The ⚡ shortcuts' customer pickers: on to the visit modal, or the card in the person's DM. */
export function register(app: App, deps: ListenerDeps): void {
  // Log visit: the same modal the card's button opens; saved, the card comes to the DM.
  app.view<ViewSubmitAction>(
    CALLBACK.pickForVisitModal,
    onSubmission<ViewArgs>(deps, 'customer', async (args, scope) => {
      const picked = await pickedCard(deps, args, scope);
      if (!('customer' in picked)) return picked;
      const today = todayIn(deps.now(), scope.settings.timezone);
      const metadata = { customerId: picked.customer._id.toString(), dm: true as const };
      return {
        response: { response_action: 'update', view: renderVisitModal(scope.t, picked.customer, today, metadata) },
      };
    }),
  );

  // Find a customer: only the person sees the card (no channel to be ephemeral in: their DM with the app).
  app.view<ViewSubmitAction>(
    CALLBACK.findCustomerModal,
    onSubmission<ViewArgs>(deps, 'customer', async (args, scope) => {
      const picked = await pickedCard(deps, args, scope);
      if (!('customer' in picked)) return picked;
      return {
        after: async () => {
          const card = await deps.cards.getCard(scope.teamId, picked.customer._id.toString());
          if (!card) return;
          const viewer = { client: args.client, settings: scope.settings, userId: args.body.user.id };
          await args.client.chat.postMessage({
            channel: viewer.userId,
            ...(await renderCardFor(deps, scope.t, card, viewer)),
          });
        },
      };
    }),
  );
}
