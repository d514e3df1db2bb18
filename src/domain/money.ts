/** Money is held as integer fen; yuan strings are parsed without ever passing through a float. */

import { domain } from '../config/domain.js';

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

export type AmountRefusal = 'format' | 'tooManyDecimals' | 'notPositive' | 'tooLarge';
export type ParsedAmount = { ok: true; fen: number } | { ok: false; reason: AmountRefusal };

/**
 * An optional ¥, a number (plain digits or grouped by commas in threes), an
 * optional decimal part, an optional 万 (ten thousand) and an optional 元.
 * Inputs reach it NFKC-normalised (full-width digits, ￥ and ， become ASCII)
 * and without whitespace.
 */
const AMOUNT_PATTERN = /^¥?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(万)?元?$/;
/** Decimal digits that make one fen: yuan have two, 万 six. */
const FEN_DECIMALS = { yuan: 2, wan: 6 } as const;

/**
 * A sale, payment or return amount as people type it. Decimals are counted as
 * typed, so `12.800` is refused rather than read as either 12.80 or 12,800.
 */
export function parseAmount(input: string): ParsedAmount {
  const match = AMOUNT_PATTERN.exec(input.normalize('NFKC').replace(/\s/g, ''));
  if (!match) return { ok: false, reason: 'format' };
  const [, grouped = '', fraction = '', wan] = match;
  const scale = wan ? FEN_DECIMALS.wan : FEN_DECIMALS.yuan;
  if (fraction.length > scale) return { ok: false, reason: 'tooManyDecimals' };
  const digits = (grouped.replaceAll(',', '') + fraction.padEnd(scale, '0')).replace(/^0+/, '');
  // Past maxFen's digit count it is too large; within it, Number() of a digit string is exact.
  if (digits.length > String(domain.money.maxFen).length) return { ok: false, reason: 'tooLarge' };
  const fen = Number(digits || '0');
  if (fen === 0) return { ok: false, reason: 'notPositive' };
  if (fen > domain.money.maxFen) return { ok: false, reason: 'tooLarge' };
  return { ok: true, fen };
}

/** Yuan with exactly two decimals and no grouping (`-1234.50`), for files: from the integer, never through a float. */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
