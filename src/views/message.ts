import type { types } from '@slack/bolt';
import { LIMITS } from './limits.js';
import { truncate } from './text.js';

/** A message as sent to chat.postMessage or a response_url: blocks plus the notification text. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

export function message(text: string, blocks: types.KnownBlock[]): SlackMessage {
  return { text: truncate(text, LIMITS.fallbackText), blocks };
}
