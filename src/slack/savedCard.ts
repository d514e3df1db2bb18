import type { Logger } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import { renderCard } from '../views/card.js';
import type { AnswerTo } from '../views/message.js';
import type { ListenerDeps } from './deps.js';
import { answerVia } from './responseUrl.js';

/**
 * The card once a modal about it is saved, shown to whoever saved it where
 * they pressed (AnswerTo). Read again after the save and everything it set
 * going (last contact, segment, follow-up, money), so it is never a step behind.
 */
export async function showSavedCard(deps: Pick<ListenerDeps, 'cards'>, t: Messages, teamId: string, customerId: string, to: AnswerTo, logger: Logger): Promise<void> {
  if (!to.responseUrl) return;
  const card = await deps.cards.getCard(teamId, customerId);
  if (card) await answerVia(to, renderCard(t, card), logger);
}
