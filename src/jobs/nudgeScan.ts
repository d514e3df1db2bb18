import type { Logger } from '@slack/bolt';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import { isSlackUserId } from '../domain/slackIds.js';
import { messagesFor, type Messages } from '../i18n/index.js';
import { isAboutCustomer, type CustomerNudgeRecord } from '../models/nudge.js';
import { KIND_TRAITS, type Kinds } from '../nudgeKinds/index.js';
import type { KindRules, PersonKindRules, PostingScope } from '../nudgeKinds/kind.js';
import type { CustomerService } from '../services/customers.js';
import type { CardEvents } from '../services/cardEvents.js';
import type { Claimed, NudgeService } from '../services/nudges.js';
import type { TeamSettings, TeamSettingsService } from '../services/teamSettings.js';
import type { UserLocaleService } from '../services/userLocale.js';
import { todayIn, type CalendarDate } from '../time.js';
import { createDelivery, type Delivered, type MessagePoster, type Posting, type Settle } from './nudgeDelivery.js';

export const NUDGE_SCAN_JOB = 'nudges.scan';

export interface ScanDeps {
  writes: GuardedWrites;
  settings: TeamSettingsService;
  customers: CustomerService;
  nudges: NudgeService;
  kinds: Kinds;
  /** What services announced that was left pending by an instance that stopped: handled by the scan. */
  events: CardEvents;
  now: () => Date;
  poster: MessagePoster;
  logger: Logger;
  /**
   * False for a workspace that uninstalled the app: its nudges wait, unposted, until it reinstalls or its data is
   * deleted.
   */
  isServed?: (teamId: string) => Promise<boolean>;
  /** Republishes App Home for those who opened it (see homePublisher.ts); never rejects. */
  refreshHome?: (teamId: string, userIds: string[]) => Promise<void>;
  /** More nudges than this due for the team's channel in one scan go out as one digest. */
  digestAbove: number;
  /** Each person's own language, for what is posted to their DM. */
  userLocales: UserLocaleService;
  /** Waits between tries to record an outcome while the database is away (see nudgeDelivery.ts). */
  sleep?: (ms: number) => Promise<void>;
}

