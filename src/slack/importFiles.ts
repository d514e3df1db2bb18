import type { webApi } from '@slack/bolt';
import { domain } from '../config/domain.js';
import type { Person } from '../domain/people.js';
import type { ImportSource } from '../services/imports.js';

/** Why a file given to `/card import` cannot be had from Slack. */
export type FileRefusal =
  /** Slack knows no such file for this workspace's token: deleted, expired, or another workspace's. */
  | 'fileGone'
  /** Slack gives it, but it was shared from another workspace. */
  | 'otherWorkspace'
  /** Bigger than an import takes (files.info says so before anything is downloaded). */
  | 'tooLarge'
  | 'downloadFailed';

export type FetchedFile = { ok: true; source: ImportSource } | { ok: false; refusal: FileRefusal };

/** Slack's answers for a file the token cannot read. */
const GONE = new Set(['file_not_found', 'file_deleted', 'invalid_file_id', 'file_no_access']);

/**
 * Where the bot token may be sent to download a file: Slack's own hosts
 * (files.slack.com, GovSlack's), or the Web API's host when SLACK_API_URL
 * points elsewhere. A URL in a payload is never trusted with the token on its own.
 */
function mayDownload(url: URL, apiUrl: string | undefined): boolean {
  if (apiUrl && url.host === new URL(apiUrl).host) return true;
  return url.protocol === 'https:' && /(^|\.)slack(-gov)?\.com$/.test(url.hostname);
}

/** The body, refused past `max` bytes (Slack's own size in files.info is checked first; this is the guarantee). */
async function readCapped(res: Response, max: number): Promise<Buffer | null> {
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * A file from Slack, for an import: asked of files.info with the bot token
 * (scope files:read), checked to be this workspace's and within the size an
 * import takes, then downloaded from its private URL with the token in the
 * Authorization header.
 */
export async function fetchSlackFile(
  client: webApi.WebClient,
  { fileId, teamId, token, apiUrl }: { fileId: string; teamId: string; token: string; apiUrl?: string },
): Promise<FetchedFile> {
  let file: NonNullable<webApi.FilesInfoResponse['file']>;
  try {
    const info = await client.files.info({ file: fileId });
    if (!info.file) return { ok: false, refusal: 'fileGone' };
    file = info.file;
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code && GONE.has(code)) return { ok: false, refusal: 'fileGone' };
    throw error;
  }
  const owner = (file as { user_team?: string; source_team?: string }).user_team ?? file.source_team;
  if (owner && owner !== teamId) return { ok: false, refusal: 'otherWorkspace' };
  if ((file.size ?? 0) > domain.import.maxBytes) return { ok: false, refusal: 'tooLarge' };
  const raw = file.url_private_download ?? file.url_private;
  const url = raw ? new URL(raw) : undefined;
  if (!url || !mayDownload(url, apiUrl)) return { ok: false, refusal: 'downloadFailed' };
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  // Slack answers a token it does not accept with a redirect to its sign-in page, not an error.
  if (res.status !== 200) {
    await res.body?.cancel();
    return { ok: false, refusal: res.status === 404 ? 'fileGone' : 'downloadFailed' };
  }
  const bytes = await readCapped(res, domain.import.maxBytes);
  if (!bytes) return { ok: false, refusal: 'tooLarge' };
  return { ok: true, source: { fileId, fileName: file.name ?? file.title ?? fileId, bytes } };
}

interface SlackMember {
  id?: string;
  deleted?: boolean;
  is_bot?: boolean;
  name?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string; email?: string };
}

/**
 * The workspace's people, as a 负责人 column may name them: users.list, a page
 * at a time (scope users:read; their e-mail addresses come with
 * users:read.email). Bots and deactivated accounts own no cards.
 */
export async function workspacePeople(client: webApi.WebClient): Promise<Person[]> {
  const people: Person[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.users.list({ limit: 200, ...(cursor ? { cursor } : {}) });
    for (const m of (page.members ?? []) as SlackMember[]) {
      if (!m.id || m.deleted || m.is_bot) continue;
      people.push({
        id: m.id,
        displayName: m.profile?.display_name || undefined,
        realName: m.profile?.real_name || m.real_name || undefined,
        name: m.name || undefined,
        email: m.profile?.email || undefined,
      });
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return people;
}
