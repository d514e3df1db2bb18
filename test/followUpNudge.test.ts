import { ObjectId } from 'mongodb';
import { migrate } from '../src/db/migrations.js';
import { createModels } from '../src/models/index.js';
import { ACTION } from '../src/views/ids.js';
import { createCard } from './support/flows.js';
import { useHarness } from './support/useHarness.js';
import * as visitHelpers from './support/visits.js';
import { collectionsOf, findButton, NUDGE_CHANNEL, TEAM_A, TEAM_A_COLLEAGUE, visibleText } from './support/harness.js';

const h = useHarness({ instances: 2, now: '2026-11-23T10:00:00+08:00' });

const { nudges: followUps } = collectionsOf(h);
const posts = () => h.fake.calls.filter((c) => c.method === 'chat.postMessage');

const cardWithFollowUp = (name: string, dueDate: string, plan: string) =>
  visitHelpers.cardWithFollowUp(h, name, dueDate, plan);

describe('follow-up nudges', () => {
  it('posts exactly one nudge at 09:00 team time on the due day, with two instances scanning', async () => {
    await cardWithFollowUp('孙八', '2026-11-25', '带新品目录');

    h.clock.set('2026-11-25T08:59:59+08:00');
    expect(await h.scanOnEveryInstance()).toEqual([
      { sent: 0, retrying: 0, failed: 0 },
      { sent: 0, retrying: 0, failed: 0 },
    ]);
    expect(posts()).toHaveLength(0);

    h.clock.set('2026-11-25T09:00:00+08:00');
    const reports = await h.scanOnEveryInstance();
    expect(reports[0]!.sent + reports[1]!.sent).toBe(1);
    await h.scanOnEveryInstance();
    expect(posts()).toHaveLength(1);

    const [nudge] = posts();
    expect(nudge!.args.channel).toBe(NUDGE_CHANNEL);
    const text = visibleText(nudge!.args.blocks);
    expect(text).toContain('今天该跟进 *孙八*');
    expect(text).toContain('<@U1SELLER>');
    expect(text).toContain('计划：带新品目录');
    for (const action of [ACTION.nudgeLogVisit, ACTION.snoozeDay, ACTION.snoozeWeek])
      findButton(nudge!.args.blocks, action);
    expect(await followUps().findOne({ plan: '带新品目录' })).toMatchObject({
      status: 'sent',
      channel: NUDGE_CHANNEL,
      attempts: 1,
    });
  });

  it('snoozes a nudge by a day, and posts it again then', async () => {
    const [nudge] = posts();
    const ts = '1700000000.000001';
    const before = h.fake.mark();
    const click = await h.clickButton(TEAM_A_COLLEAGUE, findButton(nudge!.args.blocks, ACTION.snoozeDay), {
      channel: NUDGE_CHANNEL,
      messageTs: ts,
    });
    const replaced = await h.fake.waitForResponse(click.responseUrl, before);
    expect(replaced.args.replace_original).toBe(true);
    expect(visibleText(replaced.args.blocks)).toContain('<@U2COLLEAGUE> 已将提醒推迟到 2026-11-26');
    expect(JSON.stringify(replaced.args.blocks)).not.toContain(ACTION.snoozeDay);

    const snoozed = await followUps().findOne({ plan: '带新品目录' });
    expect(snoozed).toMatchObject({ status: 'pending', dueDate: '2026-11-26', attempts: 0 });
    expect(snoozed!.nextAttemptAt.toISOString()).toBe('2026-11-26T01:00:00.000Z');
    expect(
      await h.db.collection('history').findOne({ action: 'followUpSnoozed', userId: 'U2COLLEAGUE' }),
    ).not.toBeNull();

    h.clock.set('2026-11-26T09:00:30+08:00');
    await h.scanOnEveryInstance();
    expect(posts()).toHaveLength(2);
  });

  it('logging the visit from the nudge answers it and marks the message', async () => {
    const nudge = posts().at(-1)!;
    const messageTs = '1700000000.000002';
    const { view } = await h.openModal(TEAM_A, findButton(nudge.args.blocks, ACTION.nudgeLogVisit), {
      channel: NUDGE_CHANNEL,
      messageTs,
    });
    expect(visibleText(view.blocks)).toContain('孙八');
    expect(view.blocks.find((b: Record<string, any>) => b.block_id === 'date').element.initial_date).toBe('2026-11-26');

    expect((await h.submitView(TEAM_A, view, { notes: '送了目录' })).body).toBe('');
    const updated = await h.fake.waitFor('chat.update', (c) => c.args.ts === messageTs);
    expect(updated.args.channel).toBe(NUDGE_CHANNEL);
    expect(visibleText(updated.args.blocks)).toContain('✅ <@U1SELLER> 已记录拜访');
    expect(await followUps().findOne({ plan: '带新品目录' })).toMatchObject({ status: 'done', closedBy: 'U1SELLER' });

    const again = await h.clickButton(TEAM_A, findButton(nudge.args.blocks, ACTION.snoozeWeek), {
      channel: NUDGE_CHANNEL,
      messageTs,
    });
    expect(visibleText((await h.fake.waitForResponse(again.responseUrl)).args.blocks)).toContain(
      '这条提醒已经处理过了',
    );
  });

  it('waits as long as Slack asks when rate limited, then posts once', async () => {
    await cardWithFollowUp('周九', '2026-11-27', '催回款');
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    h.clock.set('2026-11-27T09:00:00+08:00');
    expect((await h.scanOnEveryInstance()).map((r) => r.retrying).reduce((a, b) => a + b)).toBe(1);

    // A rate limit says "wait", not "failed": it uses up no attempt.
    const waiting = await followUps().findOne({ plan: '催回款' });
    expect(waiting).toMatchObject({ status: 'pending', lastError: 'ratelimited', attempts: 0 });
    expect(waiting!.nextAttemptAt.toISOString()).toBe('2026-11-27T01:00:30.000Z');

    const triedBefore = posts().length;
    h.clock.set('2026-11-27T09:00:29+08:00');
    await h.scanOnEveryInstance();
    expect(posts()).toHaveLength(triedBefore);

    h.clock.set('2026-11-27T09:00:30+08:00');
    await h.scanOnEveryInstance();
    await h.scanOnEveryInstance();
    expect(h.fake.accepted('chat.postMessage').filter((c) => visibleText(c.args.blocks).includes('周九'))).toHaveLength(
      1,
    );
    expect(await followUps().findOne({ plan: '催回款' })).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('records channel_not_found, shows it on the card, retries with backoff and finally gives up visibly', async () => {
    await cardWithFollowUp('吴十', '2026-11-30', '拜访工厂');
    h.fake.loseChannel(NUDGE_CHANNEL);
    h.clock.set('2026-11-30T09:00:00+08:00');
    await h.scanOnEveryInstance();

    const recorded = await followUps().findOne({ plan: '拜访工厂' });
    expect(recorded).toMatchObject({ status: 'pending', lastError: 'channel_not_found', attempts: 1 });
    expect(recorded!.nextAttemptAt.toISOString()).toBe('2026-11-30T01:05:00.000Z');
    expect(visibleText((await h.command('吴十')).args.blocks)).toContain(
      '提醒发送失败（channel_not_found），将自动重试',
    );

    // Backoff doubles (+5, +10, +20, +40 minutes…) up to two hours; refused for a day, it is given up.
    const retriedAt: string[] = [];
    for (
      let nudge = recorded!;
      nudge.status === 'pending';
      nudge = (await followUps().findOne({ plan: '拜访工厂' }))!
    ) {
      h.clock.set(nudge.nextAttemptAt.toISOString());
      retriedAt.push(nudge.nextAttemptAt.toISOString().slice(5, 16));
      await h.scanOnEveryInstance();
    }
    expect(retriedAt.slice(0, 6)).toEqual([
      '11-30T01:05',
      '11-30T01:15',
      '11-30T01:35',
      '11-30T02:15',
      '11-30T03:35',
      '11-30T05:35',
    ]);
    expect(retriedAt.at(-1)! >= '12-01T01:00').toBe(true);
    const gaveUp = await followUps().findOne({ plan: '拜访工厂' });
    expect(gaveUp).toMatchObject({ status: 'failed', lastError: 'channel_not_found', attempts: retriedAt.length + 1 });
    expect(h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.error === 'channel_not_found')).toHaveLength(
      retriedAt.length + 1,
    );
    expect(visibleText((await h.command('吴十')).args.blocks)).toContain('提醒多次发送失败（channel_not_found）');
    h.fake.restoreChannel(NUDGE_CHANNEL);
  });
});

describe('follow-ups saved by an earlier release, in their own outbox', () => {
  it('move into the nudge pipeline at boot and are posted from there, once', async () => {
    const created = await createCard(h, TEAM_A, { name: '旧版客户' });
    const customerId = new ObjectId(created.id);
    const old = {
      _id: new ObjectId(),
      teamId: 'T1',
      customerId,
      visitId: new ObjectId(),
      ownerId: 'U1SELLER',
      dueDate: '2026-12-02',
      plan: '旧版计划',
      status: 'pending',
      nextAttemptAt: new Date('2026-12-02T01:00:00Z'),
      attempts: 0,
      claims: 0,
      createdBy: 'U1SELLER',
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    await h.db.collection('followups').insertOne(old);

    await Promise.all(h.instances.map((i) => migrate(createModels(i.app.connection), () => h.clock.now())));

    expect(await h.db.listCollections({ name: 'followups' }).toArray()).toEqual([]);
    const moved = await followUps().findOne({ _id: old._id });
    expect(moved).toMatchObject({
      kind: 'followUp',
      sourceId: old.visitId,
      version: 1,
      plan: '旧版计划',
      status: 'pending',
    });
    expect(moved).not.toHaveProperty('visitId');
    expect(visibleText((await h.command('旧版客户')).args.blocks)).toContain('2026-12-02');

    h.clock.set('2026-12-02T09:00:00+08:00');
    await h.scanOnEveryInstance();
    await h.scanOnEveryInstance();
    expect(
      h.fake.accepted('chat.postMessage').filter((c) => visibleText(c.args.blocks).includes('旧版计划')),
    ).toHaveLength(1);
  });
});
