import { createHash } from 'node:crypto';

interface SubmittedView {
  id?: unknown;
  hash?: unknown;
  state?: unknown;
}

/**
 * Names one submission: the same view (id and hash) with the same values.
 * A replayed delivery or a double-clicked Save has the same key; fixing a
 * field after an inline error changes the values and so the key.
 */
export function submissionKey(teamId: string, view: SubmittedView): string {
  const values = createHash('sha256')
    .update(JSON.stringify((view.state as { values?: unknown } | null)?.values ?? null))
    .digest('hex');
  return `${teamId}:view:${String(view.id)}:${String(view.hash)}:${values}`;
}
