import type { Logger } from '@slack/bolt';
import { domain } from '../config/domain.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { Messages } from '../i18n/index.js';
import type { NudgeRecord } from '../models/nudge.js';
import { postedVersion, type DeliveryOutcome, type NudgeService } from '../services/nudges.js';
import { renderDigest } from '../views/digest.js';
import type { SlackMessage } from '../views/message.js';

/** What a post carries so that it can be found again: the nudge it is, or the nudges a digest lists. */
export type PostTag = { nudge: string } | { digestOf: string[] };

/** Where Slack's history says a nudge went, looked for after a claim on it lapsed mid-post. */
export type PostedCheck =
  | { found: 'posted'; channel: string; ts: string }
  /** A digest listing it was posted, but not its reply: it belongs in that thread. */
  | { found: 'inDigest'; threadTs: string }
  | { found: 'nothing' }
  /** Slack could not say: `retry` when asking again later may tell, else it never will (no access to the history). */
  | { found: 'unknown'; error: string; retry: boolean };

/** The port to Slack the pipeline posts through (src/slack/messagePoster.ts is Slack's side of it). */
export interface MessagePoster {
  /** Posts as the bot of `teamId`'s workspace to `channel`, or as a reply in the thread of its message `threadTs`. */
  post(
    teamId: string,
    channel: string,
    message: SlackMessage,
    options: { tag: PostTag; threadTs?: string },
  ): Promise<DeliveryOutcome>;
  /** Whether nudge `nudgeId` was posted to `channel` (a channel, or a person's DM) since `since`. */
  findPosted(teamId: string, channel: string, nudgeId: string, since: Date): Promise<PostedCheck>;
  /** Replaces a message posted earlier (its buttons, once the nudge it shows was recorded at a newer version). */
  update(teamId: string, channel: string, ts: string, message: SlackMessage, tag: PostTag): Promise<DeliveryOutcome>;
}

/** A claimed nudge ready to post, and where. */
export interface Posting {
  nudge: NudgeRecord;
  destination: string;
  /** Its message, whose buttons answer `version`; null when it cannot be posted (the customer is gone). */
  render(version: number): SlackMessage | null;
  /** Why it cannot be posted, when render gives nothing: customer_missing unless said. */
  undeliverable?: string;
  afterPosted?: () => Promise<void>;
  /** An earlier claim on it lapsed mid-post from this instant: it may already be in Slack. */
  lapsedClaimFrom?: Date;
}

export type Delivered = NudgeRecord['status'] | 'cancelled' | 'deferred' | null;

/** Called once per claimed nudge with what became of it. */
export type Settle = (nudge: NudgeRecord, status: Delivered) => void;

