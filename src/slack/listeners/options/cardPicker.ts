import type { AllMiddlewareArgs, App, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { parseTypeAhead } from '../../../domain/lookup.js';
import { renderCardOptions, renderNewCardOption } from '../../../views/cardOptions.js';
import type { ListenerDeps } from '../../deps.js';
import { ACTION, CALLBACK } from '../../../views/ids.js';
import { onOptions } from '../../listen.js';
import { parseCardModalMetadata } from '../../../views/modalMetadata.js';

type SuggestionArgs = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

/**
 * The card type-ahead (a referrer, a customer to save a message to, log a
 * visit on or look up): the finder's matches in the user's workspace, never
 * the card being edited. Saving a message, a name no card has exactly is
 * offered last as a new card.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.options<'block_suggestion'>(
    ACTION.cardPicker,
    onOptions<SuggestionArgs>(deps, async ({ options }, { teamId, t }) => {
      const request = parseTypeAhead(options.value);
      if (!request) return [];
      const editing = parseCardModalMetadata(options.view?.private_metadata)?.customerId;
      const { matches } = await deps.customers.findCustomers(teamId, request, { excludeId: editing });
      const found = renderCardOptions(matches);
      // The name as the search read it (spaces collapsed, full-width folded), so the option stays within its limits.
      const offersNew = options.view?.callback_id === CALLBACK.saveMessageModal && request.kind === 'name';
      if (!offersNew || matches.some((card) => card.name === request.text)) return found;
      return [...found, renderNewCardOption(t, request.text)];
    }),
  );
}
