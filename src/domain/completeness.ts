import { domain } from '../config/domain.js';

type Weights = Readonly<Record<string, number>>;

export interface Completeness {
  percent: number;
  /** Missing fields, most useful first. */
  missing: string[];
}

function isFilled(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  return true;
}

/** 资料完整度: the weighted share of the useful fields that are filled in. */
export function completeness(
  card: Readonly<Record<string, unknown>>,
  weights: Weights = domain.completenessWeights,
): Completeness {
  const entries = Object.entries(weights);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  const filled = entries.filter(([key]) => isFilled(card[key])).reduce((sum, [, w]) => sum + w, 0);
  const missing = entries
    .filter(([key]) => !isFilled(card[key]))
    .sort(([, a], [, b]) => b - a)
    .map(([key]) => key);
  return { percent: total === 0 ? 100 : Math.round((filled / total) * 100), missing };
}
