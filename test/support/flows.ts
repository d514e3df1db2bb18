import { ACTION } from '../../src/views/ids.js';
import type { RecordedCall } from './fakeSlack.js';
import { findButton, type Harness } from './harness.js';
import type { Actor } from './slackRequests.js';

export interface CreatedCard {
  id: string;
  number: string;
  /** The card as shown after saving. */
  shown: RecordedCall;
}

/** Creates a card the way a user does: New card → fill the modal → Save. */
export async function createCard(h: Harness, actor: Actor, fields: Record<string, unknown>): Promise<CreatedCard> {
  const { view, responseUrl } = await h.openModal(actor, {
    action_id: ACTION.newCard,
    value: JSON.stringify({ name: fields.name }),
  });
  const res = await h.submitView(actor, view, fields);
  if (res.status !== 200 || res.body !== '') throw new Error(`create refused: ${res.status} ${res.body}`);
  const shown = await h.fake.waitForResponse(responseUrl);
  const edit = (shown.args.blocks as Record<string, any>[])
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === ACTION.editCard);
  const number = /KH-\d{4}-\d{4,}/.exec(JSON.stringify(shown.args.blocks))?.[0] ?? '';
  return { id: edit.value, number, shown };
}

/**
 * Finds the card by `/card <name>`, presses one of its buttons and submits the modal it opens; throws when refused.
 * Resolves with the point in the fake's call log just before the submission, and where the card was shown.
 */
async function submitFromCard(
  h: Harness,
  actor: Actor,
  name: string,
  action: string,
  fields: Record<string, unknown>,
  what: string,
): Promise<{ submitted: number; responseUrl: string }> {
  const card = await h.command(name, actor);
  const { view } = await h.openModal(actor, findButton(card.args.blocks, action), { responseUrl: card.responseUrl });
  const submitted = h.fake.mark();
  const res = await h.submitView(actor, view, fields);
  if (res.body !== '') throw new Error(`${what} refused: ${res.body}`);
  return { submitted, responseUrl: card.responseUrl };
}

/** Records a sale from the card: one unit, paid in full, unless `fields` say otherwise. */
export async function recordSale(
  h: Harness,
  actor: Actor,
  name: string,
  fields: Record<string, unknown>,
): Promise<number> {
  const { submitted } = await submitFromCard(
    h,
    actor,
    name,
    ACTION.recordSale,
    { product: '空调', quantity: 1, profitFen: null, paidInFull: true, ...fields },
    'sale',
  );
  return submitted;
}

/** Logs a visit, call or other contact from the card. */
export async function logContact(
  h: Harness,
  actor: Actor,
  name: string,
  fields: Record<string, unknown>,
): Promise<number> {
  return (await submitFromCard(h, actor, name, ACTION.logVisit, fields, 'contact')).submitted;
}

/**
 * Edits the card: Edit on the card, `fields` typed over what the form shows, Save; resolves once the saved card is
 * shown again (the reminders it moves are moved by then: the app does that after answering, before showing it).
 */
export async function editCard(
  h: Harness,
  actor: Actor,
  name: string,
  fields: Record<string, unknown>,
): Promise<number> {
  const { submitted, responseUrl } = await submitFromCard(h, actor, name, ACTION.editCard, fields, 'edit');
  await h.fake.waitForResponse(responseUrl, submitted);
  return submitted;
}

/** Records from the referrer's card that they referred `prospect`, which makes the prospect's card. */
export async function recordReferral(h: Harness, actor: Actor, referrer: string, prospect: string): Promise<void> {
  await submitFromCard(h, actor, referrer, ACTION.recordReferral, { name: prospect }, 'referral');
}
