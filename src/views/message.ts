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

/**
 * A message the app posted (to a channel or a DM) that someone pressed a
 * button on: where it is and, when Slack sent it with the press, its blocks,
 * the facts it states as posted.
 */
export interface PostedMessage {
  channel: string;
  ts: string;
  blocks?: types.KnownBlock[];
}

/** Where a modal answers once saved: the response_url of the message pressed, and whether that message may be replaced. */
export interface AnswerTo {
  responseUrl?: string;
  /** Only what the presser alone sees (an ephemeral answer, a card in their DM); otherwise the answer is a new ephemeral message. */
  replace?: boolean;
}
