import type { webApi } from '@slack/bolt';
import { domain } from '../config/domain.js';
import type { Messages } from '../i18n/index.js';
import type { ImportKind, ImportRecord } from '../models/import.js';
import { renderImportPreview } from '../views/importPreview.js';
import { mappingRefusalText, readRefusalText } from '../views/importText.js';
import { renderNotice } from '../views/lookup.js';
import type { ListenerDeps, TeamScope } from './deps.js';
import { fetchSlackFile, workspacePeople, type FileRefusal } from './importFiles.js';

export interface PreviewAsk {
  client: webApi.WebClient;
  /** The bot token of the request, sent only to Slack to download the file. */
  token: string;
  userId: string;
  fileId: string;
  kind: ImportKind;
  sheetName?: string;
  /** Another sheet of this import's file was picked: its preview message (where it was pressed) shows the new one. */
  replacing?: { imp: ImportRecord; channel: string; messageTs: string };
}

function fileRefusalText(t: Messages, refusal: FileRefusal): string {
  if (refusal === 'tooLarge') return readRefusalText(t, { reason: 'tooLarge', maxBytes: domain.import.maxBytes });
  return t.imports[refusal];
}

/**
 * Fetches the file from Slack, has it read and planned, and shows the
 * importer the preview in their DM with the app (or in place of the
 * preview it replaces). Whatever stops it (a file of another workspace, one
 * that is no spreadsheet…) is said in that DM, in one message; nothing is written.
 */
export async function previewImport(deps: ListenerDeps, scope: TeamScope, ask: PreviewAsk): Promise<void> {
  const { teamId, settings, t } = scope;
  const { client, userId } = ask;
  const tell = async (text: string) => void (await client.chat.postMessage({ channel: userId, ...renderNotice(text) }));
  const fetched = await fetchSlackFile(client, {
    fileId: ask.fileId,
    teamId,
    token: ask.token,
    apiUrl: deps.slackApiUrl,
  });
  if (!fetched.ok) return tell(fileRefusalText(t, fetched.refusal));
  const [roles, people] = await Promise.all([deps.roles.rolesOf(client, settings, userId), workspacePeople(client)]);
  const outcome = await deps.imports.preview({
    teamId,
    userId,
    kind: ask.kind,
    source: fetched.source,
    ...(ask.sheetName ? { sheetName: ask.sheetName } : {}),
    forAnyone: roles.admin || roles.manager,
    people,
  });
  if (outcome.status === 'unreadable') return tell(readRefusalText(t, outcome.refusal));
  if (outcome.status === 'unmapped') return tell(mappingRefusalText(t, outcome.kind, outcome.refusal));
  const shown = renderImportPreview(t, outcome.preview, settings.timezone);
  const { replacing } = ask;
  if (replacing) {
    // The preview it replaces goes now; if Import was pressed on it meanwhile, that one stands instead.
    const dropped = await deps.imports.cancel(teamId, userId, replacing.imp._id.toString());
    if (dropped.status !== 'cancelled') {
      await deps.imports.cancel(teamId, userId, outcome.preview.imp._id.toString());
      return tell(t.imports.underWay);
    }
    await client.chat.update({ channel: replacing.channel, ts: replacing.messageTs, ...shown });
    return deps.imports.attachMessage(outcome.preview.imp, replacing.channel, replacing.messageTs);
  }
  const posted = await client.chat.postMessage({ channel: userId, ...shown });
  if (posted.channel && posted.ts) await deps.imports.attachMessage(outcome.preview.imp, posted.channel, posted.ts);
}
