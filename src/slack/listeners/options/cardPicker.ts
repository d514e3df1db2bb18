import type { AllMiddlewareArgs, App, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { parseTypeAhead } from '../../../domain/lookup.js';
import { renderCardOptions } from '../../../views/cardOptions.js';
import type { ListenerDeps } from '../../deps.js';
import { ACTION } from '../../../views/ids.js';
import { onOptions } from '../../listen.js';
import { parseCardModalMetadata } from '../../../views/modalMetadata.js';

type SuggestionArgs = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

/** The card type-ahead (a referrer): the finder's matches in the user's workspace, never the card being edited. */
export function register(app: App, deps: ListenerDeps): void {
  app.options<'block_suggestion'>(
    ACTION.cardPicker,
    onOptions<SuggestionArgs>(deps, async ({ options }, { teamId }) => {
      const request = parseTypeAhead(options.value);
      if (!request) return [];
      const editing = parseCardModalMetadata(options.view?.private_metadata)?.customerId;
      const { matches } = await deps.customers.findCustomers(teamId, request, { excludeId: editing });
      return renderCardOptions(matches);
    }),
  );
}
