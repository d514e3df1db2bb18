import type { App, Logger } from '@slack/bolt';
import type { webApi } from '@slack/bolt';
import type { Messages } from '../../../i18n/index.js';
import type { LoggedVisit } from '../../../services/visits.js';
import { todayIn } from '../../../time.js';
import { renderCard } from '../../../views/card.js';
import { renderClosedNudge } from '../../../views/nudge.js';
import type { VisitModalMetadata } from '../../../views/visitModal.js';
import { visitInputSchema } from '../../../validation/visitInput.js';
import { teamScope, type ListenerDeps } from '../../deps.js';
import { modalErrors } from '../../fieldErrors.js';
import { CALLBACK } from '../../ids.js';
import { parseVisitModalMetadata } from '../../metadata.js';
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
    await replaceViaResponseUrl(metadata.responseUrl, renderCard(t, await deps.customers.loadCard(logged.customer)), logger);
  }
  const followUp = metadata.followUpId && (await deps.followUps.getFollowUp(logged.customer.teamId, metadata.followUpId));
  if (metadata.nudge && followUp) {
    const closed = renderClosedNudge(t, logged.customer, followUp, t.nudge.done(`<@${userId}>`));
    await client.chat.update({ channel: metadata.nudge.channel, ts: metadata.nudge.ts, ...closed });
  }
}

/** 拜访记录 submissions: validate against the team's today, store, then show the result. */
export function register(app: App, deps: ListenerDeps): void {
  app.view(CALLBACK.visitModal, async ({ ack, body, view, context, client, logger }) => {
    const { teamId, t, settings } = await teamScope(deps, context);
    const metadata = parseVisitModalMetadata(view.private_metadata);
    const parsed = visitInputSchema(todayIn(deps.now(), settings.timezone)).safeParse(readViewState(view.state.values));
    if (!metadata) return void (await ack({ response_action: 'errors', errors: { date: t.errors.generic } }));
    if (!parsed.success) return void (await ack({ response_action: 'errors', errors: modalErrors(t, parsed.error) }));
    let logged: LoggedVisit | null;
    try {
      logged = await deps.visits.logVisit(teamId, body.user.id, metadata.customerId, parsed.data, metadata.followUpId);
    } catch (error) {
      await ack({ response_action: 'errors', errors: { date: t.errors.generic } });
      throw error;
    }
    if (!logged) return void (await ack({ response_action: 'errors', errors: { date: t.card.gone } }));
    await ack();
    await showResult({ deps, t, logged, metadata, userId: body.user.id, client, logger });
  });
}
