import { intervalFor, type CadenceClass } from '../domain/cadence.js';
import type { CustomerRecord } from '../models/customer.js';
import { todayIn, type CalendarDate } from '../time.js';

/** What the cadence reads of a card to schedule its nudge. */
export type CadenceCard = Pick<
  CustomerRecord,
  | '_id'
  | 'teamId'
  | 'ownerId'
  | 'lastContactDate'
  | 'segment'
  | 'referrerId'
  | 'tier'
  | 'ambassador'
  | 'version'
  | 'createdAt'
  | 'pooledAt'
>;

export const CADENCE_FIELDS = {
  teamId: 1,
  ownerId: 1,
  lastContactDate: 1,
  segment: 1,
  // A referred card not yet segmented is a potential customer: it has a cadence (segmentOf).
  referrerId: 1,
  tier: 1,
  ambassador: 1,
  version: 1,
  createdAt: 1,
  pooledAt: 1,
} as const;

/** The card's contact interval; none while it is in the pool (公海): it has no owner to nudge. */
export const cadenceOf = (card: CadenceCard, days: Record<CadenceClass, number>): number | null =>
  card.pooledAt ? null : intervalFor(card, days);

/** A card never contacted counts from the day it was made, so old cards do not all fall due at once. */
export const lastContactIn = (
  card: Pick<CadenceCard, 'lastContactDate' | 'createdAt'>,
  timezone: string,
): CalendarDate => card.lastContactDate ?? todayIn(card.createdAt, timezone);
