import { Types } from 'mongoose';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import type { AmbassadorService } from '../services/ambassadors.js';
import type { NudgeService } from '../services/nudges.js';
import type { PoolService } from '../services/pool.js';
import type { ReferralService } from '../services/referrals.js';
import type { TeamSettingsService } from '../services/teamSettings.js';
import type { WrapUpService } from '../services/wrapUps.js';

/** What a kind's rules may use: the app's services, never Slack. */
export interface KindDeps {
  models: Models;
  now: () => Date;
  nudges: NudgeService;
  settings: TeamSettingsService;
  referrals: ReferralService;
  ambassadors: AmbassadorService;
  pool: PoolService;
  wrapUps: WrapUpService;
  /** Starts a job a kind owns (KindRules.jobs) for a team: on this instance at once, on another if this one stops. */
  queue(job: string, data: { teamId: string }): Promise<void>;
}

/** Who scheduled what the app scheduled by itself. */
export const SYSTEM_USER = 'system';

/** The owners of the cards some sales belong to, by card id (a card in the pool has none). */
export async function ownersOf(
  models: Models,
  teamId: string,
  sales: { customerId: Types.ObjectId }[],
): Promise<Map<string, string>> {
  const cards = await models.customers
    .find({ teamId, _id: { $in: [...new Set(sales.map((s) => s.customerId))] } }, { ownerId: 1 })
    .lean();
  return new Map(cards.flatMap((c) => (c.ownerId ? [[c._id.toString(), c.ownerId] as const] : [])));
}

/**
 * A customer nudge's card, as the pipeline is reading it for the message, and the card's last logged contact beside
 * it: what a contact reminder shows, without a read or a round trip more.
 */
export function cardAndLastVisit(
  models: Models,
  { teamId, customerId }: { teamId: string; customerId: Types.ObjectId },
  reading: Promise<CustomerRecord | null>,
) {
  return Promise.all([
    reading,
    models.visits.findOne({ teamId, customerId }, { notes: 1, needs: 1 }).sort({ date: -1, createdAt: -1 }).lean(),
  ]);
}

/** The cards an `imported` event names, as a query filter (each kind adds what it cares about). */
export const importedCards = ({ teamId, customerIds }: { teamId: string; customerIds: readonly string[] }) => ({
  teamId,
  _id: { $in: customerIds.map((id) => new Types.ObjectId(id)) },
});
