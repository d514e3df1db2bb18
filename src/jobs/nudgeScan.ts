import type { Logger } from '@slack/bolt';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import { isSlackUserId } from '../domain/slackIds.js';
import { messagesFor, type Messages } from '../i18n/index.js';
import { isAboutCustomer, type NudgeRecord } from '../models/nudge.js';
import type { NudgeKinds } from '../nudgeKinds/index.js';
import type { PostingScope } from '../nudgeKinds/kind.js';
import type { CustomerService } from '../services/customers.js';
import { postedVersion, type DeliveryOutcome, type NudgeService } from '../services/nudges.js';
import type { TeamSettings, TeamSettingsService } from '../services/teamSettings.js';
import type { UserLocaleService } from '../services/userLocale.js';
import type { MessagePoster } from '../slack/messagePoster.js';
import { todayIn, type CalendarDate } from '../time.js';
import { renderDigest } from '../views/digest.js';
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
  /** More nudges than this due for the team's channel in one scan go out as one digest. */
  digestAbove: number;
  /** Each person's own language, for what is posted to their DM. */
  userLocales: UserLocaleService;
}

export interface ScanReport {
  sent: number;
  retrying: number;
  failed: number;
}

type Delivered = NudgeRecord['status'] | 'cancelled' | 'deferred' | null;


/** A claimed nudge ready to post, and where. */
interface Posting {
  nudge: NudgeRecord;
  destination: string;
  /** Its message, whose buttons answer `version`; null when the customer it is about is gone. */
  render(version: number): SlackMessage | null;
  afterPosted?: () => Promise<void>;
}

/** Called once per claimed nudge with what became of it. */
type Settle = (nudge: NudgeRecord, status: Delivered) => void;

/** The language a message to `destination` is in: a person's DM in theirs, the team's channel (or any channel) in the team's. */
async function messagesTo(deps: ScanDeps, { settings }: PostingScope, destination: string, team: Messages): Promise<Messages> {
  if (destination === settings.nudgeChannel || !isSlackUserId(destination)) return team;
  const locale = await deps.userLocales.localeOf(settings.teamId, destination);
  return locale ? messagesFor(locale) : team;
}

/** Null when its cause no longer holds; a later day when another contact nudge of the customer goes out today. A person's kind renders from what it loaded; the others, with their customer. */
async function prepare(deps: ScanDeps, nudge: NudgeRecord, scope: PostingScope, team: Messages): Promise<Posting | { later: CalendarDate } | null> {
  const kind = deps.kinds[nudge.kind];
  if (kind.about === 'person') {
    const context = await kind.load(nudge, scope);
    if (context === null) return null;
    const destination = kind.destination(nudge, scope, context);
    const t = await messagesTo(deps, scope, destination, team);
    return { nudge, destination, render: (version) => kind.render(t, { ...nudge, version }, context) };
  }
  if (!isAboutCustomer(nudge)) return { nudge, destination: nudge.ownerId, render: () => null };
  const aboutCustomer = nudge;
  const context = await kind.load(aboutCustomer, scope);
  if (context === null) return null;
  const later = await kind.deferTo?.(aboutCustomer, scope);
  if (later) return { later };
  const customer = await deps.customers.findCustomer(nudge.teamId, aboutCustomer.customerId.toString());
  const destination = kind.destination(aboutCustomer, scope, context);
  const t = await messagesTo(deps, scope, destination, team);
  return {
    nudge,
    destination,
    render: (version) => customer && kind.render(t, customer, { ...aboutCustomer, version }, context),
    afterPosted: async () => kind.afterPosted?.(aboutCustomer, scope, context),
  };
}

/**
 * Claims every nudge of the team due now and readies it; those whose cause
 * is gone are closed, those giving way to another today deferred. A batch in
 * which every nudge went to other instances ends the claiming: they have the rest.
 */
