import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Messages } from '../../../i18n/index.js';
import type { CustomerRecord } from '../../../models/customer.js';
import { todayIn } from '../../../time.js';
import { cardInputSchema, type CardInput } from '../../../validation/cardInput.js';
import type { CardModalMetadata } from '../../../views/cardModal.js';
import type { ListenerDeps } from '../../deps.js';
import { modalErrors } from '../../fieldErrors.js';
import { CALLBACK } from '../../../views/ids.js';
import { inlineErrors, onSubmission, type ViewArgs } from '../../listen.js';
import { parseCardModalMetadata } from '../../../views/modalMetadata.js';
import { submissionKey } from '../../requestKey.js';
import { referralRefusal } from '../../referralRefusal.js';
import { showSavedCard, submitter } from '../../savedCard.js';
import { readViewState } from '../../viewState.js';

/** Saved: the card, and what the reminder kinds make of the save, to run once the person is answered. */
type SaveOutcome =
  | { ok: true; customer: CustomerRecord; react: () => Promise<void> }
  | { ok: false; field: 'name' | 'referrerId'; error: string };

interface Save {
  teamId: string;
  userId: string;
  meta: CardModalMetadata;
  input: CardInput;
  requestKey: string;
}

async function save(
  deps: ListenerDeps,
  t: Messages,
  { teamId, userId, meta, input, requestKey }: Save,
): Promise<SaveOutcome> {
  const result = meta.customerId
    ? await deps.customers.updateCustomer(
        teamId,
        userId,
        meta.customerId,
        meta.version ?? 0,
        input,
        requestKey,
        meta.fingerprint,
      )
    : await deps.customers.createCustomer(teamId, userId, input, requestKey);
  if (result.status === 'created') return { ok: true, customer: result.customer, react: result.react };
  if (result.status === 'saved') return { ok: true, customer: result.customer, react: result.react };
  if (result.status === 'refused') return { ok: false, field: 'referrerId', error: referralRefusal(t, result.refusal) };
  return { ok: false, field: 'name', error: result.status === 'conflict' ? t.modal.conflict : t.card.gone };
}

/** Create / edit submissions: validate, save without overwriting anyone, then show the card. */
export function register(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(
    CALLBACK.cardModal,
    onSubmission<ViewArgs>(deps, 'name', async (args, scope) => {
      const { body, view } = args;
      const { teamId, t, settings } = scope;
      const meta = parseCardModalMetadata(view.private_metadata);
      if (!meta) return inlineErrors({ name: t.errors.malformed });
      const today = todayIn(deps.now(), settings.timezone);
      const parsed = cardInputSchema(today).safeParse(readViewState(view.state));
      if (!parsed.success) return inlineErrors(modalErrors(t, parsed.error));
      const requestKey = submissionKey(teamId, view);
      const outcome = await save(deps, t, { teamId, userId: body.user.id, meta, input: parsed.data, requestKey });
      if (!outcome.ok) return inlineErrors({ [outcome.field]: outcome.error });
      // A card is answered as soon as it is written; its reminders are scheduled after the answer.
      return {
        after: async () => {
          await outcome.react();
          if (meta.responseUrl || meta.dm)
            await showSavedCard(deps, t, outcome.customer._id.toString(), meta, submitter(args, scope));
        },
      };
    }),
  );
}
