import type { App, ViewSubmitAction } from '@slack/bolt';
import { parseReassignInput } from '../../../validation/reassignInput.js';
import { renderReassignDm } from '../../../views/handover.js';
import { messagesForUser, type ListenerDeps } from '../../deps.js';
import { CALLBACK } from '../../../views/ids.js';
import { inlineErrors, onSubmission, type ViewArgs } from '../../listen.js';
import { parseReassignModalMetadata } from '../../../views/modalMetadata.js';
import { submissionKey } from '../../requestKey.js';
import { showSavedCard, submitter } from '../../savedCard.js';
import { readViewState } from '../../viewState.js';

/** Reassign submissions: the role is checked again here (a modal can be submitted by anyone who crafts one). */
export function register(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(
    CALLBACK.reassignModal,
    onSubmission<ViewArgs>(deps, 'to', async (args, scope) => {
      const { body, view, client } = args;
      const { teamId, t, settings } = scope;
      const meta = parseReassignModalMetadata(view.private_metadata);
      if (!meta) return inlineErrors({ to: t.errors.malformed });
      const parsed = parseReassignInput(t, readViewState(view.state));
      if (!parsed.ok) return inlineErrors(parsed.errors);
      const by = body.user.id;
      const roles = await deps.roles.rolesOf(client, settings, by);
      const request = {
        ...parsed.input,
        by,
        roles,
        seenVersion: meta.version,
        requestKey: submissionKey(teamId, view),
      };
      const result = await deps.handover.reassign(teamId, meta.customerId, request);
      if (result.status === 'refused') return inlineErrors({ to: t.handover.reassignRefused });
      if (result.status === 'conflict') return inlineErrors({ to: t.handover.reassignConflict });
      if (result.status === 'same') return inlineErrors({ to: t.handover.sameOwner });
      if (result.status === 'notFound') return inlineErrors({ to: t.card.gone });
      const { customer, from } = result;
      return {
        after: async () => {
          await showSavedCard(deps, t, customer._id.toString(), meta, submitter(args, scope));
          // Told once: a replayed submission (no `from`) already told them.
          if (from === undefined || parsed.input.to === by) return;
          const tTo = await messagesForUser(deps, settings, parsed.input.to);
          await client.chat.postMessage({
            channel: parsed.input.to,
            ...renderReassignDm(tTo, by, customer, parsed.input.reason),
          });
        },
      };
    }),
  );
}