async function claimDue(deps: ScanDeps, settings: TeamSettings, t: Messages, settle: Settle): Promise<Posting[]> {
  const scope = { settings, today: todayIn(deps.now(), settings.timezone) };
  const postings: Posting[] = [];
  for (let claimedAny = true; claimedAny; ) {
    claimedAny = false;
    for (const candidate of await deps.nudges.findDue(settings.teamId)) {
      const nudge = await deps.nudges.claim(candidate);
      if (!nudge) continue;
      claimedAny = true;
      const posting = await prepare(deps, nudge, scope, t);
      if (posting === null) settle(nudge, (await deps.nudges.cancel(nudge)) ? 'cancelled' : null);
      else if ('later' in posting) settle(nudge, (await deps.nudges.defer(nudge, posting.later)) ? 'deferred' : null);
      else postings.push(posting);
    }
  }
  return postings;
}

/** Records Slack's answer for one claimed nudge, and what follows it once sent. */
async function record(deps: ScanDeps, nudge: NudgeRecord, posting: Posting, outcome: DeliveryOutcome): Promise<Delivered> {
  const status = await deps.nudges.recordDelivery(nudge, outcome);
  if (status === 'sent') await posting.afterPosted?.();
  const what = `${nudge.kind} nudge ${nudge._id.toString()} (team ${nudge.teamId})`;
  if (status === null) deps.logger.warn(`${what} changed while it was being posted; the change stands`);
  else if (!outcome.ok) deps.logger.warn(`${what} not posted to ${posting.destination}: ${outcome.error}; attempt ${nudge.attempts}, now ${status}`);
  return status;
}

/** Posts one claimed nudge, on its own or as a reply in a digest's thread. */
async function deliver(deps: ScanDeps, posting: Posting, threadTs?: string): Promise<Delivered> {
  const nudge = await deps.nudges.keepClaim(posting.nudge);
  if (!nudge) {
    deps.logger.warn(`${posting.nudge.kind} nudge ${posting.nudge._id.toString()} (team ${posting.nudge.teamId}) changed before it was posted; the change stands`);
    return null;
  }
  const message = posting.render(postedVersion(nudge));
  const outcome: DeliveryOutcome = message ? await deps.poster.post(nudge.teamId, posting.destination, message, threadTs) : { ok: false, error: 'customer_missing' };
  return record(deps, nudge, posting, outcome);
}

/**
 * More than `digestAbove` nudges for the team's channel go out as one digest
 * listing them, each posted in full (buttons and all) as a reply in its
 * thread, so every reply is answered as a nudge on its own is. When Slack
 * refuses the digest, each of its nudges records that refusal and is retried.
 */
async function deliverToChannel(deps: ScanDeps, t: Messages, postings: Posting[], settle: Settle): Promise<void> {
  const listed = postings.flatMap((posting) => {
    const message = posting.render(postedVersion(posting.nudge));
    return message ? [{ posting, message }] : [];
  });
  if (listed.length <= deps.digestAbove) {
    for (const posting of postings) settle(posting.nudge, await deliver(deps, posting));
    return;
  }
  for (const posting of postings) if (!listed.some((l) => l.posting === posting)) settle(posting.nudge, await deliver(deps, posting));
  const digest = await deps.poster.post(listed[0]!.posting.nudge.teamId, listed[0]!.posting.destination, renderDigest(t, listed.map((l) => l.message)));
  for (const { posting } of listed) {
    settle(posting.nudge, digest.ok ? await deliver(deps, posting, digest.ts) : await record(deps, posting.nudge, posting, digest));
  }
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
      // Read past the cache: a reminder must not be posted, or dropped, by rules an admin changed on another instance seconds ago.
      const settings = await deps.settings.settingsFor(teamId, { fresh: true });
      const t = messagesFor(settings.locale);
      await deps.writes.tidyIntents(teamId);
      // Whoever was just reminded sees the same day on their Home: a scan posts when a new day's reminders fall due.
      const reminded = new Set<string>();
      const settle: Settle = (nudge, status) => {
        if (status === 'sent') reminded.add(nudge.ownerId);
        count(report, status);
      };
      const postings = await claimDue(deps, settings, t, settle);
      // Only the team's channel gets digests: a person's DMs already come one per reminder, and the wrap-up sums up their day.
      const toChannel = postings.filter((p) => p.destination === settings.nudgeChannel);
      for (const posting of postings) if (!toChannel.includes(posting)) settle(posting.nudge, await deliver(deps, posting));
      await deliverToChannel(deps, t, toChannel, settle);
      await deps.refreshHome?.(teamId, [...reminded]);
    }
    return report;
  };
}
