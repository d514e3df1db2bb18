import { ACTION } from '../../src/views/ids.js';
import type { RecordedCall } from './fakeSlack.js';
import { createCard, type CreatedCard } from './flows.js';
import { findButton, TEAM_A, type Harness } from './harness.js';
import type { Actor } from './slackRequests.js';

/**
 * Logs a visit from a card just made: Log visit on the card shown after saving it, `fields`, Save; throws when refused.
 */
export async function logVisitOn(
  h: Harness,
  actor: Actor,
  created: CreatedCard,
  fields: Record<string, unknown>,
): Promise<void> {
  const { view } = await h.openModal(actor, findButton(created.shown.args.blocks, ACTION.logVisit));
  const res = await h.submitView(actor, view, fields);
  if (res.body !== '') throw new Error(`visit refused: ${res.body}`);
}

/** A card of `actor`'s with one visit logged today, saying `fields`. */
export async function cardWithVisit(
  h: Harness,
  actor: Actor,
  name: string,
  fields: Record<string, unknown>,
): Promise<CreatedCard> {
  const created = await createCard(h, actor, { name });
  await logVisitOn(h, actor, created, fields);
  return created;
}

/** A card with one logged visit whose follow-up falls on `dueDate`. */
export function cardWithFollowUp(
  h: Harness,
  name: string,
  dueDate: string,
  plan: string,
  actor: Actor = TEAM_A,
): Promise<CreatedCard> {
  return cardWithVisit(h, actor, name, { notes: '初访', nextFollowUpDate: dueDate, nextFollowUpPlan: plan });
}

/** A card for each of `names` whose follow-up falls on `dueDate`, with the plan `<name>的计划`; resolves with `names`. */
export async function cardsWithFollowUps(h: Harness, names: string[], dueDate: string): Promise<string[]> {
  for (const name of names) await cardWithFollowUp(h, name, dueDate, `${name}的计划`);
  return names;
}

/** A reminder as posted, on its own or as a digest's reply: the message that carries its buttons. */
export const isReminder = (c: RecordedCall) => JSON.stringify(c.args.blocks).includes(ACTION.snoozeDay);
