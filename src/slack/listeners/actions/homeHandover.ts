import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { mayHandOver } from '../../../domain/roles.js';
import { parseHandoverInput } from '../../../validation/handoverInput.js';
import { renderHandoverModal } from '../../../views/handover.js';
import { renderNotice } from '../../../views/lookup.js';
import type { ListenerDeps, TeamScope } from '../../deps.js';
import { handoverPreview } from '../../handoverPreview.js';
import { ACTION, CALLBACK } from '../../../views/ids.js';
import { afterAck, inlineErrors, onSubmission, type ViewArgs } from '../../listen.js';
import { readViewState } from '../../viewState.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * Handover from App Home: a modal picks the two people, and the preview
 * `/card handover` would answer goes to the submitter's DM, where its
 * Confirm works as it does anywhere. The role is asked again at each step:
 * a button press or a submission can be crafted by anyone.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION.handoverStart,
    afterAck(deps, async ({ body, client }: ButtonArgs, { t, settings }: TeamScope) => {
      if (!mayHandOver(await deps.roles.rolesOf(client, settings, body.user.id))) {
        return void (await client.chat.postMessage({ channel: body.user.id, ...renderNotice(t.handover.adminOnly) }));
      }
      await client.views.open({ trigger_id: body.trigger_id, view: renderHandoverModal(t) });
    }),
  );

  app.view<ViewSubmitAction>(
    CALLBACK.handoverModal,
    onSubmission<ViewArgs>(deps, 'from', async ({ body, view, client }, scope) => {
      const userId = body.user.id;
      if (!mayHandOver(await deps.roles.rolesOf(client, scope.settings, userId)))
        return inlineErrors({ from: scope.t.handover.adminOnly });
      const parsed = parseHandoverInput(scope.t, readViewState(view.state));
      if (!parsed.ok) return inlineErrors(parsed.errors);
      // Read before the modal closes, so a failure is told on it rather than only logged.
      const preview = await handoverPreview(deps, scope, parsed.input.fromId, parsed.input.toId);
      return { after: async () => void (await client.chat.postMessage({ channel: userId, ...preview })) };
    }),
  );
}
