import type { types } from '@slack/bolt';
import { LIMITS } from './limits.js';
import { truncateMrkdwn, type Mrkdwn } from './text.js';

/** A message as sent to chat.postMessage or a response_url: blocks plus the notification text. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

/** `text` is the notification and fallback, which Slack parses as mrkdwn too: it must be escaped like the blocks. */
export function message(text: Mrkdwn, blocks: types.KnownBlock[]): SlackMessage {
  return { text: truncateMrkdwn(text, LIMITS.fallbackText), blocks };
}
