/** Money is held as integer fen; yuan strings are parsed without ever passing through a float. */

const YUAN_PATTERN = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

export function parseYuanToFen(input: string): number | undefined {
  const match = YUAN_PATTERN.exec(input.replace(/[,，\s]/g, ''));
  if (!match) return undefined;
  const [, whole = '0', fraction = ''] = match;
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function formatFen(fen: number): string {
  const yuan = Math.trunc(fen / 100).toLocaleString('en-US');
  const cents = String(Math.abs(fen % 100)).padStart(2, '0');
  return `¥${yuan}.${cents}`;
}

/** The yuan amount as a user would type it back into the edit modal. */
export function fenToYuanInput(fen: number): string {
  const cents = fen % 100;
  return cents === 0 ? String(fen / 100) : `${Math.trunc(fen / 100)}.${String(cents).padStart(2, '0')}`;
}
