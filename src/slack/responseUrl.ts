import type { Logger } from '@slack/bolt';
import type { AnswerTo, SlackMessage } from '../views/message.js';

/**
 * Answers through a response_url kept from the press that opened a modal
 * (modal submissions carry none of their own), only to the person who
 * pressed: in place of the message pressed when that is theirs alone to
 * see (`replace`), else as a new ephemeral message beside it.
 */
export async function answerVia({ responseUrl, replace }: AnswerTo, msg: SlackMessage, logger: Logger): Promise<void> {
  if (!responseUrl) return;
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...msg, replace_original: replace === true, response_type: 'ephemeral' }),
  });
  if (!response.ok) logger.warn(`response_url answered HTTP ${response.status}`);
}
