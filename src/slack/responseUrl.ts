import type { Logger } from '@slack/bolt';
import type { SlackMessage } from '../views/message.js';

/**
 * Shows a message through a response_url kept from the interaction that
 * opened a modal (modal submissions carry none of their own).
 */
export async function replaceViaResponseUrl(url: string, msg: SlackMessage, logger: Logger): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...msg, replace_original: true, response_type: 'ephemeral' }),
  });
  if (!response.ok) logger.warn(`response_url answered HTTP ${response.status}`);
}
