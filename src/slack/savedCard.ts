import type { Logger } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import type { AnswerTo } from '../views/message.js';
import { renderCardFor, type CardViewer } from './cardFor.js';
import type { ListenerDeps, TeamScope } from './deps.js';
import type { ViewArgs } from './listen.js';
import { answerVia } from './responseUrl.js';

/**
 * The card once a modal about it is saved, shown to whoever saved it where
 * they pressed (AnswerTo), or in their DM with the app when the modal came
 * from a ⚡ shortcut. Read again after the save and everything it set going
 * (last contact, segment, follow-up, money), so it is never a step behind.
 */
export async function showSavedCard(
  deps: Pick<ListenerDeps, 'cards' | 'roles'>,
  t: Messages,
  customerId: string,
  to: AnswerTo,
  viewer: CardViewer & { logger: Logger },
): Promise<void> {
  if (!to.responseUrl && !to.dm) return;
  const card = await deps.cards.getCard(viewer.settings.teamId, customerId);
  if (!card) return;
  const shown = await renderCardFor(deps, t, card, viewer);
  if (to.responseUrl) await answerVia(to, shown, viewer.logger);
  else await viewer.client.chat.postMessage({ channel: viewer.userId, ...shown });
}

/** Whoever submitted a modal, as the viewer of the card it shows. */
export const submitter = (
  { body, client, logger }: ViewArgs,
  { settings }: TeamScope,
): CardViewer & { logger: Logger } => ({ client, settings, userId: body.user.id, logger });
