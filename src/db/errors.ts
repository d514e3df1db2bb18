/** MongoDB's duplicate-key error, raised when a unique index refuses a write. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}
