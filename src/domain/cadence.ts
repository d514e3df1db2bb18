import { segmentOf, type SegmentFacts, type Tier } from './segments.js';

/** What the cadence rule reads of a card. */
export interface CadenceFacts extends SegmentFacts {
  tier?: Tier;
  ambassador?: boolean;
}

/** Which of the team's contact intervals applies to a card (the cadence kind's settings, `cadenceDays.<class>`). */
export type CadenceClass = 'top' | 'large' | 'medium' | 'small' | 'inactive' | 'potential';

/**
 * The card's cadence class: its tier when current (小's until the job ranks a
 * first sale), else its segment. 疑虑 has no relationship to keep up and an
 * ambassador has its own monthly cadence, so neither has one.
 */
export function cadenceClassOf(card: CadenceFacts): CadenceClass | null {
  if (card.ambassador) return null;
  const segment = segmentOf(card);
  if (segment === 'doubtful') return null;
  if (segment === 'current') return card.tier ?? 'small';
  return segment;
}

/** Days from the last contact to the next contact nudge, or null when the card has no cadence. */
export function intervalFor(card: CadenceFacts, days: Record<CadenceClass, number>): number | null {
  const cls = cadenceClassOf(card);
  return cls ? days[cls] : null;
}
