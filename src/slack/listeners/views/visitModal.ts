import type { App, Logger, ViewSubmitAction } from '@slack/bolt';
import type { webApi } from '@slack/bolt';
import type { Messages } from '../../../i18n/index.js';
import type { LoggedVisit } from '../../../services/visits.js';
import { todayIn } from '../../../time.js';
import { visitInputSchema } from '../../../validation/visitInput.js';
import { renderCard } from '../../../views/card.js';
import { renderClosedNudge } from '../../../views/nudge.js';
import { mention } from '../../../views/text.js';
import type { VisitModalMetadata } from '../../../views/visitModal.js';
import type { ListenerDeps } from '../../deps.js';
import { modalErrors } from '../../fieldErrors.js';
import { CALLBACK } from '../../ids.js';
import { inlineErrors, onSubmission, type ViewArgs } from '../../listen.js';
import { parseVisitModalMetadata } from '../../metadata.js';
import { submissionKey } from '../../requestKey.js';
import { replaceViaResponseUrl } from '../../responseUrl.js';
import { readViewState } from '../../viewState.js';

interface AfterSave {
  deps: ListenerDeps;
  t: Messages;
  logged: LoggedVisit;
  metadata: VisitModalMetadata;
  userId: string;
  client: webApi.WebClient;
  logger: Logger;
}

/** Shows the result where the modal came from: the refreshed card, or the answered nudge. */
async function showResult({ deps, t, logged, metadata, userId, client, logger }: AfterSave): Promise<void> {
  if (metadata.responseUrl) {
    await replaceViaResponseUrl(metadata.responseUrl, renderCard(t, await deps.cards.loadCard(logged.customer)), logger);
  }
  const followUp = metadata.followUpId && (await deps.nudges.get(logged.customer.teamId, metadata.followUpId));
  if (metadata.nudge && followUp) {
    const closed = renderClosedNudge(t, logged.customer, followUp, t.nudge.done(mention(userId, '')));
    await client.chat.update({ channel: metadata.nudge.channel, ts: metadata.nudge.ts, ...closed });
  }
}

/** 拜访记录 submissions: validate against the team's today, store, then show the result. */
export function register(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(
    CALLBACK.visitModal,
    onSubmission<ViewArgs>(deps, 'date', async ({ body, view, client, logger }, { teamId, t, settings }) => {
      const metadata = parseVisitModalMetadata(view.private_metadata);
      if (!metadata) return inlineErrors({ date: t.errors.malformed });
      const parsed = visitInputSchema(todayIn(deps.now(), settings.timezone)).safeParse(readViewState(view.state));
      if (!parsed.success) return inlineErrors(modalErrors(t, parsed.error));
      const options = { followUpId: metadata.followUpId, requestKey: submissionKey(teamId, view) };
      const logged = await deps.visits.logVisit(teamId, body.user.id, metadata.customerId, parsed.data, options);
      if (!logged) return inlineErrors({ date: t.card.gone });
      return { after: () => showResult({ deps, t, logged, metadata, userId: body.user.id, client, logger }) };
    }),
  );
}
