import type { App, Logger } from '@slack/bolt';
import type { CustomerRecord } from '../../../models/customer.js';
import { renderCard } from '../../../views/card.js';
import type { CardModalMetadata } from '../../../views/cardModal.js';
import { CardInputSchema, type CardInput } from '../../../validation/cardInput.js';
import { teamScope, type ListenerDeps } from '../../deps.js';
import { modalErrors } from '../../fieldErrors.js';
import { CALLBACK } from '../../ids.js';
import { parseCardModalMetadata } from '../../metadata.js';
import { replaceViaResponseUrl } from '../../responseUrl.js';
import { readViewState } from '../../viewState.js';
import type { Messages } from '../../../i18n/index.js';

type SaveOutcome = { ok: true; customer: CustomerRecord } | { ok: false; error: string };

async function save(deps: ListenerDeps, t: Messages, teamId: string, userId: string, meta: CardModalMetadata, input: CardInput): Promise<SaveOutcome> {
  if (!meta.customerId) return { ok: true, customer: await deps.customers.createCustomer(teamId, userId, input) };
  const result = await deps.customers.updateCustomer(teamId, userId, meta.customerId, meta.version ?? 0, input);
  if (result.status === 'saved') return { ok: true, customer: result.customer };
  return { ok: false, error: result.status === 'conflict' ? t.modal.conflict : t.card.gone };
}

async function showCard(deps: ListenerDeps, t: Messages, customer: CustomerRecord, responseUrl: string | undefined, logger: Logger) {
  if (!responseUrl) return;
  await replaceViaResponseUrl(responseUrl, renderCard(t, await deps.customers.loadCard(customer)), logger);
}

/** Create / edit submissions: validate, save without overwriting anyone, then show the card. */
export function register(app: App, deps: ListenerDeps): void {
  app.view(CALLBACK.cardModal, async ({ ack, body, view, context, logger }) => {
    const { teamId, t } = await teamScope(deps, context);
    const metadata = parseCardModalMetadata(view.private_metadata);
    const parsed = CardInputSchema.safeParse(readViewState(view.state.values));
    if (!metadata) return void (await ack({ response_action: 'errors', errors: { name: t.errors.generic } }));
    if (!parsed.success) return void (await ack({ response_action: 'errors', errors: modalErrors(t, parsed.error) }));
    let outcome: SaveOutcome;
    try {
      outcome = await save(deps, t, teamId, body.user.id, metadata, parsed.data);
    } catch (error) {
      await ack({ response_action: 'errors', errors: { name: t.errors.generic } });
      throw error;
    }
    if (!outcome.ok) return void (await ack({ response_action: 'errors', errors: { name: outcome.error } }));
    await ack();
    await showCard(deps, t, outcome.customer, metadata.responseUrl, logger);
  });
}
