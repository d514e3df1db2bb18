import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTION, IMPORT_BLOCK } from '../../src/views/ids.js';
import type { RecordedCall } from './fakeSlack.js';
import { findButton, onPosted, visibleText, type Harness } from './harness.js';
import { payloadBody, slashCommandBody, type Actor } from './slackRequests.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'import');

/** What a reader sees of blocks: their visible text with mrkdwn's bold stars taken off. */
export const shownText = (blocks: Record<string, any>[]): string => visibleText(blocks).replace(/\*/g, '');

/** A fixture's bytes. */
export const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

/** `/card <text>` that opens the import modal: the modal as Slack received it. */
export async function openImportModal(h: Harness, actor: Actor, text = 'import'): Promise<Record<string, any>> {
  const after = h.fake.mark();
  const res = await h.post(slashCommandBody(actor, text, h.nextResponseUrl()));
  if (res.status !== 200) throw new Error(`/card ${text} answered HTTP ${res.status}`);
  return (await h.fake.waitFor('views.open', () => true, after)).args.view;
}

/** The preview posted to the importer's DM after `after`. */
export async function waitForPreview(
  h: Harness,
  actor: Actor,
  after: number,
  timeoutMs = 20_000,
): Promise<RecordedCall> {
  return h.fake.waitFor(
    'chat.postMessage',
    (c) => c.args.channel === actor.userId && JSON.stringify(c.args.blocks ?? []).includes(ACTION.importCancel),
    after,
    timeoutMs,
  );
}

/** A notice (no preview) posted to the importer's DM after `after`: its text. */
export async function waitForDmNotice(h: Harness, actor: Actor, after: number): Promise<string> {
  const call = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === actor.userId, after, 20_000);
  return visibleText(call.args.blocks);
}

/**
 * The whole front door: `/card import` (or `import sales`), the file given to
 * the modal's file input (hosted by the fake Slack for the actor's team), the
 * modal submitted; resolves with the preview posted to the DM.
 */
export async function previewFile(
  h: Harness,
  actor: Actor,
  name: string,
  bytes: Buffer,
  { kind = 'cards' } = {},
): Promise<RecordedCall> {
  const fileId = h.fake.hostFile(actor.teamId, name, bytes);
  const view = await openImportModal(h, actor);
  const after = h.fake.mark();
  const res = await h.submitView(actor, view, {
    [IMPORT_BLOCK.file]: [{ id: fileId, name }],
    [IMPORT_BLOCK.kind]: kind,
  });
  if (res.status !== 200) throw new Error(`import modal answered HTTP ${res.status}: ${res.body}`);
  return waitForPreview(h, actor, after);
}

/** The file dropped into the app's DM, with `text`: the message.im event Slack sends. */
export async function dropInDm(h: Harness, actor: Actor, files: { id: string; name: string }[], text = '') {
  return h.event(actor, {
    type: 'message',
    channel: `D${actor.userId}`,
    channel_type: 'im',
    text,
    ts: `${Date.now() / 1000}`,
    ...(files.length > 0 ? { subtype: 'file_share', files } : {}),
  });
}

/** Presses Import on the preview (ticking "overwrite" first when asked); resolves once the import is written. */
export async function importFromPreview(
  h: Harness,
  actor: Actor,
  preview: RecordedCall,
  { overwrite = false, instance = 0 } = {},
): Promise<RecordedCall> {
  const after = h.fake.mark();
  const where = onPosted(preview);
  const state = overwrite
    ? {
        [IMPORT_BLOCK.overwrite]: {
          [ACTION.importOverwrite]: { type: 'checkboxes', selected_options: [{ value: 'overwrite' }] },
        },
      }
    : undefined;
  const res = await h.clickButton(actor, findButton(preview.args.blocks, ACTION.importConfirm), {
    ...where,
    ...(state ? { state } : {}),
    instance,
  });
  if (res.status !== 200) throw new Error(`Import answered HTTP ${res.status}`);
  return waitForSummary(h, preview, after);
}

/** The preview message turned into the import's summary (✅), after `after`. */
export function waitForSummary(h: Harness, preview: RecordedCall, after: number, timeoutMs = 60_000) {
  return h.fake.waitFor(
    'chat.update',
    (c) => c.args.ts === preview.result!.ts && String(c.args.text).startsWith('✅'),
    after,
    timeoutMs,
  );
}

/** Picks a sheet in the preview's sheet picker, as Slack sends a static_select's choice. */
export async function pickSheet(h: Harness, actor: Actor, preview: RecordedCall, sheet: string) {
  const select = (preview.args.blocks as Record<string, any>[])
    .map((b) => b.accessory)
    .find((a) => a?.action_id === ACTION.importSheet);
  const option = (select.options as { text: { text: string }; value: string }[]).find((o) => o.text.text === sheet)!;
  const payload = {
    type: 'block_actions',
    team: { id: actor.teamId, domain: 'example' },
    user: { id: actor.userId, team_id: actor.teamId, username: 'seller' },
    api_app_id: 'A1',
    trigger_id: `trigger-sheet-${Date.now()}`,
    response_url: h.nextResponseUrl(),
    container: {
      type: 'message',
      channel_id: preview.args.channel,
      message_ts: preview.result!.ts,
      is_ephemeral: false,
    },
    channel: { id: preview.args.channel },
    message: { type: 'message', ts: preview.result!.ts, text: preview.args.text, blocks: preview.args.blocks },
    actions: [
      {
        type: 'static_select',
        action_id: ACTION.importSheet,
        block_id: 'b',
        selected_option: option,
        action_ts: '1700000000.1',
      },
    ],
  };
  return h.post(payloadBody(payload));
}

/** The refused rows' file shared to the importer's DM after `after` (shared once the summary is shown), as text without its BOM. */
export async function refusedFile(h: Harness, actor: Actor, after = 0): Promise<{ name: string; text: string }> {
  await h.fake.waitFor('files.completeUploadExternal', () => true, after, 20_000);
  const file = h.fake.sharedFiles(h.fake.dmOf(actor.userId)).at(-1);
  if (!file?.bytes) throw new Error('no refused rows file was shared');
  return { name: file.filename, text: file.bytes.toString('utf8').replace(/^\uFEFF/, '') };
}
