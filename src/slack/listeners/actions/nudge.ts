import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { SnoozeLength } from '../../../services/followUps.js';
import { todayIn } from '../../../time.js';
import { renderNotice } from '../../../views/lookup.js';
import { renderClosedNudge } from '../../../views/nudge.js';
import { renderVisitModal } from '../../../views/visitModal.js';
import { teamScope, type ListenerDeps } from '../../deps.js';
import { ACTION } from '../../ids.js';

type ButtonBody = BlockAction<ButtonAction>;

/** The buttons on a follow-up nudge: log the visit, or snooze it. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(ACTION.nudgeLogVisit, async ({ ack, body, action, client, respond, context }) => {
    await ack();
    const { teamId, t, settings } = await teamScope(deps, context);
    const followUp = await deps.followUps.getFollowUp(teamId, action.value ?? '');
    const customer = followUp && (await deps.customers.findCustomer(teamId, followUp.customerId.toString()));
    if (!followUp || !customer) return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
    const nudge = body.container.channel_id && body.container.message_ts
      ? { channel: body.container.channel_id as string, ts: body.container.message_ts as string }
      : undefined;
    const metadata = { customerId: customer._id.toString(), followUpId: followUp._id.toString(), nudge };
    const view = renderVisitModal(t, customer, todayIn(deps.now(), settings.timezone), metadata);
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  const snooze = (length: SnoozeLength) =>
    (async ({ ack, body, action, respond, context }) => {
      await ack();
      const { teamId, t } = await teamScope(deps, context);
      const result = await deps.followUps.snoozeFollowUp(teamId, action.value ?? '', body.user.id, length);
      if (result.status !== 'ok') {
        const note = result.status === 'closed' ? t.nudge.closed : t.card.gone;
        return void (await respond({ replace_original: false, ...renderNotice(note) }));
      }
      const customer = await deps.customers.findCustomer(teamId, result.followUp.customerId.toString());
      if (!customer) return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
      const note = t.nudge.snoozed(`<@${body.user.id}>`, result.followUp.dueDate);
      await respond({ replace_original: true, ...renderClosedNudge(t, customer, result.followUp, note) });
    }) satisfies Parameters<typeof app.action<ButtonBody>>[1];

  app.action<ButtonBody>(ACTION.snoozeDay, snooze('day'));
  app.action<ButtonBody>(ACTION.snoozeWeek, snooze('week'));
}
