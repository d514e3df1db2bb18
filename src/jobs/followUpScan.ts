import type { Logger } from '@slack/bolt';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import { messagesFor } from '../i18n/index.js';
import type { FollowUpRecord } from '../models/followUp.js';
import type { CustomerService } from '../services/customers.js';
import { postedVersion, type FollowUpService } from '../services/followUps.js';
import type { TeamSettings, TeamSettingsService } from '../services/teamSettings.js';
import type { MessagePoster } from '../slack/messagePoster.js';
import { renderNudge } from '../views/nudge.js';

export const FOLLOW_UP_SCAN_JOB = 'followups.scan';

export interface ScanDeps {
  writes: GuardedWrites;
  settings: TeamSettingsService;
  customers: CustomerService;
  followUps: FollowUpService;
  poster: MessagePoster;
  logger: Logger;
}

export interface ScanReport {
  sent: number;
  retrying: number;
  failed: number;
}

async function deliver(deps: ScanDeps, settings: TeamSettings, followUp: FollowUpRecord): Promise<FollowUpRecord['status'] | null> {
  const customer = await deps.customers.findCustomer(followUp.teamId, followUp.customerId.toString());
  const t = messagesFor(settings.locale);
  const channel = settings.nudgeChannel ?? followUp.ownerId;
  const outcome = customer
    ? await deps.poster.post(channel, renderNudge(t, customer, { ...followUp, version: postedVersion(followUp) }))
    : ({ ok: false, error: 'customer_missing' } as const);
  const status = await deps.followUps.recordDelivery(followUp, outcome);
  if (status === null) {
    deps.logger.warn(`follow-up ${followUp._id} (team ${followUp.teamId}) changed while it was being posted; the change stands`);
  } else if (!outcome.ok) {
    deps.logger.warn(
      `follow-up ${followUp._id} (team ${followUp.teamId}) not posted to ${channel}: ${outcome.error}; attempt ${followUp.attempts}, now ${status}`,
    );
  }
  return status;
}

function count(report: ScanReport, status: FollowUpRecord['status'] | null): void {
  if (status === null) return;
  if (status === 'sent') report.sent += 1;
  else if (status === 'failed') report.failed += 1;
  else report.retrying += 1;
}

/**
 * Posts every due follow-up nudge, team by team. Each nudge is claimed
 * atomically first, so scans running on several instances at once never
 * post the same nudge twice.
 */
export function createFollowUpScan(deps: ScanDeps) {
  return async function scanFollowUps(): Promise<ScanReport> {
    const report: ScanReport = { sent: 0, retrying: 0, failed: 0 };
    for (const teamId of await deps.settings.teamIds()) {
      const settings = await deps.settings.settingsFor(teamId);
      await deps.writes.tidyIntents(teamId);
      // A batch in which every nudge went to other instances ends this team's turn: they have the rest.
      for (let claimedAny = true; claimedAny; ) {
        claimedAny = false;
        for (const candidate of await deps.followUps.findDueFollowUps(teamId)) {
          const followUp = await deps.followUps.claimFollowUp(candidate);
          if (!followUp) continue;
          claimedAny = true;
          count(report, await deliver(deps, settings, followUp));
        }
      }
    }
    return report;
  };
}
