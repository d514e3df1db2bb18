/**
 * Hands out sequence numbers to try, distinct within this process: requests
 * racing in one instance each try their own number instead of all colliding
 * on the next one (which costs a round trip per loser per number, quadratic
 * in the crowd). A unique index stays the guarantee across instances; a
 * number whose insert failed for another reason is skipped, leaving a gap.
 */
export function createSequenceCandidates() {
  const next = new Map<string, number>();

  /** The number to try for `key`: the first not yet handed out here, and at least `atLeast`. */
  return function candidate(key: string, atLeast: number): number {
    const seq = Math.max(next.get(key) ?? 0, atLeast);
    next.set(key, seq + 1);
    return seq;
  };
}
