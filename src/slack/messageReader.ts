import type { Logger, webApi } from '@slack/bolt';
import { referencedIds, slackToPlain } from '../domain/slackText.js';
import type { MessageSource } from '../models/messageSource.js';
import { shownName } from './userNames.js';

/** Why a message cannot be saved: the bot is not in its channel, may not read it for this person, or it is gone. */
type ReadRefusal = 'notIn' | 'cannotRead' | 'notFound';

/** A message as the bot read it from Slack: never as the request described it. */
interface ReadMessage {
  /** Slack's markup, as stored. */
  text: string;
  source: MessageSource;
}

export type ReadResult = { ok: true; message: ReadMessage } | { ok: false; reason: ReadRefusal };

export interface MessagePlace {
  channel: string;
  ts: string;
  /** The thread it is a reply in, if any. */
  threadTs?: string;
  /** Who asks: the message must be one they can read. */
  userId: string;
}

/** Slack's answers that mean "not readable by this bot": not its channel, a private one, another workspace's. */
const NOT_IN = new Set(['not_in_channel']);
const CANNOT_READ = new Set([
  'channel_not_found',
  'missing_scope',
  'access_denied',
  'is_archived',
  'team_access_not_granted',
]);

const errorOf = (error: unknown): string | undefined => (error as { data?: { error?: string } }).data?.error;

interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
  permalink?: string;
}

/** At most this many of a channel's member pages are read to find a guest among them. */
const MEMBER_PAGES = 10;

/**
 * Whether the person may read the channel: a workspace member reads every
 * public channel; a guest only those they are in (conversations.members,
 * scope channels:read). A DM is readable only as the person's own DM with
 * the app: the bot's DMs with anyone else are theirs, not this person's.
 */
async function personMayRead(client: webApi.WebClient, { channel, userId }: MessagePlace): Promise<boolean> {
  if (channel.startsWith('D')) {
    const opened = await client.conversations.open({ users: userId });
    return opened.channel?.id === channel;
  }
  const user = (await client.users.info({ user: userId }).catch(() => undefined))?.user;
  if (!user?.is_restricted && !user?.is_ultra_restricted) return true;
  let cursor: string | undefined;
  for (let page = 0; page < MEMBER_PAGES; page++) {
    const members = await client.conversations.members({ channel, limit: 200, ...(cursor ? { cursor } : {}) });
    if (members.members?.includes(userId)) return true;
    cursor = members.response_metadata?.next_cursor;
    if (!cursor) return false;
  }
  return false;
}

/** The message itself, from the channel's history or its thread, read with the workspace's own token. */
async function fetchMessage(client: webApi.WebClient, { channel, ts, threadTs }: MessagePlace) {
  const window = { channel, latest: ts, oldest: ts, inclusive: true };
  const answer =
    threadTs && threadTs !== ts
      ? await client.conversations.replies({ ...window, ts: threadTs, limit: 10 })
      : await client.conversations.history({ ...window, limit: 1 });
  return answer.messages?.find((m) => m.ts === ts);
}

const filesOf = (files: SlackFile[] | undefined): MessageSource['files'] =>
  (files ?? []).map((f) => ({
    name: f.title || f.name || f.id || '?',
    ...(f.permalink ? { url: f.permalink } : {}),
  }));

/**
 * Reads the message a shortcut names, as the bot sees it: only a message
 * the bot can read in the requester's workspace (its own token), in a
 * conversation the requester can read too, is ever saved. What the request
 * said the message was is not used.
 */
export async function readMessage(client: webApi.WebClient, logger: Logger, place: MessagePlace): Promise<ReadResult> {
  try {
    if (!(await personMayRead(client, place))) return { ok: false, reason: 'cannotRead' };
    const found = await fetchMessage(client, place);
    if (!found) return { ok: false, reason: 'notFound' };
    const permalink = await client.chat
      .getPermalink({ channel: place.channel, message_ts: place.ts })
      .then((answer) => answer.permalink)
      .catch((error: Error) => logger.warn(`chat.getPermalink failed (${error.message}); saved without a link`));
    const source: MessageSource = {
      channelId: place.channel,
      ts: place.ts,
      ...(permalink ? { permalink } : {}),
      ...(found.user ? { authorId: found.user } : {}),
      files: filesOf(found.files),
    };
    return { ok: true, message: { text: found.text ?? '', source } };
  } catch (error) {
    const code = errorOf(error);
    if (code && NOT_IN.has(code)) return { ok: false, reason: 'notIn' };
    if (code && CANNOT_READ.has(code)) return { ok: false, reason: 'cannotRead' };
    throw error;
  }
}

/** At most this many people and channels a message names are looked up by name; the rest show by id. */
const NAMES_LOOKED_UP = 20;

/** A message's text as a person reads it: mentions and channels by name (users:read, channels:read), links spelled out. */
export async function readableText(client: webApi.WebClient, text: string): Promise<string> {
  const { users, channels } = referencedIds(text);
  // Someone or a channel Slack cannot name (gone, another workspace's) keeps its id: the text is still saved.
  const userNames = new Map<string, string>();
  for (const id of users.slice(0, NAMES_LOOKED_UP)) {
    const name = shownName((await client.users.info({ user: id }).catch(() => undefined))?.user);
    if (name) userNames.set(id, name);
  }
  const channelNames = new Map<string, string>();
  for (const id of channels.slice(0, NAMES_LOOKED_UP)) {
    const name = (await client.conversations.info({ channel: id }).catch(() => undefined))?.channel?.name;
    if (name) channelNames.set(id, name);
  }
  return slackToPlain(text, { users: userNames, channels: channelNames });
}
