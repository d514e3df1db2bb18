import type { types } from '@slack/bolt';
import { LIMITS } from './limits.js';
import { truncate, truncateMrkdwn, type Mrkdwn } from '../i18n/mrkdwn.js';

/** A message as sent to chat.postMessage or a response_url: blocks plus the notification text. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

type TextObject = { type: 'mrkdwn' | 'plain_text'; text: string };

const isTextObject = (node: unknown): node is TextObject => {
  const n = node as Partial<TextObject> | null;
  return Boolean(n) && (n!.type === 'mrkdwn' || n!.type === 'plain_text') && typeof n!.text === 'string';
};

/** Every text object in some blocks, as Slack counts them: mrkdwn and plain text alike, labels and options included. */
function textObjects(node: unknown, out: TextObject[] = []): TextObject[] {
  if (Array.isArray(node)) node.forEach((n) => textObjects(n, out));
  else if (isTextObject(node)) out.push(node);
  else if (node && typeof node === 'object') Object.values(node).forEach((v) => textObjects(v, out));
  return out;
}

/** The length of all the text in some blocks, in UTF-16 code units, as Slack measures a message. */
export function textLength(blocks: unknown): number {
  return textObjects(blocks).reduce((sum, t) => sum + t.text.length, 0);
}

/** The texts a message may shorten to fit: what sections and context blocks say, not headers, buttons or options. */
function shrinkable(blocks: types.KnownBlock[]): TextObject[] {
  return blocks.flatMap((b) => {
    if (b.type === 'section') return [...(b.text ? [b.text] : []), ...(b.fields ?? [])] as TextObject[];
    if (b.type === 'context') return b.elements.filter(isTextObject);
    return [];
  });
}

/** The shortest a shortened text gets, so each still says something. */
const MIN_KEPT = 40;

/**
 * Blocks whose text passes `budget` (a message's LIMITS.messageText) with
 * their longest texts shortened, evenly, until it fits: the largest cap
 * that does leaves every shorter text whole. Lists drop rows with "N more"
 * first (rowsWithin); this keeps the rest (a card of long, escape-heavy
 * notes) inside the limit. Copies; never changes what it was given.
 */
function fitText(blocks: types.KnownBlock[], budget: number = LIMITS.messageText): types.KnownBlock[] {
  if (textLength(blocks) <= budget) return blocks;
  const copy = structuredClone(blocks);
  const texts = shrinkable(copy);
  const fixed = textLength(copy) - texts.reduce((sum, t) => sum + t.text.length, 0);
  const lengths = texts.map((t) => t.text.length).sort((a, b) => b - a);
  let cap = lengths[0] ?? 0;
  const fits = (c: number) => fixed + lengths.reduce((sum, l) => sum + Math.min(l, c), 0) <= budget;
  for (let low = MIN_KEPT, high = cap; low <= high;) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) {
      cap = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  cap = fits(cap) ? cap : MIN_KEPT;
  for (const t of texts) {
    if (t.text.length > cap)
      t.text = t.type === 'mrkdwn' ? truncateMrkdwn(t.text as Mrkdwn, cap) : truncate(t.text, cap);
  }
  return copy;
}

/**
 * A list's rows (each a few blocks) after `fixed` blocks, as many as fit a
 * message's text, in order, `reserve` units kept for what follows (a "N
 * more" line): the list then says how many it left out.
 */
export function rowsWithin(
  fixed: types.KnownBlock[],
  rows: types.KnownBlock[][],
  reserve = 400,
): { blocks: types.KnownBlock[]; shown: number } {
  let used = textLength(fixed);
  const blocks: types.KnownBlock[] = [];
  let shown = 0;
  const room = LIMITS.messageBlocks - fixed.length - 1;
  for (const row of rows) {
    const size = textLength(row);
    if (used + size > LIMITS.messageText - reserve || blocks.length + row.length > room) break;
    blocks.push(...row);
    used += size;
    shown += 1;
  }
  return { blocks, shown };
}

/**
 * `text` is the notification and fallback, which Slack parses as mrkdwn too:
 * it must be escaped like the blocks. The blocks are kept inside the
 * message's total text (fitText).
 */
export function message(text: Mrkdwn, blocks: types.KnownBlock[]): SlackMessage {
  return { text: truncateMrkdwn(text, LIMITS.fallbackText), blocks: fitText(blocks) };
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

/**
 * Where a modal answers once saved: the response_url of the message pressed, and whether that message may be replaced.
 */
export interface AnswerTo {
  responseUrl?: string;
  /**
   * Only what the presser alone sees (an ephemeral answer, a card in their DM); otherwise the answer is a new ephemeral
   * message.
   */
  replace?: boolean;
  /**
   * Opened where Slack gives no response_url (a ⚡ shortcut): the answer goes to the person's DM with the app, as a
   * card from App Home does.
   */
  dm?: true;
}
