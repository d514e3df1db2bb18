import type { Logger } from '@slack/bolt';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import { messagesFor } from '../i18n/index.js';
import type { NudgeRecord } from '../models/nudge.js';
import type { NudgeKinds } from '../nudgeKinds/index.js';
import type { CustomerService } from '../services/customers.js';
import { postedVersion, type DeliveryOutcome, type NudgeService } from '../services/nudges.js';
import type { TeamSettings, TeamSettingsService } from '../services/teamSettings.js';
import type { MessagePoster } from '../slack/messagePoster.js';
import { todayIn } from '../time.js';

export const NUDGE_SCAN_JOB = 'nudges.scan';

export interface ScanDeps {
  writes: GuardedWrites;
  settings: TeamSettingsService;
  customers: CustomerService;
  nudges: NudgeService;
  kinds: NudgeKinds;
  now: () => Date;
  poster: MessagePoster;
  logger: Logger;
  /** Republishes App Home for those who opened it (see homePublisher.ts); never rejects. */
  refreshHome?: (teamId: string, userIds: string[]) => Promise<void>;
}

export interface ScanReport {
  sent: number;
  retrying: number;
  failed: number;
}

type Delivered = NudgeRecord['status'] | 'cancelled' | null;

async function deliver(deps: ScanDeps, settings: TeamSettings, nudge: NudgeRecord): Promise<Delivered> {
  const kind = deps.kinds[nudge.kind];
  const scope = { settings, today: todayIn(deps.now(), settings.timezone) };
  const context = await kind.load(nudge, scope);
  if (context === null) return (await deps.nudges.cancel(nudge)) ? 'cancelled' : null;
  const customer = await deps.customers.findCustomer(nudge.teamId, nudge.customerId.toString());
  const destination = kind.destination(nudge, scope, context);
  const outcome: DeliveryOutcome = customer
    ? await deps.poster.post(destination, kind.render(messagesFor(settings.locale), customer, { ...nudge, version: postedVersion(nudge) }, context))
    : { ok: false, error: 'customer_missing' };
  const status = await deps.nudges.recordDelivery(nudge, outcome);
  if (status === 'sent') await kind.afterPosted?.(nudge, scope, context);
  const what = `${nudge.kind} nudge ${nudge._id.toString()} (team ${nudge.teamId})`;
  if (status === null) deps.logger.warn(`${what} changed while it was being posted; the change stands`);
  else if (!outcome.ok) deps.logger.warn(`${what} not posted to ${destination}: ${outcome.error}; attempt ${nudge.attempts}, now ${status}`);
  return status;
}

function count(report: ScanReport, status: Delivered): void {
  if (status === 'sent') report.sent += 1;
  else if (status === 'failed') report.failed += 1;
  else if (status === 'pending' || status === 'sending') report.retrying += 1;
}

/**
 * Posts every due nudge of every kind, team by team. Each nudge is claimed
 * atomically first, so scans running on several instances at once never
 * post the same nudge twice. Costs O(nudges due), never O(cards).
 */
export function createNudgeScan(deps: ScanDeps) {
  return async function scanNudges(): Promise<ScanReport> {
    const report: ScanReport = { sent: 0, retrying: 0, failed: 0 };
    for (const teamId of await deps.settings.teamIds()) {
      const settings = await deps.settings.settingsFor(teamId);
      await deps.writes.tidyIntents(teamId);
      // Whoever was just reminded sees the same day on their Home: a scan posts when a new day's reminders fall due.
      const reminded = new Set<string>();
      // A batch in which every nudge went to other instances ends this team's turn: they have the rest.
      for (let claimedAny = true; claimedAny; ) {
        claimedAny = false;
        for (const candidate of await deps.nudges.findDue(teamId)) {
          const nudge = await deps.nudges.claim(candidate);
          if (!nudge) continue;
          claimedAny = true;
          const status = await deliver(deps, settings, nudge);
          if (status === 'sent') reminded.add(nudge.ownerId);
          count(report, status);
        }
      }
      await deps.refreshHome?.(teamId, [...reminded]);
    }
    return report;
  };
}
