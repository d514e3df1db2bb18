import type { Messages } from '../i18n/index.js';
import { isSlackUserId } from '../domain/slackIds.js';

/** Who leaves and who takes over, as read from Home's handover modal. */
export interface HandoverInput {
  fromId: string;
  toId: string;
}

/** Two different people, or an inline error on each field that is wrong. */
export function parseHandoverInput(
  t: Messages,
  values: Record<string, unknown>,
): { ok: true; input: HandoverInput } | { ok: false; errors: Record<string, string> } {
  const picked = (key: string) => {
    const value = values[key];
    return isSlackUserId(value) ? value : undefined;
  };
  const fromId = picked('from');
  const toId = picked('to');
  if (!fromId || !toId) {
    return {
      ok: false,
      errors: { ...(fromId ? {} : { from: t.handover.pickPerson }), ...(toId ? {} : { to: t.handover.pickPerson }) },
    };
  }
  if (fromId === toId) return { ok: false, errors: { to: t.handover.samePerson } };
  return { ok: true, input: { fromId, toId } };
}
