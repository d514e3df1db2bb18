import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Messages } from '../../../i18n/index.js';
import { escapeMrkdwn } from '../../../i18n/mrkdwn.js';
import type { CaptureResult } from '../../../services/captures.js';
import { todayIn } from '../../../time.js';
import { parseCaptureInput, type CaptureKind } from '../../../validation/captureInput.js';
import { CALLBACK } from '../../../views/ids.js';
import { renderSafeNotice } from '../../../views/lookup.js';
import { parseCaptureModalMetadata } from '../../../views/modalMetadata.js';
import type { ListenerDeps } from '../../deps.js';
import { errorMessages } from '../../fieldErrors.js';
import { inlineErrors, onSubmission, type ViewArgs } from '../../listen.js';
import { readMessage } from '../../messageReader.js';
import { referralRefusal } from '../../referralRefusal.js';
import { submissionKey } from '../../requestKey.js';
import { answerVia } from '../../responseUrl.js';
import { showSavedCard, submitter } from '../../savedCard.js';
import { readViewState } from '../../viewState.js';

/** What the saver is told first: where the message went, as what. */
function savedNotice(t: Messages, what: CaptureKind, saved: Extract<CaptureResult, { status: 'saved' }>) {
  const name = escapeMrkdwn(saved.customer.name);
  return renderSafeNotice(
    what === 'note' ? t.capture.savedNote(name) : t.capture.saved(name, escapeMrkdwn(t.capture.whatOptions[what])),
  );
}

/**
 * 保存到客户卡 submissions: the fields checked as the visit modal checks
 * them, the message read again from Slack (the one source of its link,
 * author and files), then saved once per submission, a new card first if
 * one was asked for.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(
    CALLBACK.saveMessageModal,
    onSubmission<ViewArgs>(deps, 'text', async (args, scope) => {
      const { body, view, client } = args;
      const { teamId, t, settings } = scope;
      const meta = parseCaptureModalMetadata(view.private_metadata);
      if (!meta) return inlineErrors({ text: t.errors.malformed });
      const input = parseCaptureInput(readViewState(view.state), todayIn(deps.now(), settings.timezone));
      if (!input.ok) return inlineErrors(errorMessages(t, input.errors));
      const read = await readMessage(client, deps.logger, { ...meta, userId: body.user.id });
      if (!read.ok) return inlineErrors({ text: t.capture[read.reason] });
      const saved = await deps.captures.save({
        teamId,
        userId: body.user.id,
        target: input.target,
        record: input.record,
        source: read.message.source,
        requestKey: submissionKey(teamId, view),
      });
      if (saved.status === 'refused') return inlineErrors({ customer: referralRefusal(t, saved.refusal) });
      if (saved.status === 'notFound') return inlineErrors({ customer: t.card.gone });
      return {
        after: async () => {
          const viewer = submitter(args, scope);
          await answerVia(meta, savedNotice(t, input.what, saved), viewer.logger);
          await showSavedCard(deps, t, saved.customer._id.toString(), meta, viewer);
        },
      };
    }),
  );
}
