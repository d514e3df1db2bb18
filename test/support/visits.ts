import { ACTION } from '../../src/views/ids.js';
import { createCard, type CreatedCard } from './flows.js';
import { findButton, TEAM_A, type Harness } from './harness.js';

/** A card with one logged visit whose follow-up falls on `dueDate`. */
export async function cardWithFollowUp(h: Harness, name: string, dueDate: string, plan: string): Promise<CreatedCard> {
  const created = await createCard(h, TEAM_A, { name });
  const { view } = await h.openModal(TEAM_A, findButton(created.shown.args.blocks, ACTION.logVisit));
  const res = await h.submitView(TEAM_A, view, { notes: '初访', nextFollowUpDate: dueDate, nextFollowUpPlan: plan });
  if (res.body !== '') throw new Error(`visit refused: ${res.body}`);
  return created;
}
