import { ACTION } from '../src/views/ids.js';
import type { RecordedCall } from './support/fakeSlack.js';
import { collectionsOf, findButton, NUDGE_CHANNEL, TEAM_A, TEAM_A_COLLEAGUE, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';
import { cardsWithFollowUps, isReminder } from './support/visits.js';

const h = useHarness({ instances: 2, now: '2026-11-23T10:00:00+08:00' });

beforeAll(() => {
  // As Slack does: a second message to one channel within a second is refused.
  h.fake.limitPostsPerChannel(() => h.clock.now().getTime());
});

const { nudges } = collectionsOf(h);

/** Messages the nudge channel accepted since `after`, oldest first. */
const channelPosts = (after: number) =>
  h.fake.calls
    .slice(after)
    .filter((c) => c.method === 'chat.postMessage' && !c.error && c.args.channel === NUDGE_CHANNEL);

const naming = (name: string) => (c: RecordedCall) => visibleText(c.args.blocks).includes(name);

/** `count` cards whose follow-ups all fall due on `dueDate`, named `<prefix>1`, `<prefix>2`… */
const followUpsDue = (prefix: string, count: number, dueDate: string): Promise<string[]> =>
  cardsWithFollowUps(
    h,
    Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`),
    dueDate,
  );

const scanOnOneInstance = () => h.instances[0]!.app.scanNudges();

describe('digests instead of floods in the nudge channel', () => {
  it('five follow-ups due at once are five messages, as before', async () => {
    const names = await followUpsDue('五位', 5, '2026-11-25');
    h.clock.set('2026-11-25T09:00:00+08:00');
    const before = h.fake.mark();
    expect(await scanOnOneInstance()).toMatchObject({ sent: expect.any(Number), retrying: 0, failed: 0 });

    const posted = channelPosts(before);
    expect(posted).toHaveLength(5);
    expect(posted.every((c) => c.args.thread_ts === undefined && isReminder(c))).toBe(true);
    for (const name of names) expect(posted.filter(naming(name))).toHaveLength(1);
    expect(await nudges().countDocuments({ plan: /^五位/, status: 'sent' })).toBe(5);
  });

  it('six due at once are one digest listing them, each posted in full as a reply in its thread, a second apart', async () => {
    const names = await followUpsDue('六位', 6, '2026-11-26');
    h.clock.set('2026-11-26T09:00:00+08:00');
    const before = h.fake.mark();
    const started = h.clock.now().getTime();
    await scanOnOneInstance();

    const posted = channelPosts(before);
    const topLevel = posted.filter((c) => c.args.thread_ts === undefined);
    expect(topLevel).toHaveLength(1);
    const [digest] = topLevel;
    expect(isReminder(digest!)).toBe(false);
    expect(digest!.args.text).toContain('今天有 6 条提醒');
    for (const name of names) expect(visibleText(digest!.args.blocks)).toContain(name);

    const digestTs = tsOf(digest!);
    const replies = posted.filter((c) => c.args.thread_ts !== undefined);
    expect(replies).toHaveLength(6);
    expect(replies.every((c) => c.args.thread_ts === digestTs && isReminder(c))).toBe(true);
    for (const name of names) {
      const reply = replies.find(naming(name))!;
      for (const action of [ACTION.nudgeLogVisit, ACTION.snoozeDay, ACTION.snoozeWeek])
        findButton(reply.args.blocks, action);
      // Each nudge is recorded with its own reply, which its buttons update.
      const nudge = await nudges().findOne({ plan: `${name}的计划` });
      expect(nudge).toMatchObject({ status: 'sent', channel: NUDGE_CHANNEL, messageTs: tsOf(reply), attempts: 1 });
    }

    // Seven messages to one channel, none refused: they went out at least a second apart.
    expect(h.fake.calls.slice(before).filter((c) => c.error === 'ratelimited')).toEqual([]);
    expect(h.clock.now().getTime() - started).toBeGreaterThanOrEqual(6000);
  });

  it("a reply's buttons answer its own nudge and update that reply", async () => {
    const replies = h.fake
      .accepted('chat.postMessage')
      .filter((c) => c.args.thread_ts !== undefined && naming('六位')(c));
    const snoozed = replies.find(naming('六位1'))!;
    const snoozedTs = tsOf(snoozed);
    const click = await h.clickButton(TEAM_A_COLLEAGUE, findButton(snoozed.args.blocks, ACTION.snoozeDay), {
      channel: NUDGE_CHANNEL,
      messageTs: snoozedTs,
    });
    const replaced = await h.fake.waitForResponse(click.responseUrl);
    expect(replaced.args.replace_original).toBe(true);
    expect(visibleText(replaced.args.blocks)).toContain('<@U2COLLEAGUE> 已将提醒推迟到 2026-11-27');
    expect(await nudges().findOne({ plan: '六位1的计划' })).toMatchObject({ status: 'pending', dueDate: '2026-11-27' });

    const visited = replies.find(naming('六位2'))!;
    const visitedTs = tsOf(visited);
    const { view } = await h.openModal(TEAM_A, findButton(visited.args.blocks, ACTION.nudgeLogVisit), {
      channel: NUDGE_CHANNEL,
      messageTs: visitedTs,
    });
    expect((await h.submitView(TEAM_A, view, { notes: '从摘要里记录' })).body).toBe('');
    const updated = await h.fake.waitFor('chat.update', (c) => c.args.ts === visitedTs);
    expect(updated.args.channel).toBe(NUDGE_CHANNEL);
    expect(visibleText(updated.args.blocks)).toContain('✅ <@U1SELLER> 已记录拜访');
    expect(await nudges().findOne({ plan: '六位2的计划' })).toMatchObject({ status: 'done' });
    // The other replies are untouched.
    expect(await nudges().countDocuments({ plan: /^六位[3-6]的计划$/, status: 'sent' })).toBe(4);
  });

  it('a reply Slack refuses is retried later in its digest’s thread, never listed again; the others are sent', async () => {
    const names = await followUpsDue('拒收', 6, '2026-11-28');
    h.fake.failMatching(
      'chat.postMessage',
      (args) => args.thread_ts !== undefined && JSON.stringify(args.blocks).includes('拒收3'),
      { error: 'internal_error' },
    );
    h.clock.set('2026-11-28T09:00:00+08:00');
    const before = h.fake.mark();
    await scanOnOneInstance();

    const refused = await nudges().findOne({ plan: '拒收3的计划' });
    expect(refused).toMatchObject({ status: 'pending', lastError: 'internal_error', attempts: 1 });
    for (const name of names.filter((n) => n !== '拒收3')) {
      expect(await nudges().findOne({ plan: `${name}的计划` })).toMatchObject({ status: 'sent', attempts: 1 });
    }
    expect(channelPosts(before).filter((c) => c.args.thread_ts !== undefined && naming('拒收')(c))).toHaveLength(5);

    h.clock.set(refused!.nextAttemptAt.toISOString());
    await scanOnOneInstance();
    await scanOnOneInstance();
    const retried = channelPosts(before).filter((c) => isReminder(c) && naming('拒收3')(c));
    expect(retried).toHaveLength(1);
    const digest = channelPosts(before).filter((c) => c.args.thread_ts === undefined && naming('拒收')(c));
    expect(digest).toHaveLength(1);
    expect(retried[0]!.args.thread_ts).toBe(tsOf(digest[0]!));
    expect(await nudges().findOne({ plan: '拒收3的计划' })).toMatchObject({
      status: 'sent',
      attempts: 2,
      messageTs: tsOf(retried[0]!),
    });
  });

  it('a digest Slack refuses leaves every nudge in it to be retried, none posted and none charged an attempt', async () => {
    const names = await followUpsDue('母帖', 6, '2026-11-30');
    h.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    h.clock.set('2026-11-30T09:00:00+08:00');
    const before = h.fake.mark();
    await scanOnOneInstance();
    expect(channelPosts(before).filter(naming('母帖'))).toEqual([]);
    expect(
      await nudges().countDocuments({ plan: /^母帖/, status: 'pending', lastError: 'channel_not_found', attempts: 0 }),
    ).toBe(6);

    h.clock.set('2026-11-30T09:05:00+08:00');
    await scanOnOneInstance();
    const posted = channelPosts(before);
    const digests = posted.filter((c) => c.args.thread_ts === undefined && naming('母帖')(c));
    expect(digests).toHaveLength(1);
    for (const name of names)
      expect(
        posted.filter((c) => isReminder(c) && naming(name)(c) && c.args.thread_ts === tsOf(digests[0]!)),
      ).toHaveLength(1);
    expect(await nudges().countDocuments({ plan: /^母帖/, status: 'sent', attempts: 1 })).toBe(6);
  });

  it('two instances scanning at once post each nudge once', async () => {
    const names = await followUpsDue('并发', 9, '2026-12-02');
    h.clock.set('2026-12-02T09:00:00+08:00');
    const before = h.fake.mark();
    // Slack's refusals (two instances posting to one channel within a second) are retried by later scans.
    for (let round = 0; round < 5; round++) {
      await h.scanOnEveryInstance();
      h.clock.advanceMs(60_000);
    }
    const reminders = channelPosts(before).filter((c) => isReminder(c) && naming('并发')(c));
    for (const name of names) expect(reminders.filter(naming(name))).toHaveLength(1);
    expect(reminders).toHaveLength(9);
    expect(await nudges().countDocuments({ plan: /^并发/, status: 'sent' })).toBe(9);
  });
});

/** The ts Slack gave a posted message. */
function tsOf(call: RecordedCall): string {
  return String(call.result?.ts);
}
