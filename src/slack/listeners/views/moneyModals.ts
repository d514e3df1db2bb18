import type { App, ViewSubmitAction } from '@slack/bolt';
import { formatFen } from '../../../domain/money.js';
import type { Messages } from '../../../i18n/index.js';
import type { CustomerRecord } from '../../../models/customer.js';
import { todayIn } from '../../../time.js';
import { AdjustmentInputSchema, paymentInputSchema, saleInputSchema } from '../../../validation/moneyInput.js';
import { renderCard } from '../../../views/card.js';
import type { ListenerDeps } from '../../deps.js';
import { modalErrors } from '../../fieldErrors.js';
import { CALLBACK } from '../../ids.js';
import { inlineErrors, onSubmission, type SubmissionResult, type ViewArgs } from '../../listen.js';
import { parseMoneyModalMetadata } from '../../metadata.js';
import { submissionKey } from '../../requestKey.js';
import { replaceViaResponseUrl } from '../../responseUrl.js';
import { readViewState } from '../../viewState.js';

/** Closes the modal and shows the card again where the button was pressed. */
function showCard(deps: ListenerDeps, t: Messages, customer: CustomerRecord, responseUrl: string | undefined, { logger }: ViewArgs): SubmissionResult {
  if (!responseUrl) return {};
  return { after: async () => replaceViaResponseUrl(responseUrl, renderCard(t, await deps.cards.loadCard(customer)), logger) };
}

/** 交易记录, 收款 and 退赔/折价 submissions: validate, record on the customer's ledger, show the card. */
export function register(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(
    CALLBACK.saleModal,
    onSubmission<ViewArgs>(deps, 'amountFen', async (args, { teamId, t, settings }) => {
      const { body, view } = args;
      const meta = parseMoneyModalMetadata(view.private_metadata);
      if (!meta) return inlineErrors({ amountFen: t.errors.malformed });
      const parsed = saleInputSchema(todayIn(deps.now(), settings.timezone)).safeParse(readViewState(view.state));
      if (!parsed.success) return inlineErrors(modalErrors(t, parsed.error));
      const options = { requestKey: submissionKey(teamId, view), overrideCredit: parsed.data.overrideCredit };
      const result = await deps.money.recordSale(teamId, body.user.id, meta.customerId, parsed.data, options);
      if (result.status === 'notFound') return inlineErrors({ amountFen: t.card.gone });
      if (result.status === 'creditExceeded') {
        const { outstandingFen, afterFen, limitFen } = result.warning;
        return inlineErrors({ amountFen: t.money.creditExceeded(formatFen(outstandingFen), formatFen(afterFen), formatFen(limitFen)) });
      }
      return showCard(deps, t, result.customer, meta.responseUrl, args);
    }),
  );

  app.view<ViewSubmitAction>(
    CALLBACK.adjustmentModal,
    onSubmission<ViewArgs>(deps, 'amountFen', async (args, { teamId, t }) => {
      const { body, view } = args;
      const meta = parseMoneyModalMetadata(view.private_metadata);
      if (!meta) return inlineErrors({ amountFen: t.errors.malformed });
      const parsed = AdjustmentInputSchema.safeParse(readViewState(view.state));
      if (!parsed.success) return inlineErrors(modalErrors(t, parsed.error));
      const result = await deps.money.recordAdjustment(teamId, body.user.id, meta.customerId, parsed.data, submissionKey(teamId, view));
      if (result.status === 'notFound') return inlineErrors({ amountFen: t.card.gone });
      if (result.status === 'exceedsSale') return inlineErrors({ amountFen: t.money.exceedsSale(formatFen(result.remainingFen)) });
      return showCard(deps, t, result.customer, meta.responseUrl, args);
    }),
  );

  app.view<ViewSubmitAction>(
    CALLBACK.paymentModal,
    onSubmission<ViewArgs>(deps, 'amountFen', async (args, { teamId, t, settings }) => {
      const { body, view } = args;
      const meta = parseMoneyModalMetadata(view.private_metadata);
      if (!meta) return inlineErrors({ amountFen: t.errors.malformed });
      const parsed = paymentInputSchema(todayIn(deps.now(), settings.timezone)).safeParse(readViewState(view.state));
      if (!parsed.success) return inlineErrors(modalErrors(t, parsed.error));
      const result = await deps.money.recordPayment(teamId, body.user.id, meta.customerId, parsed.data, submissionKey(teamId, view));
      if (result.status === 'notFound') return inlineErrors({ amountFen: t.card.gone });
      if (result.status === 'overpayment') return inlineErrors({ amountFen: t.money.overpayment(formatFen(result.outstandingFen)) });
      if (result.status === 'unknownReceivable') return inlineErrors({ receivableId: t.money.unknownReceivable });
      return showCard(deps, t, result.customer, meta.responseUrl, args);
    }),
  );
}
