import { domain } from '../config/domain.js';

/** `KH-2026-0001`: team-unique, restarting every year (年度归档). */
export function formatCardNumber(year: number, sequence: number): string {
  const { numberPrefix, numberDigits } = domain.card;
  return `${numberPrefix}-${year}-${String(sequence).padStart(numberDigits, '0')}`;
}
