import type { webApi } from '@slack/bolt';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { Deliver, ExportFile } from '../services/exports.js';

/** POSTs a file's bytes, streamed from disk, to an upload URL Slack gave. */
async function streamFile(uploadUrl: string, path: string, length: number): Promise<void> {
  const url = new URL(uploadUrl);
  const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'content-length': length },
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => req.on('response', resolve).on('error', reject));
  await pipeline(createReadStream(path), req);
  const res = await answered;
  res.resume();
  if (res.statusCode !== 200) throw new Error(`file upload answered HTTP ${res.statusCode}`);
}

async function uploadOne(client: webApi.WebClient, file: ExportFile): Promise<{ id: string; title: string }> {
  const { size } = await stat(file.path);
  const { upload_url: uploadUrl, file_id: id } = await client.files.getUploadURLExternal({
    filename: file.filename,
    length: size,
  });
  if (!uploadUrl || !id) throw new Error('files.getUploadURLExternal answered without an upload URL');
  await streamFile(uploadUrl, file.path, size);
  return { id, title: file.filename };
}

/**
 * Sends an export's files to the user's DM with the app, as one message.
 * These are the three calls files.uploadV2 makes, done here because uploadV2
 * holds each file whole in memory, about three times over (it reads a path
 * with readFileSync or collects a stream into a Buffer, to know the length
 * first, then copies it into a Uint8Array and a Blob to post it); here the
 * length comes from the disk and the bytes are streamed.
 */
export function deliverToDm(client: webApi.WebClient, userId: string): Deliver {
  return (files, summary, t) => shareInDm(client, userId, files, t.exports.comment(summary.cards));
}

/** Shares files (written on disk) in the user's DM with the app, as one message with `comment`. */
export async function shareInDm(
  client: webApi.WebClient,
  userId: string,
  files: ExportFile[],
  comment: string,
): Promise<void> {
  const dm = await client.conversations.open({ users: userId });
  const channel = dm.channel?.id;
  if (!channel) throw new Error('conversations.open answered without a channel');
  const [first, ...rest] = await Promise.all(files.map((f) => uploadOne(client, f)));
  if (!first) return;
  await client.files.completeUploadExternal({ files: [first, ...rest], channel_id: channel, initial_comment: comment });
}
