import type { Messages } from '../i18n/index.js';
import { channelRef, escapeMrkdwn, joinMrkdwn, link, md, mention, type Mrkdwn } from '../i18n/mrkdwn.js';
import type { MessageSource } from '../models/messageSource.js';
import { LIMITS } from './limits.js';

/** A file name shown in a list, so a few long names cannot crowd out the rest. */
const FILE_NAME_SHOWN = 80;
/** Room kept in a context element for what surrounds the file list. */
const FILES_ROOM = LIMITS.contextText - 200;

/** The message's files as links, as many as fit one context element, with how many more there are. */
export function fileList(t: Messages, files: MessageSource['files']): Mrkdwn {
  const shown: Mrkdwn[] = [];
  let used = 0;
  for (const file of files) {
    const name = file.name.length > FILE_NAME_SHOWN ? `${file.name.slice(0, FILE_NAME_SHOWN - 1)}…` : file.name;
    const item = link(file.url, name);
    if (used + item.length > FILES_ROOM) break;
    shown.push(item);
    used += item.length + 2;
  }
  const more = files.length - shown.length;
  return joinMrkdwn(more > 0 ? [...shown, md`+${more}`] : shown, t.punct.list);
}

/** Who wrote the message, where, and a link to it. */
export function sourceLine(t: Messages, source: MessageSource): Mrkdwn {
  const where = source.channelId.startsWith('D') ? escapeMrkdwn(t.capture.dm) : channelRef(source.channelId);
  const from = source.authorId ? t.capture.from(mention(source.authorId, ''), where) : t.capture.fromApp(where);
  return source.permalink ? md`${from} · ${link(source.permalink, t.capture.original)}` : from;
}

/** Where a saved record came from, in its card's History: who wrote the message, a link to it, and its files. */
export function historySourceLines(t: Messages, source: MessageSource): Mrkdwn[] {
  const original = link(source.permalink, t.history.original);
  const from = source.authorId
    ? t.history.source(mention(source.authorId, ''), original)
    : t.history.sourceByApp(original);
  return [from, ...(source.files.length > 0 ? [t.history.files(fileList(t, source.files))] : [])];
}
