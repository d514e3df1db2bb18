import { isSlackUserId } from '../domain/slackIds.js';

declare const safe: unique symbol;

/**
 * Text that may go where Slack parses mrkdwn (section and context text, a
 * message's notification `text`): user text escaped, mentions built by the
 * app from user ids. The block builders take only this, so user text cannot
 * reach Slack unescaped without a type error.
 */
export type Mrkdwn = string & { readonly [safe]: true };

const ZWSP = '\u200B';

/** `&`, `<`, `>` as entities: no link, mention or @channel can form. */
const escapeEntities = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Escapes text for mrkdwn so it is shown as typed: `&`, `<`, `>` so it can
 * never form a link, a mention or an @channel, and each formatting mark
 * (`*`, `_`, `~`, `` ` ``) between zero-width spaces so `*bold*` or
 * `_italic_` typed by a user stays literal. Slack formats a mark only at a
 * word's edge: read as a space, the zero-width space leaves an opening mark
 * followed by a space; read as a letter, it leaves no mark at a word's edge.
 * Either way no pair forms, and nothing visible changes.
 */
export function escapeMrkdwn(text: string): Mrkdwn {
  return escapeEntities(text).replace(/[*_~`]/g, (mark) => `${ZWSP}${mark}${ZWSP}`) as Mrkdwn;
}

/**
 * The app's own words (src/i18n), whose `*bold*` and `` `code` `` are meant:
 * entities escaped, formatting kept. Never for text a user typed or Slack
 * returned; that is escapeMrkdwn's.
 */
export function appMrkdwn(text: string): Mrkdwn {
  return escapeEntities(text) as Mrkdwn;
}

/** App-written mrkdwn around values that are already safe; a plain string value does not type-check. */
export function md(strings: TemplateStringsArray, ...values: (Mrkdwn | number)[]): Mrkdwn {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ''), '') as Mrkdwn;
}

/** Joins safe pieces. */
export function joinMrkdwn(parts: Mrkdwn[], separator: string): Mrkdwn {
  return parts.join(escapeMrkdwn(separator)) as Mrkdwn;
}

/**
 * Shortens to at most `max` characters as Slack counts them, in UTF-16 code
 * units (an emoji outside the BMP is two), never cutting a surrogate pair
 * in half; `…` marks the cut.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const last = text.charCodeAt(cut - 1);
  if (cut > 0 && last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/** Shortens mrkdwn without cutting an escape (`&amp;`) in half. */
export function truncateMrkdwn(text: Mrkdwn, max: number): Mrkdwn {
  const cut = truncate(text, max);
  return (cut === text ? cut : cut.replace(/&[a-z]{0,3}…$/, '…')) as Mrkdwn;
}

/** A Slack user mention; anything that is not a user id is shown as escaped text. */
export function mention(userId: string | undefined, fallback: string): Mrkdwn {
  if (!userId) return escapeMrkdwn(fallback);
  return isSlackUserId(userId) ? (`<@${userId}>` as Mrkdwn) : escapeMrkdwn(userId);
}

/** An https address Slack gave (a permalink, a file's link): nothing in it can end or split a `<…|…>` link. */
const SAFE_URL = /^https:\/\/[^\s<>|]+$/;

/** A link with escaped text; an address that is not a plain https one is left out, the text shown alone. */
export function link(url: string | undefined, label: string): Mrkdwn {
  return url && SAFE_URL.test(url) ? (`<${url}|${escapeMrkdwn(label)}>` as Mrkdwn) : escapeMrkdwn(label);
}

/** A channel by id, which Slack shows by its name; anything that is not a channel id is shown as escaped text. */
export function channelRef(channelId: string): Mrkdwn {
  return /^[CG][A-Z0-9]{2,30}$/.test(channelId) ? (`<#${channelId}>` as Mrkdwn) : escapeMrkdwn(channelId);
}
