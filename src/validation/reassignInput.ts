import { domain } from '../config/domain.js';
import { isSlackUserId } from '../domain/slackIds.js';
import type { Messages } from '../i18n/index.js';

/** Whom the card goes to, and why, as read from the Reassign modal. */
export interface ReassignInput {
  to: string;
  reason: string;
}

/** The submitted fields, or the inline error of the first one that is wrong. */
export function parseReassignInput(
  t: Messages,
  values: Record<string, unknown>,
): { ok: true; input: ReassignInput } | { ok: false; errors: Record<string, string> } {
  const to = typeof values.to === 'string' ? values.to : '';
  const reason = typeof values.reason === 'string' ? values.reason.trim() : '';
  if (!isSlackUserId(to)) return { ok: false, errors: { to: t.errors.malformed } };
  if (reason === '') return { ok: false, errors: { reason: t.handover.reasonRequired } };
  const max = domain.handover.reasonMaxLength;
  if ([...reason].length > max) return { ok: false, errors: { reason: t.handover.reasonTooLong(max) } };
  return { ok: true, input: { to, reason } };
}
