import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SnoozeLength } from '../../../services/nudges.js';
import { todayIn } from '../../../time.js';
import { renderNotice } from '../../../views/lookup.js';
import { renderAnswered, renderClosedNudge } from '../../../views/nudge.js';
import { renderSpecialHandlingModal } from '../../../views/overdueNudge.js';
import { escapeMrkdwn, mention } from '../../../i18n/mrkdwn.js';
import { renderVisitModal } from '../../../views/visitModal.js';
import type { ListenerDeps, TeamScope } from '../../deps.js';
import { clickOrigin, metadataWithPosted } from '../../clickedMessage.js';
import { ACTION } from '../../../views/ids.js';
import { afterAck } from '../../listen.js';
import { parseNudgeRef } from '../../../views/buttonValues.js';

type ButtonBody = BlockAction<ButtonAction>;
type ButtonArgs = SlackActionMiddlewareArgs<ButtonBody> & AllMiddlewareArgs;

/** The buttons on a follow-up nudge: log the visit, or snooze it. */
export function register(app: App, deps: ListenerDeps): void {
  /** Opens the visit modal to answer the nudge: a visit or call, or for a greeting, the greeting. */
  const logFromNudge = (greeting?: 'greeting') =>
    afterAck(deps, async ({ body, action, client, respond }: ButtonArgs, { teamId, t, settings }: TeamScope) => {
      const ref = parseNudgeRef(action.value);
      const followUp = ref && (await deps.nudges.get(teamId, ref.id));
      const customer = followUp && (await deps.customers.findCustomer(teamId, followUp.customerId.toString()));
      if (!followUp || !customer)
        return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
      // The nudge's own words, as posted, are kept when it is closed: each kind states different facts.
      const base = { customerId: customer._id.toString(), followUpId: followUp._id.toString() };
      const metadata = metadataWithPosted(base, 'nudge', clickOrigin(body).posted);
      const view = renderVisitModal(t, customer, todayIn(deps.now(), settings.timezone), metadata, greeting);
      await client.views.open({ trigger_id: body.trigger_id, view });
    });
  app.action<ButtonBody>(ACTION.nudgeLogVisit, logFromNudge());
  app.action<ButtonBody>(ACTION.logGreeting, logFromNudge('greeting'));

  const snooze = (length: SnoozeLength) =>
    afterAck(deps, async ({ body, action, respond }: ButtonArgs, { teamId, t }: TeamScope) => {
      const ref = parseNudgeRef(action.value);
      const result = ref
        ? await deps.nudges.snooze(teamId, ref, body.user.id, length)
        : ({ status: 'notFound' } as const);
      if (result.status !== 'ok') {
        const note = result.status === 'closed' ? t.nudge.closed : t.card.gone;
        return void (await respond({ replace_original: false, ...renderNotice(note) }));
      }
      const customer = await deps.customers.findCustomer(teamId, result.nudge.customerId.toString());
      if (!customer) return void (await respond({ replace_original: false, ...renderNotice(t.card.gone) }));
      const note = t.nudge.snoozed(mention(body.user.id, ''), escapeMrkdwn(result.nudge.dueDate));
      const posted = clickOrigin(body).posted?.blocks;
      await respond({
        replace_original: true,
        ...(posted ? renderAnswered(posted, note) : renderClosedNudge(t, customer, result.nudge, note)),
      });
    });

  app.action<ButtonBody>(
    ACTION.nudgeDone,
    afterAck(deps, async ({ body, action, respond }: ButtonArgs, { teamId, t }: TeamScope) => {
      const ref = parseNudgeRef(action.value);
      // The button's own label says what was done (Slack sends it with the press).
      const did = action.text?.text ?? t.overdue.handled;
      const result = ref
        ? await deps.nudges.answer(teamId, ref.id, body.user.id, did)
        : ({ status: 'notFound' } as const);
      if (result.status !== 'ok') {
        return void (await respond({
          replace_original: false,
          ...renderNotice(result.status === 'closed' ? t.nudge.closed : t.card.gone),
        }));
      }
      const note = t.overdue.answered(mention(body.user.id, ''), escapeMrkdwn(did));
      const posted = clickOrigin(body).posted?.blocks;
      if (posted) return void (await respond({ replace_original: true, ...renderAnswered(posted, note) }));
      const customer = await deps.customers.findCustomer(teamId, result.nudge.customerId?.toString() ?? '');
      if (customer) await respond({ replace_original: true, ...renderClosedNudge(t, customer, result.nudge, note) });
    }),
  );

  app.action<ButtonBody>(
    ACTION.specialHandling,
    afterAck(deps, async ({ body, action, client }: ButtonArgs, { t }: TeamScope) => {
      const posted = clickOrigin(body).posted;
      const view = renderSpecialHandlingModal(
        t,
        metadataWithPosted(
          { nudgeRef: action.value ?? '', channel: posted?.channel, ts: posted?.ts },
          'posted',
          posted,
        ),
      );
      await client.views.open({ trigger_id: body.trigger_id, view });
    }),
  );

  app.action<ButtonBody>(ACTION.snoozeDay, snooze('day'));
  app.action<ButtonBody>(ACTION.snoozeWeek, snooze('week'));
}
