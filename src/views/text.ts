import type { types } from '@slack/bolt';
import { truncate, truncateMrkdwn, type Mrkdwn } from '../i18n/mrkdwn.js';

/** Block Kit's text elements and the plain section, each cut to the limit given. */
export function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

export function mrkdwn(text: Mrkdwn, max: number): types.MrkdwnElement {
  return { type: 'mrkdwn', text: truncateMrkdwn(text, max) };
}

export function section(text: Mrkdwn, max: number): types.SectionBlock {
  return { type: 'section', text: mrkdwn(text, max) };
}
