import type { types } from '@slack/bolt';
import { LIMITS } from '../views/limits.js';
import type { AnswerTo, PostedMessage } from '../views/message.js';
import { ACTION } from '../views/ids.js';

/**
 * Where the answer to a button press may go. Only what the presser alone
 * sees may be replaced: an ephemeral answer, or a card the app put in their
 * DM. Anything else (a reminder in the team channel, a wrap-up or a reminder
 * in a DM) keeps what it says: the presser is answered in a new ephemeral
 * message, and the message itself at most gets a line saying what was done.
 */
export interface ClickOrigin extends AnswerTo {
  replace: boolean;
  /**
   * The message pressed; its blocks when Slack sent them (it does for a posted message, never for an ephemeral one).
   */
  posted?: PostedMessage;
}

interface ClickBody {
  response_url?: string;
  container?: { type?: string; is_ephemeral?: boolean; channel_id?: string; message_ts?: string };
  channel?: { id?: string };
  message?: { ts?: string; blocks?: unknown };
}

const BLOCK_TYPES = new Set(['section', 'context', 'header', 'divider', 'actions']);

/** The blocks Slack sent back with the press, the well-formed ones only. */
function blocksOf(message: ClickBody['message']): types.KnownBlock[] | undefined {
  if (!Array.isArray(message?.blocks)) return undefined;
  return (message.blocks as Record<string, unknown>[]).filter(
    (b) => b && typeof b === 'object' && BLOCK_TYPES.has(String(b.type)),
  ) as unknown as types.KnownBlock[];
}

/**
 * A customer card, as renderCard builds it: the one posted message that is the presser's own copy, to refresh in place.
 */
function isCard(blocks: types.KnownBlock[] | undefined): boolean {
  return (blocks ?? []).some(
    (b) => b.type === 'actions' && b.elements.some((e) => 'action_id' in e && e.action_id === ACTION.editCard),
  );
}

const isDirectMessage = (channel: string | undefined) => Boolean(channel && /^D[A-Z0-9]+$/.test(channel));

export function clickOrigin(body: unknown): ClickOrigin {
  const b = (body ?? {}) as ClickBody;
  const responseUrl = b.response_url;
  if (b.container?.type !== 'message') return { responseUrl, replace: false };
  const channel = b.container.channel_id ?? b.channel?.id;
  const ts = b.container.message_ts ?? b.message?.ts;
  const blocks = blocksOf(b.message);
  const posted = channel && ts ? { channel, ts, ...(blocks ? { blocks } : {}) } : undefined;
  const replace = b.container.is_ephemeral === true || (isDirectMessage(channel) && isCard(blocks));
  return { responseUrl, replace, posted };
}

/** What a modal keeps of where it was opened: its answer's target. */
export const answerTo = ({ responseUrl, replace }: ClickOrigin): AnswerTo => ({ responseUrl, replace });

/**
 * A modal's private_metadata with the posted message it came from; the
 * message's blocks are left out when they would not fit the 3,000
 * characters (the message is then re-read from the data instead).
 */
export function metadataWithPosted<M extends object>(metadata: M, key: string, posted: PostedMessage | undefined): M {
  if (!posted) return metadata;
  const full = { ...metadata, [key]: posted };
  if (JSON.stringify(full).length <= LIMITS.privateMetadata) return full;
  return { ...metadata, [key]: { channel: posted.channel, ts: posted.ts } };
}
