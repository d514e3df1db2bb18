import type { App, ViewSubmitAction } from '@slack/bolt';
import type { CardInput } from '../../../validation/cardInput.js';
import {
  NoDealInputSchema,
  ReferralInputSchema,
  ThanksInputSchema,
  type ReferralInput,
} from '../../../validation/referralInput.js';
import type { AnswerTo } from '../../../views/message.js';
import { renderThanked } from '../../../views/referralNudge.js';
import type { ListenerDeps, TeamScope } from '../../deps.js';
import { modalErrors } from '../../fieldErrors.js';
import { CALLBACK } from '../../../views/ids.js';
import { inlineErrors, onSubmission, type SubmissionResult, type ViewArgs } from '../../listen.js';
import { parseReferralActionMetadata, parseReferralModalMetadata } from '../../../views/modalMetadata.js';
import { referralRefusal } from '../../referralRefusal.js';
import { submissionKey } from '../../requestKey.js';
import { showSavedCard, submitter } from '../../savedCard.js';
import { readViewState } from '../../viewState.js';

/** A referred prospect starts as a potential customer, owned by whoever recorded it unless chosen. */
function prospectCard(input: ReferralInput, referrerId: string): CardInput {
  return {
    name: input.name,
    phone: input.phone,
    ownerId: input.ownerId,
    status: 'potential',
    referrerId,
    ambassador: false,
  };
}

/** Shows the card a modal was opened from again, refreshed, to who saved it, once the modal has closed. */
function refreshCard(
  deps: ListenerDeps,
  cardId: string | undefined,
  to: AnswerTo,
  args: ViewArgs,
  scope: TeamScope,
): SubmissionResult {
  if (!cardId || !to.responseUrl) return {};
  return { after: () => showSavedCard(deps, scope.t, cardId, to, submitter(args, scope)) };
}

/** Record referral, Thank referrer and No deal submissions. */
export function register(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(
    CALLBACK.referralModal,
    onSubmission<ViewArgs>(deps, 'name', async (args, scope) => {
      const { body, view } = args;
      const { teamId, t } = scope;
      const meta = parseReferralModalMetadata(view.private_metadata);
      if (!meta) return inlineErrors({ name: t.errors.malformed });
      const parsed = ReferralInputSchema.safeParse(readViewState(view.state));
      if (!parsed.success) return inlineErrors(modalErrors(t, parsed.error));
      const { needs, notes } = parsed.data;
      const created = await deps.customers.createCustomer(
        teamId,
        body.user.id,
        prospectCard(parsed.data, meta.referrerId),
        submissionKey(teamId, view),
        { needs, notes },
      );
      if (created.status === 'refused') return inlineErrors({ name: referralRefusal(t, created.refusal) });
      // The prospect's owner is nudged (the referral kind) once the person is answered.
      const refresh = refreshCard(deps, meta.referrerId, meta, args, scope);
      return {
        after: async () => {
          await created.react();
          await refresh.after?.();
        },
      };
    }),
  );

  app.view<ViewSubmitAction>(
    CALLBACK.thanksModal,
    onSubmission<ViewArgs>(deps, 'how', async (args, scope) => {
      const { body, view, client } = args;
      const { teamId, t } = scope;
      const meta = parseReferralActionMetadata(view.private_metadata);
      if (!meta) return inlineErrors({ how: t.errors.malformed });
      const parsed = ThanksInputSchema.safeParse(readViewState(view.state));
      if (!parsed.success) return inlineErrors(modalErrors(t, parsed.error));
      const result = await deps.referrals.thank(
        teamId,
        meta.referralId,
        body.user.id,
        parsed.data.how,
        parsed.data.note,
      );
      if (result.status === 'notFound') return inlineErrors({ how: t.referral.gone });
      // The same person submitting twice has nothing to be told; someone else thanked first, they do.
      if (result.status === 'already')
        return result.by === body.user.id ? {} : inlineErrors({ how: t.referral.alreadyThanked });
      const refresh = refreshCard(deps, meta.cardId, meta, args, scope);
      return {
        after: async () => {
          const thanked = renderThanked(t, result.facts, result.facts.referrer.ownerId);
          for (const { channel, messageTs } of result.answered)
            await client.chat.update({ channel: channel!, ts: messageTs!, ...thanked });
          await refresh.after?.();
        },
      };
    }),
  );

  app.view<ViewSubmitAction>(
    CALLBACK.noDealModal,
    onSubmission<ViewArgs>(deps, 'reason', async (args, scope) => {
      const { body, view } = args;
      const { teamId, t } = scope;
      const meta = parseReferralActionMetadata(view.private_metadata);
      if (!meta) return inlineErrors({ reason: t.errors.malformed });
      const parsed = NoDealInputSchema.safeParse(readViewState(view.state));
      if (!parsed.success) return inlineErrors(modalErrors(t, parsed.error));
      const result = await deps.referrals.markNoDeal(teamId, meta.referralId, body.user.id, parsed.data.reason);
      if (result.status !== 'ok')
        return inlineErrors({ reason: result.status === 'notOpen' ? t.referral.notOpen : t.referral.gone });
      return refreshCard(deps, meta.cardId, meta, args, scope);
    }),
  );
}
