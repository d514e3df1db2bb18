import type { App, Logger, ViewSubmitAction } from '@slack/bolt';
import type { Messages } from '../../../i18n/index.js';
import type { LoggedVisit } from '../../../services/visits.js';
import { todayIn } from '../../../time.js';
import { visitInputSchema } from '../../../validation/visitInput.js';
import { renderAnswered, renderClosedNudge } from '../../../views/nudge.js';
import { mention } from '../../../i18n/mrkdwn.js';
import { renderVisitSaved, type VisitModalMetadata } from '../../../views/visitModal.js';
import type { ListenerDeps } from '../../deps.js';
import { modalErrors } from '../../fieldErrors.js';
import { CALLBACK } from '../../../views/ids.js';
import { inlineErrors, onSubmission, type ViewArgs } from '../../listen.js';
import { parseVisitModalMetadata } from '../../../views/modalMetadata.js';
import { submissionKey } from '../../requestKey.js';
import type { CardViewer } from '../../cardFor.js';
import { showSavedCard, submitter } from '../../savedCard.js';
import { readViewState } from '../../viewState.js';

interface AfterSave {
  deps: ListenerDeps;
  t: Messages;
  logged: LoggedVisit;
  metadata: VisitModalMetadata;
  viewer: CardViewer & { logger: Logger };
}

/**
 * Shows the result where the modal came from: the refreshed card to who
 * saved it, or the nudge closed, its own facts as posted kept (an overdue
 * payment's amount and days, a cadence's last contact) with who logged it.
 */
async function showResult({ deps, t, logged, metadata, viewer }: AfterSave): Promise<void> {
  const { teamId, _id } = logged.customer;
  const { client, userId } = viewer;
  await showSavedCard(deps, t, _id.toString(), metadata, viewer);
  const { nudge } = metadata;
  if (!nudge) return;
  const greeted = logged.visit.kind === 'greeting' || logged.visit.kind === 'gift';
  const note = (greeted ? t.greeting.logged : t.nudge.done)(mention(userId, ''));
  if (nudge.blocks)
    return void (await client.chat.update({
      channel: nudge.channel,
      ts: nudge.ts,
      ...renderAnswered(nudge.blocks, note),
    }));
  const followUp = metadata.followUpId && (await deps.nudges.get(teamId, metadata.followUpId));
  if (followUp)
    await client.chat.update({
      channel: nudge.channel,
      ts: nudge.ts,
      ...renderClosedNudge(t, logged.customer, followUp, note),
    });
}

/** 拜访记录 submissions: validate against the team's today, store, then show the result. */
export function register(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(
    CALLBACK.visitModal,
    onSubmission<ViewArgs>(deps, 'date', async (args, scope) => {
      const { body, view } = args;
      const { teamId, t, settings } = scope;
      const metadata = parseVisitModalMetadata(view.private_metadata);
      if (!metadata) return inlineErrors({ date: t.errors.malformed });
      const parsed = visitInputSchema(todayIn(deps.now(), settings.timezone)).safeParse(readViewState(view.state));
      if (!parsed.success) return inlineErrors(modalErrors(t, parsed.error));
      const options = { followUpId: metadata.followUpId, requestKey: submissionKey(teamId, view) };
      const logged = await deps.visits.logVisit(teamId, body.user.id, metadata.customerId, parsed.data, options);
      if (!logged) return inlineErrors({ date: t.card.gone });
      const after = () => showResult({ deps, t, logged, metadata, viewer: submitter(args, scope) });
      // A follow-up moved to tomorrow is said, not left to be found out.
      const { followUpMoved } = logged;
      if (followUpMoved)
        return {
          response: { response_action: 'update', view: renderVisitSaved(t, logged.customer, followUpMoved) },
          after,
        };
      return { after };
    }),
  );
}
