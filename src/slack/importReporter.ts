import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, parse } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '@slack/bolt';
import { stringify } from 'csv-stringify';
import { messagesFor, type Messages } from '../i18n/index.js';
import type { ImportReporter } from '../jobs/importJob.js';
import type { ImportRecord } from '../models/import.js';
import type { RefusedRow } from '../services/imports.js';
import type { TeamSettingsService } from '../services/teamSettings.js';
import type { UserLocaleService } from '../services/userLocale.js';
import { renderImportFailed, renderImportProgress, renderImportSummary } from '../views/importPreview.js';
import { refusedHeader, refusedRow } from '../views/importText.js';
import type { SlackMessage } from '../views/message.js';
import { shareInDm } from './exportDelivery.js';
import type { TeamClients } from './teamClients.js';

interface Deps {
  clients: TeamClients;
  settings: TeamSettingsService;
  userLocales: UserLocaleService;
  logger: Logger;
}

/** Writes the refused rows to a CSV file (UTF-8 with a BOM, as the export's), resolving with how many. */
async function writeRefused(path: string, t: Messages, imp: ImportRecord, refused: AsyncIterable<RefusedRow>) {
  let count = 0;
  const headers = imp.columns.map((c) => c.header);
  async function* rows() {
    yield refusedHeader(t, headers);
    for await (const row of refused) {
      count += 1;
      yield refusedRow(t, imp.kind, headers.length, row);
    }
  }
  await pipeline(Readable.from(rows()), stringify({ bom: true }), createWriteStream(path));
  return count;
}

/**
 * Slack's side of an import's job: the preview message in the importer's DM
 * becomes the progress, then the summary (in the importer's language); the
 * refused rows come as a CSV file with a reason column, in the same DM.
 */
export function createImportReporter({ clients, settings, userLocales, logger }: Deps): ImportReporter {
  const messagesOf = async (imp: ImportRecord) =>
    messagesFor(
      (await userLocales.localeOf(imp.teamId, imp.userId)) ?? (await settings.settingsFor(imp.teamId)).locale,
    );

  /** The preview message, replaced; a DM of its own if it was never posted. */
  async function show(imp: ImportRecord, message: SlackMessage): Promise<void> {
    const client = await clients.clientFor(imp.teamId);
    if (!client) return;
    if (imp.channel && imp.messageTs) await client.chat.update({ channel: imp.channel, ts: imp.messageTs, ...message });
    else await client.chat.postMessage({ channel: imp.userId, ...message });
  }

  async function sendRefused(imp: ImportRecord, t: Messages, refused: AsyncIterable<RefusedRow>): Promise<void> {
    const client = await clients.clientFor(imp.teamId);
    if (!client) return;
    const dir = await mkdtemp(join(tmpdir(), 'card-import-'));
    try {
      const path = join(dir, 'refused.csv');
      const rows = await writeRefused(path, t, imp, refused);
      const file = { path, filename: t.imports.refusedFilename(parse(imp.fileName).name), rows };
      await shareInDm(client, imp.userId, [file], t.imports.refusedComment(rows));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  return {
    async progress(imp, done, total) {
      // Progress is a courtesy: a refused update must not stop the import.
      await show(imp, renderImportProgress(await messagesOf(imp), imp, done, total)).catch((error: Error) =>
        logger.warn(`import ${imp._id.toString()}: progress not shown: ${error.message}`),
      );
    },
    async finished(imp, refused) {
      const t = await messagesOf(imp);
      await show(imp, renderImportSummary(t, imp));
      if ((imp.result?.invalid ?? 0) > 0) await sendRefused(imp, t, refused);
    },
    async failed(imp) {
      await show(imp, renderImportFailed(await messagesOf(imp), imp));
    },
  };
}