export interface DeliveryDeps {
  nudges: NudgeService;
  poster: MessagePoster;
  now: () => Date;
  logger: Logger;
  /** More nudges than this due for the team's channel in one scan go out as digests. */
  digestAbove: number;
  /** Waits between tries to record an outcome while the database is away (real time; tests may shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const label = (nudge: NudgeRecord) => `${nudge.kind} nudge ${nudge._id.toString()} (team ${nudge.teamId})`;

/**
 * How one team's claimed nudges reach Slack in one scan, and how what Slack
 * answered is recorded. Three rules keep every nudge posted exactly once:
 * - an outcome is recorded for as long as the claim is ours, through a
 *   database that goes away meanwhile, so no other instance posts it again;
 * - a nudge whose earlier claim lapsed mid-post is first looked for in the
 *   conversation's history (posts carry their nudge's id as metadata);
 * - a rate limit stops posts to that conversation for the rest of the scan,
 *   and the nudges waiting for it go back uncounted, due when Slack said.
 */
export function createDelivery(deps: DeliveryDeps, teamId: string, settle: Settle) {
  const sleep = deps.sleep ?? realSleep;
  /** Per conversation: Slack asked for no posts before this instant. */
  const waitUntil = new Map<string, number>();

  /** Runs `work` again while the database is away, for as long as the claim on `nudge` is ours. */
  async function whileHeld<T>(nudge: NudgeRecord, what: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const margin = domain.nudges.claimTimeoutMs / 10;
    for (let tries = 1; ; tries++) {
      try {
        return await work();
      } catch (error) {
        const held =
          nudge.nextAttemptAt.getTime() - deps.now().getTime() > margin &&
          performance.now() - started < domain.nudges.claimTimeoutMs - margin;
        if (!isDatabaseUnavailable(error) || !held) throw error;
        if (tries === 1)
          deps.logger.warn(
            `${label(nudge)}: could not ${what}, the database is away; trying again while the claim holds`,
          );
        await sleep(domain.nudges.recordRetryMs);
      }
    }
  }

  async function record(
    nudge: NudgeRecord,
    posting: Posting,
    outcome: DeliveryOutcome,
    options: { charged?: boolean; digestTs?: string } = {},
  ): Promise<Delivered> {
    const status = await whileHeld(nudge, 'record its delivery', () =>
      deps.nudges.recordDelivery(nudge, outcome, options),
    );
    if (!outcome.ok && outcome.rateLimited)
      waitUntil.set(
        posting.destination,
        deps.now().getTime() + (outcome.retryAfterMs ?? domain.nudges.rateLimitedWaitMs),
      );
    if (status === 'sent' && posting.afterPosted)
      await whileHeld(nudge, 'schedule what follows it', posting.afterPosted);
    if (status === null) deps.logger.warn(`${label(nudge)} changed while it was being posted; the change stands`);
    else if (!outcome.ok && !outcome.rateLimited)
      deps.logger.warn(
        `${label(nudge)} not posted to ${posting.destination}: ${outcome.error}; attempt ${nudge.attempts}, now ${status}`,
      );
    return status;
  }

  /** Slack asked this conversation to wait: what a post to it now would get, without asking. */
  function heldOff(destination: string): DeliveryOutcome | null {
    const until = waitUntil.get(destination) ?? 0;
    const wait = until - deps.now().getTime();
    return wait > 0 ? { ok: false, error: 'ratelimited', rateLimited: true, retryAfterMs: wait } : null;
  }

  /**
   * Before posting a nudge whose earlier claim lapsed mid-post: was it posted?
   * Found, it is recorded as sent (its buttons brought up to date); listed in
   * a digest without its reply, it goes into that thread. When Slack cannot
   * say for now, it waits; when it never can (no access to that history), it
   * is posted, as a duplicate is better than a lost reminder.
   */
  async function reconcile(posting: Posting): Promise<{ done: Delivered } | { threadTs?: string }> {
    if (!posting.lapsedClaimFrom) return {};
    const { nudge, destination } = posting;
    const since = new Date(posting.lapsedClaimFrom.getTime() - domain.nudges.postedLookbackMs);
    const check = await deps.poster.findPosted(teamId, destination, nudge._id.toString(), since);
    if (check.found === 'posted') {
      const status = await record(nudge, posting, { ok: true, channel: check.channel, ts: check.ts });
      const message = status === 'sent' ? posting.render(postedVersion(nudge)) : null;
      const updated =
        message &&
        (await deps.poster.update(teamId, check.channel, check.ts, message, { nudge: nudge._id.toString() }));
      if (updated && !updated.ok)
        deps.logger.warn(
          `${label(nudge)} was posted before its claim lapsed; its buttons could not be updated: ${updated.error}`,
        );
      return { done: status };
    }
    if (check.found === 'inDigest') return { threadTs: check.threadTs };
    if (check.found === 'unknown' && check.retry)
      return {
        done: await record(nudge, posting, { ok: false, error: `unverified_${check.error}` }, { charged: false }),
      };
    if (check.found === 'unknown')
      deps.logger.warn(
        `${label(nudge)}: its claim lapsed mid-post and Slack's history cannot tell whether it went out (${check.error}); posting it`,
      );
    return {};
  }

  /** Posts one claimed nudge, on its own or as a reply in a digest's thread. */
  async function post(posting: Posting, threadTs?: string): Promise<Delivered> {
    const nudge = await whileHeld(posting.nudge, 'renew its claim', () => deps.nudges.keepClaim(posting.nudge));
    if (!nudge) {
      deps.logger.warn(`${label(posting.nudge)} changed before it was posted; the change stands`);
      return null;
    }
    const waiting = heldOff(posting.destination);
    if (waiting) return record(nudge, posting, waiting, { ...(threadTs ? { digestTs: threadTs } : {}) });
    const message = posting.render(postedVersion(nudge));
    const outcome: DeliveryOutcome = message
      ? await deps.poster.post(teamId, posting.destination, message, {
          tag: { nudge: nudge._id.toString() },
          ...(threadTs ? { threadTs } : {}),
        })
      : { ok: false, error: posting.undeliverable ?? 'customer_missing' };
    return record(nudge, posting, outcome, { ...(threadTs ? { digestTs: threadTs } : {}) });
  }

  /** One nudge on its own, once it is known not to be in Slack already. */
  async function deliver(posting: Posting): Promise<void> {
    const reconciled = await reconcile(posting);
    settle(posting.nudge, 'done' in reconciled ? reconciled.done : await post(posting, reconciled.threadTs));
  }

  /**
   * Digests of at most digestMaxItems, each listing its nudges, which go in full (buttons and all) as replies in its
   * thread.
   */
  async function deliverDigests(t: Messages, listed: { posting: Posting; message: SlackMessage }[]): Promise<void> {
    for (let start = 0; start < listed.length; start += domain.nudges.digestMaxItems) {
      const chunk = listed.slice(start, start + domain.nudges.digestMaxItems);
      const { destination } = chunk[0]!.posting;
      const digest =
        heldOff(destination) ??
        (await deps.poster.post(
          teamId,
          destination,
          renderDigest(
            t,
            chunk.map((l) => l.message),
          ),
          {
            tag: { digestOf: chunk.map((l) => l.posting.nudge._id.toString()) },
          },
        ));
      for (const { posting } of chunk) {
        // A refused digest is not its nudges' own refusal: none of them is charged an attempt for it.
        settle(
          posting.nudge,
          digest.ok ? await post(posting, digest.ts) : await record(posting.nudge, posting, digest, { charged: false }),
        );
      }
    }
  }

  /**
   * Nudges for the team's channel: one by one, or, when more than
   * digestAbove are new this scan, as digests. A nudge already listed in an
   * earlier digest (its reply refused, or its claim lapsed) goes into that
   * digest's thread, never into a second digest.
   */
  async function deliverToChannel(t: Messages, postings: Posting[]): Promise<void> {
    const fresh: Posting[] = [];
    for (const posting of postings) {
      const reconciled = await reconcile(posting);
      const threadTs = 'done' in reconciled ? undefined : (reconciled.threadTs ?? posting.nudge.digestTs);
      if ('done' in reconciled) settle(posting.nudge, reconciled.done);
      else if (threadTs) settle(posting.nudge, await post(posting, threadTs));
      else fresh.push(posting);
    }
    const listed = fresh.flatMap((posting) => {
      const message = posting.render(postedVersion(posting.nudge));
      return message ? [{ posting, message }] : [];
    });
    if (listed.length <= deps.digestAbove) {
      for (const posting of fresh) settle(posting.nudge, await post(posting));
      return;
    }
    for (const posting of fresh)
      if (!listed.some((l) => l.posting === posting)) settle(posting.nudge, await post(posting));
    await deliverDigests(t, listed);
  }

  return { deliver, deliverToChannel, isHeldOff: (destination: string) => heldOff(destination) !== null };
}
