import type { App, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { domain } from '../../../config/domain.js';
import { requiredText } from '../../../validation/fields.js';
import { renderAnswered, renderClosedNudge } from '../../../views/nudge.js';
import { escapeMrkdwn, mention } from '../../../i18n/mrkdwn.js';
import type { ListenerDeps } from '../../deps.js';
import { modalErrors } from '../../fieldErrors.js';
import { CALLBACK } from '../../../views/ids.js';
import { inlineErrors, onSubmission, type ViewArgs } from '../../listen.js';
import { parseSpecialHandlingMetadata } from '../../../views/modalMetadata.js';
import { parseNudgeRef } from '../../../views/buttonValues.js';
import { readViewState } from '../../viewState.js';

const PlanSchema = z.object({ plan: requiredText(domain.money.maxLength.reason) });

/**
 * 特别处理 submissions: the agreed plan answers the overdue nudge, goes into the card's history, and replaces the nudge's
 * buttons.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(
    CALLBACK.specialHandlingModal,
    onSubmission<ViewArgs>(deps, 'plan', async ({ body, view, client }, { teamId, t }) => {
      const meta = parseSpecialHandlingMetadata(view.private_metadata);
      const ref = meta && parseNudgeRef(meta.nudgeRef);
      if (!meta || !ref) return inlineErrors({ plan: t.errors.malformed });
      const parsed = PlanSchema.safeParse(readViewState(view.state));
      if (!parsed.success) return inlineErrors(modalErrors(t, parsed.error));
      const did = t.overdue.specialDone(parsed.data.plan);
      const result = await deps.nudges.answer(teamId, ref.id, body.user.id, did);
      if (result.status !== 'ok')
        return inlineErrors({ plan: result.status === 'closed' ? t.nudge.closed : t.card.gone });
      const { channel, ts } = meta.posted ?? meta;
      if (!channel || !ts) return {};
      // The reminder keeps its facts as posted (amount, days, due date); else it is read again.
      const note = t.overdue.answered(mention(body.user.id, ''), escapeMrkdwn(did));
      const customer = meta.posted?.blocks
        ? null
        : await deps.customers.findCustomer(teamId, result.nudge.customerId?.toString() ?? '');
      const answered = meta.posted?.blocks
        ? renderAnswered(meta.posted.blocks, note)
        : customer
          ? renderClosedNudge(t, customer, result.nudge, note)
          : null;
      if (!answered) return {};
      return { after: async () => void (await client.chat.update({ channel, ts, ...answered })) };
    }),
  );
}
