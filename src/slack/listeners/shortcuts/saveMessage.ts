import type { AllMiddlewareArgs, App, MessageShortcut, SlackShortcutMiddlewareArgs, types } from '@slack/bolt';
import { cutTo } from '../../../domain/slackText.js';
import { todayIn } from '../../../time.js';
import { CAPTURE_TEXT_MAX } from '../../../validation/captureInput.js';
import { renderCaptureModal, renderCaptureReading, renderCaptureRefusal } from '../../../views/captureModal.js';
import { SHORTCUT } from '../../../views/ids.js';
import { parseCaptureModalMetadata } from '../../../views/modalMetadata.js';
import type { ListenerDeps } from '../../deps.js';
import { afterAck } from '../../listen.js';
import { readableText, readMessage } from '../../messageReader.js';

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** Where the shortcut says the message is, checked for shape only: what it says is read from Slack. */
function placeOf(body: MessageShortcut) {
  const place = {
    channel: body.channel?.id,
    ts: body.message?.ts ?? body.message_ts,
    ...(typeof body.message?.thread_ts === 'string' ? { threadTs: body.message.thread_ts } : {}),
    ...(body.response_url ? { responseUrl: body.response_url } : {}),
  };
  return parseCaptureModalMetadata(JSON.stringify(place));
}

/**
 * 保存到客户卡 on a message: a modal opens at once (the trigger lives 3 s)
 * while the bot reads the message with the workspace's own token; then the
 * modal becomes the form, prefilled with the message as a person reads it,
 * or says why nothing can be saved from it (the bot is not in the channel,
 * cannot read it, or it is gone).
 */
export function register(app: App, deps: ListenerDeps): void {
  app.shortcut<MessageShortcut>(
    { callback_id: SHORTCUT.saveMessage, type: 'message_action' },
    afterAck<ShortcutArgs>(deps, async ({ body, client }, { t, settings }) => {
      const opened = await client.views.open({ trigger_id: body.trigger_id, view: renderCaptureReading(t) });
      const viewId = opened.view?.id;
      const show = async (view: types.ModalView) => {
        if (viewId) await client.views.update({ view_id: viewId, view });
      };
      const metadata = placeOf(body);
      if (!metadata) return show(renderCaptureRefusal(t, 'notFound'));
      try {
        const read = await readMessage(client, deps.logger, { ...metadata, userId: body.user.id });
        if (!read.ok) return await show(renderCaptureRefusal(t, read.reason));
        const text = cutTo(await readableText(client, read.message.text), CAPTURE_TEXT_MAX);
        const day = todayIn(new Date(Number(metadata.ts) * 1000), settings.timezone);
        await show(renderCaptureModal(t, { source: read.message.source, text, day, metadata }));
      } catch (error) {
        // The modal would otherwise say "reading…" for ever; the failure is also logged and told as any other.
        await show(renderCaptureRefusal(t, 'failed')).catch(() => undefined);
        throw error;
      }
    }),
  );
}
