import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import { LIMITS } from './limits.js';
import { message, textLength, type SlackMessage } from './message.js';
import { mrkdwn, section } from './text.js';
import { joinMrkdwn, md, truncateMrkdwn, type Mrkdwn } from '../i18n/mrkdwn.js';

/** Longest line a digest lists per reminder: its notification text, which names the customer and owner first. */
const LINE_CHARS = 200;
/** Text kept free for the count of lines left out. */
const MORE_RESERVE = 200;

/**
 * One message standing for many reminders in a channel: a line per reminder
 * (its notification text), each posted in full, with its buttons, as a reply
 * in this message's thread. Lines that do not fit one message (its blocks,
 * or its total text: LIMITS.messageText) are counted instead: every
 * reminder is in the thread whatever the count.
 */
export function renderDigest(t: Messages, reminders: SlackMessage[]): SlackMessage {
  // A message's text is mrkdwn, escaped by message() as it was built.
  const lines = reminders.map((r) => r.text as Mrkdwn);
  const blocks: types.KnownBlock[] = [section(t.digest.title(lines.length), LIMITS.sectionText)];
  // One block is kept for the count of lines left out.
  const sectionsAvailable = LIMITS.messageBlocks - blocks.length - 1;
  let total = textLength(blocks);
  let chunk: Mrkdwn[] = [];
  let chunkChars = 0;
  let listed = 0;
  const flush = () => {
    if (chunk.length > 0) blocks.push(section(joinMrkdwn(chunk, '\n'), LIMITS.sectionText));
    chunk = [];
    chunkChars = 0;
  };
  for (const line of lines) {
    const shown = md`• ${truncateMrkdwn(line, LINE_CHARS)}`;
    if (total + shown.length + 1 > LIMITS.messageText - MORE_RESERVE) break;
    if (chunkChars + shown.length + 1 > LIMITS.sectionText) flush();
    if (blocks.length - 1 >= sectionsAvailable) break;
    chunk.push(shown);
    chunkChars += shown.length + 1;
    total += shown.length + 1;
    listed += 1;
  }
  flush();
  if (listed < lines.length)
    blocks.push({ type: 'context', elements: [mrkdwn(t.digest.more(lines.length - listed), LIMITS.contextText)] });
  return message(t.digest.text(lines.length), blocks);
}
