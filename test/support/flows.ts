import { ACTION } from '../../src/slack/ids.js';
import type { RecordedCall } from './fakeSlack.js';
import type { Harness } from './harness.js';
import type { Actor } from './slackRequests.js';

export interface CreatedCard {
  id: string;
  number: string;
  /** The card as shown after saving. */
  shown: RecordedCall;
}

/** Creates a card the way a user does: New card → fill the modal → Save. */
export async function createCard(h: Harness, actor: Actor, fields: Record<string, unknown>): Promise<CreatedCard> {
  const { view, responseUrl } = await h.openModal(actor, { action_id: ACTION.newCard, value: JSON.stringify({ name: fields.name }) });
  const res = await h.submitView(actor, view, fields);
  if (res.status !== 200 || res.body !== '') throw new Error(`create refused: ${res.status} ${res.body}`);
  const shown = await h.fake.waitForResponse(responseUrl);
  const edit = (shown.args.blocks as Record<string, any>[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTION.editCard);
  const number = /KH-\d{4}-\d{4,}/.exec(JSON.stringify(shown.args.blocks))?.[0] ?? '';
  return { id: edit.value, number, shown };
}
