import type { App, ViewSubmitAction } from '@slack/bolt';
import type { z } from 'zod';
import { formatFen } from '../../../domain/money.js';
import { messagesFor } from '../../../i18n/index.js';
import type { CustomerRecord } from '../../../models/customer.js';
import { todayIn, type CalendarDate } from '../../../time.js';
import { AdjustmentInputSchema, paymentInputSchema, saleInputSchema } from '../../../validation/moneyInput.js';
import { renderAnswered } from '../../../views/nudge.js';
import { escapeMrkdwn, mention, type Mrkdwn } from '../../../i18n/mrkdwn.js';
import type { MoneyModalMetadata } from '../../../views/moneyModals.js';
import type { ListenerDeps, TeamScope } from '../../deps.js';
import { modalErrors } from '../../fieldErrors.js';
import { CALLBACK } from '../../../views/ids.js';
import { inlineErrors, onSubmission, type SubmissionResult, type ViewArgs } from '../../listen.js';
import { parseMoneyModalMetadata } from '../../../views/modalMetadata.js';
import { submissionKey } from '../../requestKey.js';
import { showSavedCard, submitter } from '../../savedCard.js';
import { readViewState } from '../../viewState.js';

/**
 * Closes the modal and shows the card again to who saved it, where they
 * pressed; a posted message pressed (a collection reminder) keeps its facts
 * and says what was done (`note`), in the team's language when in a channel.
 */
function showCard(
  deps: ListenerDeps,
  scope: TeamScope,
  customer: CustomerRecord,
  meta: MoneyModalMetadata,
  args: ViewArgs,
  note?: Mrkdwn,
): SubmissionResult {
  const { t } = scope;
  const { client } = args;
  const { posted } = meta;
  if (!meta.responseUrl && !(note && posted?.blocks)) return {};
  return {
    after: async () => {
      await showSavedCard(deps, t, customer._id.toString(), meta, submitter(args, scope));
      if (note && posted?.blocks)
        await client.chat.update({
          channel: posted.channel,
          ts: posted.ts,
          ...renderAnswered(posted.blocks, note, { keepButtons: true }),
        });
    },
  };
}

interface MoneySubmission<T> {
  meta: MoneyModalMetadata;
  input: T;
  requestKey: string;
}

/**
 * The part every money modal shares: which card it is for, the form checked
 * against the team's today, and the submission's replay key. `save` records
 * it and answers with the card or an inline refusal.
 */
function onMoneySubmission<T>(
  deps: ListenerDeps,
  schemaFor: (today: CalendarDate) => z.ZodType<T>,
  save: (args: ViewArgs, scope: TeamScope, submission: MoneySubmission<T>) => Promise<SubmissionResult>,
) {
  return onSubmission<ViewArgs>(deps, 'amountFen', async (args, scope) => {
    const { view } = args;
    const { teamId, t, settings } = scope;
    const meta = parseMoneyModalMetadata(view.private_metadata);
    if (!meta) return inlineErrors({ amountFen: t.errors.malformed });
    const parsed = schemaFor(todayIn(deps.now(), settings.timezone)).safeParse(readViewState(view.state));
    if (!parsed.success) return inlineErrors(modalErrors(t, parsed.error));
    return save(args, scope, { meta, input: parsed.data, requestKey: submissionKey(teamId, view) });
  });
}

/** 交易记录, 收款 and 退赔/折价 submissions: validate, record on the customer's ledger, show the card. */
export function register(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(
    CALLBACK.saleModal,
    onMoneySubmission(deps, saleInputSchema, async (args, scope, { meta, input, requestKey }) => {
      const { teamId, t } = scope;
      const options = { requestKey, overrideCredit: input.overrideCredit };
      const result = await deps.money.recordSale(teamId, args.body.user.id, meta.customerId, input, options);
      if (result.status === 'notFound') return inlineErrors({ amountFen: t.card.gone });
      if (result.status === 'creditExceeded') {
        const { outstandingFen, afterFen, limitFen } = result.warning;
        return inlineErrors({
          amountFen: t.money.creditExceeded(formatFen(outstandingFen), formatFen(afterFen), formatFen(limitFen)),
        });
      }
      return showCard(deps, scope, result.customer, meta, args);
    }),
  );

  app.view<ViewSubmitAction>(
    CALLBACK.adjustmentModal,
    onMoneySubmission(
      deps,
      () => AdjustmentInputSchema,
      async (args, scope, { meta, input, requestKey }) => {
        const { teamId, t } = scope;
        const result = await deps.money.recordAdjustment(teamId, args.body.user.id, meta.customerId, input, requestKey);
        if (result.status === 'notFound') return inlineErrors({ amountFen: t.card.gone });
        if (result.status === 'exceedsSale')
          return inlineErrors({ amountFen: t.money.exceedsSale(formatFen(result.remainingFen)) });
        return showCard(deps, scope, result.customer, meta, args);
      },
    ),
  );

  app.view<ViewSubmitAction>(
    CALLBACK.paymentModal,
    onMoneySubmission(deps, paymentInputSchema, async (args, scope, { meta, input, requestKey }) => {
      const { teamId, t, settings } = scope;
      const result = await deps.money.recordPayment(teamId, args.body.user.id, meta.customerId, input, requestKey);
      if (result.status === 'notFound') return inlineErrors({ amountFen: t.card.gone });
      if (result.status === 'overpayment')
        return inlineErrors({ amountFen: t.money.overpayment(formatFen(result.outstandingFen)) });
      if (result.status === 'unknownReceivable') return inlineErrors({ receivableId: t.money.unknownReceivable });
      // A channel's reminder speaks the team's language; a DM, the reader's.
      const tPosted =
        meta.posted && !meta.posted.channel.startsWith('D') && !meta.posted.channel.startsWith('U')
          ? messagesFor(settings.locale)
          : t;
      const note = tPosted.money.paymentRecordedBy(
        mention(args.body.user.id, ''),
        escapeMrkdwn(formatFen(input.amountFen)),
      );
      return showCard(deps, scope, result.customer, meta, args, note);
    }),
  );
}