export interface ScanReport {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * The language a message to `destination` is in: a person's DM in theirs, the team's channel (or any channel) in the
 * team's.
 */
async function messagesTo(
  deps: ScanDeps,
  { settings }: PostingScope,
  destination: string,
  team: Messages,
): Promise<Messages> {
  if (destination === settings.nudgeChannel || !isSlackUserId(destination)) return team;
  const locale = await deps.userLocales.localeOf(settings.teamId, destination);
  return locale ? messagesFor(locale) : team;
}

/**
 * Where a nudge may go: the team's nudge channel, or a person's DM. A card whose owner is anything else was written
 * before owners were checked.
 */
const isDeliverable = (destination: string, { settings }: PostingScope) =>
  destination === settings.nudgeChannel || isSlackUserId(destination);

/** A claimed nudge whose kind schedules what follows it before it is posted, with what its kind loaded. */
interface Ahead {
  rules: KindRules<unknown>;
  nudge: CustomerNudgeRecord;
  context: unknown;
}

/**
 * Null when its cause no longer holds; a later day when another contact nudge of the customer goes out today. A
 * person's kind renders from what it loaded; the others, with their customer.
 */
async function prepare(
  deps: ScanDeps,
  { nudge, lapsedClaimFrom }: Claimed,
  scope: PostingScope,
  team: Messages,
): Promise<(Posting & { ahead?: Ahead }) | { later: CalendarDate } | null> {
  const lapsed = lapsedClaimFrom ? { lapsedClaimFrom } : {};
  const registered = deps.kinds.rules[nudge.kind];
  // A kind no release knows any more (a nudge written by a newer release, rolled back): it waits, never posted wrongly.
  if (!registered)
    return { nudge, destination: nudge.ownerId, render: () => null, undeliverable: 'unknown_kind', ...lapsed };
  if (registered.about === 'person') {
    const kind = registered.rules as PersonKindRules<unknown>;
    const context = await kind.load(nudge, scope);
    if (context === null) return null;
    const destination = kind.destination(nudge, scope, context);
    const t = await messagesTo(deps, scope, destination, team);
    return { nudge, destination, render: (version) => kind.render(t, { ...nudge, version }, context), ...lapsed };
  }
  if (!isAboutCustomer(nudge)) return { nudge, destination: nudge.ownerId, render: () => null, ...lapsed };
  const kind = registered.rules as KindRules<unknown>;
  const aboutCustomer = nudge;
  // The card, whether its cause holds and whether it gives way today, read at once: one round trip, not three, and
  // the card read once for the pipeline and the kind alike.
  const card = deps.customers.findCustomer(nudge.teamId, aboutCustomer.customerId.toString());
  const [customer, context, later] = await Promise.all([
    card,
    kind.load(aboutCustomer, scope, card),
    kind.deferTo?.(aboutCustomer, scope),
  ]);
  if (context === null) return null;
  if (later) return { later };
  const destination = kind.destination(aboutCustomer, scope, context);
  const t = await messagesTo(deps, scope, destination, team);
  if (!isDeliverable(destination, scope))
    return { nudge, destination, render: () => null, undeliverable: 'invalid_destination', ...lapsed };
  return {
    nudge,
    destination,
    render: (version) => customer && kind.render(t, customer, { ...aboutCustomer, version }, context),
    afterPosted: async () => kind.afterPosted?.(aboutCustomer, scope, context),
    ...(kind.scheduleAhead ? { ahead: { rules: kind, nudge: aboutCustomer, context } } : {}),
    ...lapsed,
  };
}

/**
 * Claims one batch of the team's nudges due now and readies each; those
 * whose cause is gone are closed, those giving way to another today
 * deferred; what follows those to be posted is scheduled ahead, a kind's
 * batch at once. `claimedAny` false: every one went to other instances,
 * which have the rest.
 */
async function claimBatch(
  deps: ScanDeps,
  settings: TeamSettings,
  t: Messages,
  settle: Settle,
): Promise<{ postings: Posting[]; claimedAny: boolean }> {
  const scope = { settings, today: todayIn(deps.now(), settings.timezone) };
  const postings: Posting[] = [];
  const ahead = new Map<KindRules<unknown>, Ahead[]>();
  let claimedAny = false;
  for (const candidate of await deps.nudges.findDue(settings.teamId)) {
    const claimed = await deps.nudges.claim(candidate);
    if (!claimed) continue;
    claimedAny = true;
    const { nudge } = claimed;
    const posting = await prepare(deps, claimed, scope, t);
    if (posting === null) settle(nudge, (await deps.nudges.cancel(nudge)) ? 'cancelled' : null);
    else if ('later' in posting) settle(nudge, (await deps.nudges.defer(nudge, posting.later)) ? 'deferred' : null);
    else {
      postings.push(posting);
      if (posting.ahead) {
        const ofKind = ahead.get(posting.ahead.rules) ?? [];
        ahead.set(posting.ahead.rules, ofKind);
        ofKind.push(posting.ahead);
      }
    }
  }
  for (const [rules, claimed] of ahead) await rules.scheduleAhead!(claimed, scope);
  return { postings, claimedAny };
}

function count(report: ScanReport, status: Delivered): void {
  if (status === 'sent') report.sent += 1;
  else if (status === 'failed') report.failed += 1;
  else if (status === 'pending' || status === 'sending') report.retrying += 1;
}

/**
 * Posts every due nudge of every kind, team by team, a batch at a time. Each
 * nudge is claimed atomically first, so scans running on several instances
 * at once never post the same nudge twice. Costs O(nudges due), never O(cards).
 */
export function createNudgeScan(deps: ScanDeps) {
  return async function scanNudges(): Promise<ScanReport> {
    const report: ScanReport = { sent: 0, retrying: 0, failed: 0 };
    for (const teamId of await deps.settings.teamIds()) {
      if (deps.isServed && !(await deps.isServed(teamId))) continue;
      // Read past the cache: a reminder must not be posted, or dropped, by rules an admin changed on another instance
      // seconds ago.
      const settings = await deps.settings.settingsFor(teamId, { fresh: true });
      const t = messagesFor(settings.locale);
      await deps.writes.tidyIntents(teamId);
      await deps.events.handleLeftOver(teamId);
      // Whoever was just reminded sees the same day on their Home: a scan posts when a new day's reminders fall due.
      const reminded = new Set<string>();
      const settle: Settle = (nudge, status) => {
        if (status === 'sent') reminded.add(nudge.ownerId);
        count(report, status);
      };
      const delivery = createDelivery(deps, teamId, settle);
      for (;;) {
        const { postings, claimedAny } = await claimBatch(deps, settings, t, settle);
        if (!claimedAny) break;
        // Only the team's channel gets digests, of the kinds that join them: a person's DMs already come one per
        // reminder, and the wrap-up sums up their day.
        const toChannel = postings.filter(
          (p) => p.destination === settings.nudgeChannel && KIND_TRAITS[p.nudge.kind]?.digest,
        );
        for (const posting of postings) if (!toChannel.includes(posting)) await delivery.deliver(posting);
        await delivery.deliverToChannel(t, toChannel);
        // Slack asked the channel to wait: what is still due waits for a later scan rather than being claimed only to
        // be put back.
        if (settings.nudgeChannel && delivery.isHeldOff(settings.nudgeChannel)) break;
      }
      await deps.refreshHome?.(teamId, [...reminded]);
    }
    return report;
  };
}
