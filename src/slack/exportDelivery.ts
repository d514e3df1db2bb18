import type { webApi } from '@slack/bolt';
import type { Deliver } from '../services/exports.js';

/**
 * Sends an export's files to the user's DM with the app, in one
 * files.uploadV2 call (one message). uploadV2 reads each file whole into
 * memory before posting it (a path is read with readFileSync, a stream is
 * collected into a Buffer: it needs the byte length first), so a path is
 * the cheaper input: one copy of the file, read only once the database work is done.
 */
export function deliverToDm(client: webApi.WebClient, userId: string): Deliver {
  return async (files, summary, t) => {
    const dm = await client.conversations.open({ users: userId });
    const channel = dm.channel?.id;
    if (!channel) throw new Error('conversations.open answered without a channel');
    await client.files.uploadV2({
      channel_id: channel,
      initial_comment: t.exports.comment(summary.cards),
      file_uploads: files.map((f) => ({ file: f.path, filename: f.filename, title: f.filename })),
    });
  };
}
