import type { App, ViewSubmitAction } from '@slack/bolt';
import { todayIn } from '../../../time.js';
import { rescheduleInputSchema } from '../../../validation/promiseInput.js';
import { renderClosedPromiseNudge } from '../../../views/promiseNudge.js';
import { escapeMrkdwn, mention } from '../../../i18n/mrkdwn.js';
import type { ListenerDeps } from '../../deps.js';
import { modalErrors } from '../../fieldErrors.js';
import { CALLBACK } from '../../../views/ids.js';
import { inlineErrors, onSubmission, type ViewArgs } from '../../listen.js';
import { parsePromiseRescheduleMetadata } from '../../../views/modalMetadata.js';
import { readViewState } from '../../viewState.js';

/** 承诺改期 submissions: a date today or later moves the promise and its nudge, and closes the nudge it came from. */
export function register(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(
    CALLBACK.promiseRescheduleModal,
    onSubmission<ViewArgs>(deps, 'dueDate', async ({ body, view, client }, { teamId, t, settings }) => {
      const meta = parsePromiseRescheduleMetadata(view.private_metadata);
      if (!meta) return inlineErrors({ dueDate: t.errors.malformed });
      const parsed = rescheduleInputSchema(todayIn(deps.now(), settings.timezone)).safeParse(readViewState(view.state));
      if (!parsed.success) return inlineErrors(modalErrors(t, parsed.error));
      const result = await deps.promises.reschedule(teamId, meta.promiseId, body.user.id, parsed.data.dueDate);
      if (result.status === 'notFound') return inlineErrors({ dueDate: t.promise.gone });
      if (result.status === 'kept') return inlineErrors({ dueDate: t.promise.alreadyKept });
      const { channel, ts } = meta;
      const customer =
        channel && ts ? await deps.customers.findCustomer(teamId, result.promise.customerId.toString()) : null;
      if (!channel || !ts || !customer) return {};
      const note = t.promise.rescheduledBy(mention(body.user.id, ''), escapeMrkdwn(result.promise.dueDate));
      const closed = renderClosedPromiseNudge(t, customer, result.previous, note);
      return { after: async () => void (await client.chat.update({ channel, ts, ...closed })) };
    }),
  );
}
