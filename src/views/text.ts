import type { types } from '@slack/bolt';

/** Escapes user text for mrkdwn so it can never form a link, mention or @channel. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shortens to at most `max` characters (code points, so emoji are never cut in half). */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

export function mrkdwn(text: string, max: number): types.MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(text, max) };
}

/** A Slack user mention; anything that is not a user id is shown as escaped text. */
export function mention(userId: string | undefined, fallback: string): string {
  if (!userId) return fallback;
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

export function section(text: string, max: number): types.SectionBlock {
  return { type: 'section', text: mrkdwn(text, max) };
}
