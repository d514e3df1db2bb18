import { randomBytes } from 'node:crypto';
import { renderHandoverPreview } from '../views/handover.js';
import type { SlackMessage } from '../views/message.js';
import type { ListenerDeps, TeamScope } from './deps.js';

/**
 * What would move from one person to another, with a Confirm naming a fresh
 * request id: `/card handover` answers with it, Home's modal DMs it. The
 * caller has checked the role; Confirm checks it again.
 */
export async function handoverPreview(
  deps: ListenerDeps,
  { teamId, t }: TeamScope,
  fromId: string,
  toId: string,
): Promise<SlackMessage> {
  const preview = await deps.handover.preview(teamId, fromId);
  return renderHandoverPreview(t, preview, { requestId: randomBytes(16).toString('hex'), fromId, toId });
}
