import type { ObjectId } from 'mongodb';
import { ACTION } from '../src/views/ids.js';
import { eventually } from './support/eventually.js';
import { createCard, logContact as logContactFrom, recordSale } from './support/flows.js';
import { findButton, postsAbout, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const ADMIN = 'U9ADMIN';
const TEAM = 'TPOOL';
const SELLER: Actor = { teamId: TEAM, userId: 'USELLER' };
const RIVAL: Actor = { teamId: TEAM, userId: 'URIVAL' };
const STRANGER: Actor = { teamId: 'TOTHER', userId: 'USTRANGER' };
const ADMIN_ACTOR: Actor = { teamId: TEAM, userId: ADMIN };
const MANAGER: Actor = { teamId: TEAM, userId: 'UMANAGER' };
// Monday 2026-11-23 10:00 in Shanghai: past today's 09:00 nudge hour.
const h = useHarness({
  instances: 2,
  now: '2026-11-23T10:00:00+08:00',
  env: { ADMIN_USER_IDS: ADMIN, MANAGER_USER_ID: MANAGER.userId, SEGMENT_HOUR: '2' },
});

const OPEN = ['pending', 'sending', 'sent', 'failed'];

async function cardOf(name: string) {
  return (await h.db.collection('customers').findOne({ teamId: TEAM, name }))!;
}

async function idOf(name: string): Promise<ObjectId> {
  return (await cardOf(name))._id;
}

async function nudgesOf(name: string, kind: string, statuses = OPEN) {
  return h.db
    .collection('nudges')
    .find({ teamId: TEAM, customerId: await idOf(name), kind, status: { $in: statuses } })
    .toArray();
}

/** What Slack accepted about a customer since `mark` that says `says`. */
const posted = (name: string, says: string, mark = 0) => postsAbout(h.fake, name, says, mark);

const WARNED = '快要放入公海';
const RELEASED = '已放入团队公海';

const sell = (name: string, amount: string) => recordSale(h, SELLER, name, { amountFen: amount });
const logContact = (name: string, fields: Record<string, unknown>) => logContactFrom(h, SELLER, name, fields);

function claimButtonFor(blocks: Record<string, any>[], customerId: ObjectId) {
  const button = blocks
    .flatMap((b) => b.elements ?? [])
    .find((e: Record<string, any>) => e.action_id === ACTION.poolClaim && e.value === customerId.toString());
  if (!button) throw new Error(`no Claim for ${customerId.toString()} in ${JSON.stringify(blocks).slice(0, 500)}`);
  return button as { action_id: string; value: string };
}

describe('the customer pool (公海)', () => {
  beforeAll(async () => {
    // Last contacted 2026-09-01: 90 days later is 2026-11-30. 小客户 a day earlier, so it reaches the pool first.
    for (const [name, date] of [
      ['甲客户', '2026-09-01'],
      ['乙客户', '2026-09-01'],
      ['顶级客户', '2026-09-01'],
      ['小客户', '2026-08-31'],
    ]) {
      await createCard(h, SELLER, { name, ownerId: SELLER.userId });
      await logContact(name!, { date, kind: 'phone', notes: '问了价格' });
    }
    // Two current customers rank as one 顶级 and one 小.
    await sell('顶级客户', '700');
    await sell('小客户', '100');
    const refreshed = await h.command('segments refresh', { teamId: TEAM, userId: ADMIN });
    expect(visibleText(refreshed.args.blocks)).toContain('现有客户 2 位');
  });

  it('warns the owner 90 days after the last contact, once across instances, with Log contact and no snooze; the top tier is not warned', async () => {
    expect(await nudgesOf('甲客户', 'poolWarning')).toEqual([
      expect.objectContaining({ dueDate: '2026-11-30', status: 'pending', ownerId: SELLER.userId }),
    ]);
    expect(await nudgesOf('小客户', 'poolWarning')).toEqual([expect.objectContaining({ dueDate: '2026-11-29' })]);
    expect(await nudgesOf('顶级客户', 'poolWarning')).toEqual([]);

    await h.scanAt('2026-11-29T09:00:00+08:00', 2);
    expect(posted('小客户', WARNED)).toHaveLength(1);
    await h.scanAt('2026-11-30T08:59:59+08:00', 2);
    expect(posted('甲客户', WARNED)).toHaveLength(0);
    await h.scanAt('2026-11-30T09:00:00+08:00', 2);
    for (const name of ['甲客户', '乙客户', '小客户']) expect(posted(name, WARNED)).toHaveLength(1);
    expect(posted('顶级客户', WARNED)).toHaveLength(0);

    const [warning] = posted('甲客户', WARNED);
    expect(warning!.args.channel).toBe(SELLER.userId);
    const text = visibleText(warning!.args.blocks);
    expect(text).toContain('已经 90 天没有联络记录了');
    expect(text).toContain('请在 7 天内记录一次联络');
    expect(text).toContain('上次联络：2026-09-01（90 天前）');
    findButton(warning!.args.blocks, ACTION.nudgeLogVisit);
    expect(() => findButton(warning!.args.blocks, ACTION.snoozeDay)).toThrow();
    expect(() => findButton(warning!.args.blocks, ACTION.snoozeWeek)).toThrow();
    expect(await nudgesOf('甲客户', 'poolRelease')).toEqual([
      expect.objectContaining({ dueDate: '2026-12-07', status: 'pending' }),
    ]);
  });

  it('a crafted Snooze naming the warning or the release, or Done naming the release, changes nothing: only a contact keeps the card', async () => {
    const [warning] = await nudgesOf('甲客户', 'poolWarning');
    const [release] = await nudgesOf('甲客户', 'poolRelease');
    const crafted: [string, typeof warning][] = [
      [ACTION.snoozeDay, warning],
      [ACTION.snoozeWeek, warning],
      [ACTION.snoozeDay, release],
      [ACTION.snoozeWeek, release],
      [ACTION.nudgeDone, release],
    ];
    const mark = h.fake.mark();
    for (const [action_id, nudge] of crafted) {
      const click = await h.clickButton(SELLER, { action_id, value: `${nudge!._id.toString()}:${nudge!.version}` });
      await h.fake.waitForResponse(click.responseUrl, mark);
    }
    expect(await nudgesOf('甲客户', 'poolRelease')).toEqual([release]);
    expect(await nudgesOf('甲客户', 'poolWarning')).toEqual([warning]);
  });

  it('a contact logged from the warning within the grace period cancels the release and restarts the count', async () => {
    h.clock.set('2026-12-02T15:00:00+08:00');
    const [warning] = posted('乙客户', WARNED);
    const { view } = await h.openModal(SELLER, findButton(warning!.args.blocks, ACTION.nudgeLogVisit), {
      channel: SELLER.userId,
      messageTs: '1700000000.000901',
    });
    expect((await h.submitView(SELLER, view, { kind: 'phone', notes: '约了下周见面' })).body).toBe('');

    expect(await nudgesOf('乙客户', 'poolRelease')).toEqual([]);
    expect(await nudgesOf('乙客户', 'poolRelease', ['cancelled'])).toHaveLength(1);
    expect(await nudgesOf('乙客户', 'poolWarning')).toEqual([
      expect.objectContaining({ dueDate: '2027-03-02', status: 'pending' }),
    ]);
  });

  it('a new placement is not a contact: a warned card ranked 非积极 overnight keeps its release', async () => {
    // 甲客户 bought once, long ago: the ranking now makes it inactive.
    await recordSale(h, SELLER, '甲客户', { amountFen: '300', date: '2025-06-01' });
    h.clock.set('2026-12-05T10:00:00+08:00');
    expect(visibleText((await h.command('segments refresh', ADMIN_ACTOR)).args.blocks)).toContain('非积极客户 1 位');
    expect((await cardOf('甲客户')).segment).toBe('inactive');
    expect(await nudgesOf('甲客户', 'poolRelease')).toEqual([
      expect.objectContaining({ dueDate: '2026-12-07', status: 'pending' }),
    ]);
  });

  it('untouched 7 days after the warning, the card goes to the pool: owner unset, history, the owner told once', async () => {
    await h.scanAt('2026-12-06T09:00:00+08:00', 2);
    expect((await cardOf('甲客户')).ownerId).toBe(SELLER.userId);
    expect((await cardOf('小客户')).pooledAt).toEqual(new Date('2026-12-06T01:00:00Z'));

    const mark = h.fake.calls.length;
    await h.scanAt('2026-12-07T09:00:00+08:00', 2);
    const released = await cardOf('甲客户');
    expect(released.ownerId).toBeUndefined();
    expect(released.previousOwnerId).toBe(SELLER.userId);
    expect(released.pooledAt).toEqual(new Date('2026-12-07T01:00:00Z'));
    expect((await cardOf('乙客户')).ownerId).toBe(SELLER.userId);
    expect((await cardOf('顶级客户')).ownerId).toBe(SELLER.userId);

    const told = posted('甲客户', RELEASED, mark);
    expect(told).toHaveLength(1);
    expect(told[0]!.args.channel).toBe(SELLER.userId);
    claimButtonFor(told[0]!.args.blocks, released._id);
    // Nobody owns it: no contact nudges for anyone, no warning left open.
    expect(await nudgesOf('甲客户', 'cadence')).toEqual([]);
    expect(await nudgesOf('甲客户', 'poolWarning')).toEqual([]);

    const entries = await h.db
      .collection('history')
      .find({ teamId: TEAM, customerId: released._id, action: 'released' })
      .toArray();
    expect(entries).toEqual([
      expect.objectContaining({ userId: 'system', changes: [{ field: 'ownerId', from: SELLER.userId }] }),
    ]);

    // The card says so, with Claim; its History shows the release.
    const card = await h.command('甲客户', RIVAL);
    expect(visibleText(card.args.blocks)).toContain('公海');
    claimButtonFor(card.args.blocks, released._id);
    const { view } = await h.openModal(RIVAL, findButton(card.args.blocks, ACTION.history));
    expect(visibleText(view.blocks)).toContain('系统把卡片放入了公海');
  });

  it('/card pool lists the pooled cards of the team with Claim, longest in the pool first', async () => {
    // 小客户 went a day earlier; 顶级客户 is kept by its tier, 乙客户 was contacted.
    const list = await h.command('公海', SELLER);
    const text = visibleText(list.args.blocks);
    expect(text).toContain('公海*：2 张');
    expect(text.indexOf('小客户')).toBeLessThan(text.indexOf('甲客户'));
    expect(text).not.toContain('乙客户');
    expect(text).not.toContain('顶级客户');
    claimButtonFor(list.args.blocks, await idOf('甲客户'));
    claimButtonFor(list.args.blocks, await idOf('小客户'));
    // The English word too; another team sees none of it.
    expect(visibleText((await h.command('pool', SELLER)).args.blocks)).toContain('甲客户');
    expect(visibleText((await h.command('pool', STRANGER)).args.blocks)).not.toContain('甲客户');
  });

  it("Home counts the team's pooled cards in one line pointing to /card 公海; another team's Home counts none of them", async () => {
    const pooledLine = (view: Record<string, any>) =>
      visibleText(view.blocks.filter((b: Record<string, any>) => b.block_id === 'home_pool'));
    expect(pooledLine(await h.openHome(SELLER))).toBe('*🌊 公海*：2 张客户卡等待认领（`/card 公海`）');
    expect(pooledLine(await h.openHome(STRANGER))).toBe('*🌊 公海*：暂无等待认领的客户卡');
  });

  it('two claims at once: exactly one owner, the other told and nothing changed', async () => {
    h.clock.set('2026-12-07T15:00:00+08:00');
    const list = await h.command('公海', SELLER);
    const claim = claimButtonFor(list.args.blocks, await idOf('甲客户'));
    const [mine, theirs] = await Promise.all([
      h.clickButton(SELLER, claim, { instance: 0 }),
      h.clickButton(RIVAL, claim, { instance: 1 }),
    ]);
    const answers = await Promise.all([
      h.fake.waitForResponse(mine.responseUrl),
      h.fake.waitForResponse(theirs.responseUrl),
    ]);

    const card = await cardOf('甲客户');
    expect(card.pooledAt).toBeUndefined();
    expect([SELLER.userId, RIVAL.userId]).toContain(card.ownerId);
    const claims = await h.db
      .collection('history')
      .find({ teamId: TEAM, customerId: card._id, action: 'claimed' })
      .toArray();
    expect(claims).toEqual([expect.objectContaining({ userId: card.ownerId })]);

    const winner = card.ownerId === SELLER.userId ? answers[0] : answers[1];
    const loser = card.ownerId === SELLER.userId ? answers[1] : answers[0];
    expect(winner.args.replace_original).toBe(true);
    expect(visibleText(winner.args.blocks)).toContain('甲客户');
    findButton(winner.args.blocks, ACTION.logVisit);
    expect(loser.args.replace_original).toBe(false);
    expect(visibleText(loser.args.blocks)).toContain('已经被别人先认领了');
  });

  it('a claimed card is back to normal nudges, for its new owner, the pool counting from the claim', async () => {
    const { ownerId } = await cardOf('甲客户');
    expect(await nudgesOf('甲客户', 'poolWarning')).toEqual([
      expect.objectContaining({ dueDate: '2027-03-07', status: 'pending', ownerId }),
    ]);
    expect(await nudgesOf('甲客户', 'cadence')).toEqual([
      expect.objectContaining({ dueDate: '2026-12-08', status: 'pending', ownerId }),
    ]);

    const mark = h.fake.calls.length;
    await h.scanAt('2026-12-08T09:00:00+08:00', 2);
    const nudged = h.fake.calls
      .slice(mark)
      .filter((c) => c.method === 'chat.postMessage' && !c.error && String(c.args.text).includes('甲客户'));
    expect(nudged).toHaveLength(1);
    expect(nudged[0]!.args.channel).toBe(ownerId);
    expect(visibleText(nudged[0]!.args.blocks)).toContain('该联系客户了');
  });

  it("a crafted claim of another team's card is refused and changes nothing", async () => {
    const small = await idOf('小客户');
    const click = await h.clickButton(STRANGER, { action_id: ACTION.poolClaim, value: small.toString() });
    const answer = await h.fake.waitForResponse(click.responseUrl);
    expect(visibleText(answer.args.blocks)).toContain('这张客户卡不存在或不属于本工作区');
    const card = await cardOf('小客户');
    expect(card.ownerId).toBeUndefined();
    expect(card.pooledAt).toBeInstanceOf(Date);
    expect(await h.db.collection('history').countDocuments({ customerId: small, action: 'claimed' })).toBe(0);
  });

  it('cards from before the pool get one warning each at boot, once across instances', async () => {
    await h.db.collection('nudges').deleteMany({ teamId: TEAM, kind: 'poolWarning' });
    await h.db.collection('bootSteps').deleteOne({ _id: 'poolWarning' as never });
    await Promise.all(h.instances.map((i) => i.app.carryOverReminders()));
    await Promise.all(h.instances.map((i) => i.app.carryOverReminders()));

    expect(await nudgesOf('乙客户', 'poolWarning')).toEqual([expect.objectContaining({ dueDate: '2027-03-02' })]);
    expect(await nudgesOf('甲客户', 'poolWarning')).toEqual([expect.objectContaining({ dueDate: '2027-03-07' })]);
    expect(await nudgesOf('顶级客户', 'poolWarning')).toEqual([]);
    expect(await nudgesOf('小客户', 'poolWarning')).toEqual([]);
  });

  it('a manager reassigning a pooled card takes it out of the pool, with its nudges back for the new owner', async () => {
    h.clock.set('2026-12-08T15:00:00+08:00');
    const small = await cardOf('小客户');
    const shown = await h.command(small.number as string, MANAGER);
    const { view } = await h.openModal(MANAGER, findButton(shown.args.blocks, ACTION.reassign));
    expect((await h.submitView(MANAGER, view, { to: RIVAL.userId, reason: '分给新同事' })).body).toBe('');

    const card = await cardOf('小客户');
    expect(card.ownerId).toBe(RIVAL.userId);
    expect(card.pooledAt).toBeUndefined();
    expect(card.claimedOn).toBe('2026-12-08');
    expect(await nudgesOf('小客户', 'poolWarning')).toEqual([
      expect.objectContaining({ dueDate: '2027-03-08', status: 'pending', ownerId: RIVAL.userId }),
    ]);
    expect(await nudgesOf('小客户', 'cadence')).toEqual([
      expect.objectContaining({ status: 'pending', ownerId: RIVAL.userId }),
    ]);
    expect(visibleText((await h.command('公海', SELLER)).args.blocks)).not.toContain('小客户');
  });

  describe("the team's own pool thresholds, from the settings on App Home", () => {
    async function settingsModal() {
      return (await h.openModal(ADMIN_ACTOR, { action_id: ACTION.editSettings, value: 'edit' })).view;
    }

    it('refuses a number of days out of range, inline, changing nothing', async () => {
      const res = await h.submitView(ADMIN_ACTOR, await settingsModal(), {
        'pool.afterDays': '5',
        'pool.graceDays': '0',
      });
      expect(res.json()).toEqual({
        response_action: 'errors',
        errors: { 'pool.afterDays': '请输入 14 到 730 之间的整数', 'pool.graceDays': '请输入 1 到 90 之间的整数' },
      });
      expect(await h.db.collection('settingsChanges').countDocuments({ teamId: TEAM })).toBe(0);
    });

    it('moves the warnings already scheduled to the new threshold and warns the tiers no longer kept, on every instance at once', async () => {
      // The other instance has just read the old settings: its next scan must not act on them.
      await h.command('公海', SELLER, 1);
      const view = await settingsModal();
      expect(JSON.stringify(view.blocks)).toContain('"initial_options"');
      expect(
        (
          await h.submitView(ADMIN_ACTOR, view, {
            'pool.afterDays': '30',
            'pool.graceDays': '3',
            'pool.excludeTiers': [],
          })
        ).body,
      ).toBe('');

      // 乙客户 was last contacted 2026-12-02; 顶级客户 on 2026-09-01, long past 30 days: tomorrow's nudge hour.
      await eventually(async () =>
        expect(await nudgesOf('乙客户', 'poolWarning')).toEqual([
          expect.objectContaining({ dueDate: '2027-01-01', status: 'pending' }),
        ]),
      );
      await eventually(async () =>
        expect(await nudgesOf('顶级客户', 'poolWarning')).toEqual([
          expect.objectContaining({ dueDate: '2026-12-09', status: 'pending' }),
        ]),
      );
      const changes = await h.db.collection('settingsChanges').find({ teamId: TEAM }).toArray();
      expect(changes.map(({ field, from, to }) => ({ field, from, to }))).toEqual(
        expect.arrayContaining([
          { field: 'pool.afterDays', from: 90, to: 30 },
          { field: 'pool.graceDays', from: 7, to: 3 },
          { field: 'pool.excludeTiers', from: ['top', 'large'], to: [] },
        ]),
      );
      expect(visibleText((await h.openHome(SELLER)).blocks)).toContain('公海：这些层级不放入公海：未设置');

      // The instance that did not save scans first.
      h.clock.set('2026-12-09T09:00:00+08:00');
      await h.instances[1]!.app.scanNudges();
      await h.scanAt('2026-12-09T09:00:00+08:00', 2);
      const [warning] = posted('顶级客户', WARNED);
      expect(visibleText(warning!.args.blocks)).toContain('请在 3 天内记录一次联络');
      expect(await nudgesOf('顶级客户', 'poolRelease')).toEqual([expect.objectContaining({ dueDate: '2026-12-12' })]);
    });
  });

  describe('cards that change hands around the pool (the team now warns after 30 days, with 3 days of grace)', () => {
    beforeAll(async () => {
      h.clock.set('2026-12-09T15:00:00+08:00');
      for (const name of ['丙客户', '丁客户']) {
        const created = await createCard(h, SELLER, { name, ownerId: SELLER.userId });
        // Visited on 10-01 with a promise for later: the promise waits for its owner.
        await logContact(name, {
          date: '2026-10-01',
          kind: 'visit',
          notes: '看了样品',
          promise1: `${name}的样品`,
          promise1Due: '2026-12-20',
        });
        if (name === '丙客户') {
          // An ambassador too: its monthly contact is due at once.
          const { view } = await h.openModal(SELLER, { action_id: ACTION.editCard, value: created.id });
          expect((await h.submitView(SELLER, view, { ambassador: true })).body).toBe('');
        }
      }
      await h.scanAt('2026-12-10T09:00:00+08:00', 2);
      expect(posted('丙客户', WARNED)).toHaveLength(1);
      expect(posted('丁客户', WARNED)).toHaveLength(1);
    });

    it('a card reassigned while its release is under way warns its new owner afresh, with the whole grace period', async () => {
      h.clock.set('2026-12-10T15:00:00+08:00');
      const shown = await h.command('丁客户', SELLER);
      const { view } = await h.openModal(SELLER, findButton(shown.args.blocks, ACTION.reassign));
      expect((await h.submitView(SELLER, view, { to: RIVAL.userId, reason: '换区域' })).body).toBe('');

      expect(await nudgesOf('丁客户', 'poolRelease')).toEqual([]);
      expect(await nudgesOf('丁客户', 'poolWarning')).toEqual([
        expect.objectContaining({ ownerId: RIVAL.userId, dueDate: '2026-12-11', status: 'pending' }),
      ]);
      await h.scanAt('2026-12-13T09:00:00+08:00', 2);
      expect((await cardOf('丁客户')).ownerId).toBe(RIVAL.userId);
      expect(posted('丁客户', WARNED).map((c) => c.args.channel)).toEqual([SELLER.userId, RIVAL.userId]);
    });

    it('a claim gives the claimer what waited for the previous owner, and the ambassador month nobody had while pooled', async () => {
      const released = await cardOf('丙客户');
      expect(released.pooledAt).toBeInstanceOf(Date);
      expect(await nudgesOf('丙客户', 'promise')).toEqual([
        expect.objectContaining({ ownerId: SELLER.userId, status: 'pending' }),
      ]);
      expect(await nudgesOf('丙客户', 'ambassador')).toEqual([]);

      const list = await h.command('公海', RIVAL);
      const click = await h.clickButton(RIVAL, claimButtonFor(list.args.blocks, released._id));
      await h.fake.waitForResponse(click.responseUrl);
      expect((await cardOf('丙客户')).ownerId).toBe(RIVAL.userId);
      expect(await nudgesOf('丙客户', 'promise')).toEqual([
        expect.objectContaining({ ownerId: RIVAL.userId, status: 'pending' }),
      ]);
      expect(await nudgesOf('丙客户', 'ambassador')).toEqual([
        expect.objectContaining({ ownerId: RIVAL.userId, status: 'pending' }),
      ]);
    });
  });
});
