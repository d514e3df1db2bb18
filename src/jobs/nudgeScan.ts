import type { Logger } from '@slack/bolt';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import { messagesFor, type Messages } from '../i18n/index.js';
import { isAboutCustomer, type NudgeRecord } from '../models/nudge.js';
import type { NudgeKinds } from '../nudgeKinds/index.js';
import type { PostingScope } from '../nudgeKinds/kind.js';
import type { CustomerService } from '../services/customers.js';
import { postedVersion, type DeliveryOutcome, type NudgeService } from '../services/nudges.js';
import type { TeamSettings, TeamSettingsService } from '../services/teamSettings.js';
import type { MessagePoster } from '../slack/messagePoster.js';
import { todayIn, type CalendarDate } from '../time.js';
import type { SlackMessage } from '../views/message.js';

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
  /** False for a workspace that uninstalled the app: its nudges wait, unposted, until it reinstalls or its data is deleted. */
  isServed?: (teamId: string) => Promise<boolean>;
  /** Republishes App Home for those who opened it (see homePublisher.ts); never rejects. */
  refreshHome?: (teamId: string, userIds: string[]) => Promise<void>;
}

export interface ScanReport {
  sent: number;
  retrying: number;
  failed: number;
}

type Delivered = NudgeRecord['status'] | 'cancelled' | 'deferred' | null;

/** What a claimed nudge posts, and where; no message when the customer it is about is gone. */
interface Posting {
  destination: string;
  message: SlackMessage | null;
  afterPosted?: () => Promise<void>;
}

/** Null when its cause no longer holds; a later day when another contact nudge of the customer goes out today. A person's kind renders from what it loaded; the others, with their customer. */
async function prepare(deps: ScanDeps, nudge: NudgeRecord, scope: PostingScope, t: Messages): Promise<Posting | { later: CalendarDate } | null> {
  const kind = deps.kinds[nudge.kind];
  if (kind.about === 'person') {
    const context = await kind.load(nudge, scope);
    if (context === null) return null;
    return { destination: kind.destination(nudge, scope, context), message: kind.render(t, { ...nudge, version: postedVersion(nudge) }, context) };
  }
  if (!isAboutCustomer(nudge)) return { destination: nudge.ownerId, message: null };
  const context = await kind.load(nudge, scope);
  if (context === null) return null;
  const later = await kind.deferTo?.(nudge, scope);
  if (later) return { later };
  const customer = await deps.customers.findCustomer(nudge.teamId, nudge.customerId.toString());
  return {
    destination: kind.destination(nudge, scope, context),
    message: customer && kind.render(t, customer, { ...nudge, version: postedVersion(nudge) }, context),
    afterPosted: async () => kind.afterPosted?.(nudge, scope, context),
  };
}

async function deliver(deps: ScanDeps, settings: TeamSettings, nudge: NudgeRecord): Promise<Delivered> {
  const scope = { settings, today: todayIn(deps.now(), settings.timezone) };
  const posting = await prepare(deps, nudge, scope, messagesFor(settings.locale));
  if (posting === null) return (await deps.nudges.cancel(nudge)) ? 'cancelled' : null;
  if ('later' in posting) return (await deps.nudges.defer(nudge, posting.later)) ? 'deferred' : null;
  const { destination, message } = posting;
  const outcome: DeliveryOutcome = message ? await deps.poster.post(nudge.teamId, destination, message) : { ok: false, error: 'customer_missing' };
  const status = await deps.nudges.recordDelivery(nudge, outcome);
  if (status === 'sent') await posting.afterPosted?.();
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
      if (deps.isServed && !(await deps.isServed(teamId))) continue;
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
