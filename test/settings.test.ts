import { ACTION } from '../src/views/ids.js';
import { createCard, recordSale } from './support/flows.js';
import { findButton, NUDGE_CHANNEL, TEAM_A, TEAM_A_COLLEAGUE, TEAM_B, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const ADMIN: Actor = { teamId: TEAM_A.teamId, userId: 'U1ADMIN' };
const TEAM_B_ADMIN: Actor = { teamId: TEAM_B.teamId, userId: 'U9BADMIN' };
const NEW_CHANNEL = 'CNEWNUDGES';
const h = useHarness({ now: '2026-11-23T10:00:00+08:00', env: { ADMIN_USER_IDS: ADMIN.userId } });

beforeAll(() => {
  h.fake.setUser(TEAM_B_ADMIN.userId, TEAM_B.teamId, 'admin');
  h.fake.setUser(TEAM_A.userId, TEAM_A.teamId, 'member');
});

const team = (teamId: string) => h.db.collection('teams').findOne({ _id: teamId as never });
const changesOf = (teamId: string) => h.db.collection('settingsChanges').find({ teamId }).sort({ at: 1 }).toArray();

/** The settings modal as the admin of `actor`'s team opens it from Home. */
async function settingsModal(actor: Actor = ADMIN): Promise<Record<string, any>> {
  const { view } = await h.openModal(actor, { action_id: ACTION.editSettings, value: 'edit' });
  return view;
}

describe('team settings in App Home', () => {
  it('shows an admin the Edit button and everyone else the same settings read-only', async () => {
    const admin = await h.openHome(ADMIN);
    findButton(admin.blocks, ACTION.editSettings);
    const member = await h.openHome(TEAM_A);
    expect(() => findButton(member.blocks, ACTION.editSettings)).toThrow();
    expect(visibleText(member.blocks)).toContain('只有管理员可以修改团队设置');
    expect(visibleText(member.blocks)).toContain(`提醒频道：<#${NUDGE_CHANNEL}>`);
    expect(visibleText(member.blocks)).toContain('每天提醒时间（点）：9:00');
  });

  it('labels its close button in the team language, and offers public channels only for nudges (no groups:read)', async () => {
    const view = await settingsModal();
    expect(view.close?.text).toBe('取消');
    const channel = view.blocks.find((b: Record<string, any>) => b.block_id === 'nudgeChannel');
    expect(channel.element.filter).toEqual({
      include: ['public'],
      exclude_bot_users: true,
      exclude_external_shared_channels: true,
    });
    expect(channel.hint.text).toContain('只能选公开频道');
  });

  it('refuses a crafted submission from a non-admin, changing nothing', async () => {
    const view = await settingsModal();
    const res = await h.submitView(TEAM_A, view, { nudgeHour: '15' });
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { nudgeChannel: expect.stringContaining('只有管理员') },
    });
    expect((await team(TEAM_A.teamId))?.nudgeHour).toBeUndefined();
    expect(await changesOf(TEAM_A.teamId)).toEqual([]);
  });

  it('answers a value out of range with an inline error on that field', async () => {
    const view = await settingsModal();
    const res = await h.submitView(ADMIN, view, { 'collection.longAfterDays': '0', 'cadenceDays.top': '9999' });
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: {
        'collection.longAfterDays': '请输入 1 到 365 之间的整数',
        'cadenceDays.top': '请输入 1 到 365 之间的整数',
      },
    });
    expect(await changesOf(TEAM_A.teamId)).toEqual([]);
  });

  it("another workspace's admin changes only their own team and never sees this one's settings", async () => {
    const view = await settingsModal(TEAM_B_ADMIN);
    expect((await h.submitView(TEAM_B_ADMIN, view, { nudgeHour: '7' })).body).toBe('');
    expect((await team(TEAM_B.teamId))?.nudgeHour).toBe(7);
    expect((await team(TEAM_A.teamId))?.nudgeHour).toBeUndefined();
    expect(await changesOf(TEAM_A.teamId)).toEqual([]);
  });

  describe('an admin saving new settings', () => {
    beforeAll(async () => {
      // ¥500 ten days overdue: 短期小额 under the default 30 days.
      await createCard(h, TEAM_A, { name: '欠款客户' });
      const card = await h.command('欠款客户');
      const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.recordSale));
      expect(
        (
          await h.submitView(TEAM_A, view, {
            product: '货款',
            quantity: 1,
            amountFen: '500',
            date: '2026-11-01',
            dueDate: '2026-11-13',
          })
        ).body,
      ).toBe('');
      // A follow-up for tomorrow, scheduled at the old hour (09:00) before the hour changes.
      const visit = await h.openModal(TEAM_A, findButton((await h.command('欠款客户')).args.blocks, ACTION.logVisit));
      expect(
        (
          await h.submitView(TEAM_A, visit.view, {
            kind: 'visit',
            nextFollowUpDate: '2026-11-24',
            nextFollowUpPlan: '送合同',
          })
        ).body,
      ).toBe('');
      h.fake.botNotIn(NEW_CHANNEL);
      const settings = await settingsModal();
      const after = h.fake.mark();
      const res = await h.submitView(ADMIN, settings, {
        nudgeChannel: NEW_CHANNEL,
        nudgeHour: '11',
        'collection.longAfterDays': '5',
        'cadenceDays.top': '10',
      });
      expect(res.body).toBe('');
      await h.fake.waitFor(
        'chat.postMessage',
        (c) => c.args.channel === ADMIN.userId && String(c.args.text).includes('/invite @客户卡'),
        after,
      );
    });

    it('records each change (who, what, from, to) and shows the latest in Home', async () => {
      const changes = await changesOf(TEAM_A.teamId);
      expect(changes.map(({ field, from, to, userId }) => ({ field, from, to, userId }))).toEqual(
        expect.arrayContaining([
          { field: 'nudgeChannel', from: NUDGE_CHANNEL, to: NEW_CHANNEL, userId: ADMIN.userId },
          { field: 'nudgeHour', from: 9, to: 11, userId: ADMIN.userId },
          { field: 'collection.longAfterDays', from: 30, to: 5, userId: ADMIN.userId },
          { field: 'cadenceDays.top', from: 7, to: 10, userId: ADMIN.userId },
        ]),
      );
      expect(changes).toHaveLength(4);
      const home = await h.openHome(TEAM_A_COLLEAGUE);
      const text = visibleText(home.blocks);
      expect(text).toContain(`<@${ADMIN.userId}> 把「每天提醒时间（点）」从 9:00 改为 11:00`);
      expect(text).toContain('联络周期（天）：顶级客户：10');
    });

    it('moves the collection quadrant by the new threshold', async () => {
      const home = await h.openHome(TEAM_A);
      expect(visibleText(home.blocks)).toContain('长期小额 ¥500.00');
      expect(visibleText(home.blocks)).toContain('短期小额 ¥0.00');
    });

    it('moves reminders already scheduled to the new hour, in the new channel, in the team language', async () => {
      const followUps = () =>
        h.fake
          .accepted('chat.postMessage')
          .filter((c) => String(c.args.text).includes('欠款客户') && visibleText(c.args.blocks).includes('送合同'));
      h.clock.set('2026-11-24T10:00:00+08:00');
      await h.scanOnEveryInstance();
      expect(followUps()).toEqual([]);
      h.clock.set('2026-11-24T11:00:00+08:00');
      await h.scanOnEveryInstance();
      expect(followUps().map((c) => c.args.channel)).toEqual([NEW_CHANNEL]);
      expect(visibleText(followUps()[0]!.args.blocks)).toContain('记录拜访');
    });

    it('a second admin saving from the same version is told someone else saved first', async () => {
      const stale = await settingsModal();
      const fresh = await settingsModal();
      expect((await h.submitView(ADMIN, fresh, { nudgeHour: '12' })).body).toBe('');
      const res = await h.submitView(ADMIN, stale, { nudgeHour: '13' });
      expect(res.json().errors.nudgeChannel).toContain('另一位管理员');
      expect((await team(TEAM_A.teamId))?.nudgeHour).toBe(12);
    });
  });
});

describe('language per person', () => {
  it('a user choosing English gets English while a colleague keeps Chinese and channel nudges keep the team language', async () => {
    await h.openHome(TEAM_A);
    const after = h.fake.mark();
    await h.homeAction(TEAM_A, {
      type: 'static_select',
      action_id: ACTION.chooseLocale,
      selected_option: { value: 'en' },
    });
    const home = await h.fake.waitFor(
      'views.publish',
      (c) => c.args.user_id === TEAM_A.userId && visibleText(c.args.view.blocks).includes('Team settings'),
      after,
    );
    expect(visibleText(home.args.view.blocks)).toContain('My language');

    expect(visibleText((await h.command('没有这个人', TEAM_A)).args.blocks)).toContain('No card found');
    expect(visibleText((await h.command('没有这个人', TEAM_A_COLLEAGUE)).args.blocks)).not.toContain('No card found');

    // The overdue reminder first went out on 11-24 (the 10:00 scan: overdue since 11-14); it repeats 7 days later.
    h.clock.set('2026-12-01T12:00:00+08:00');
    const scanned = h.fake.mark();
    await h.scanOnEveryInstance();
    const posted = h.fake.calls
      .slice(scanned)
      .filter((c) => c.method === 'chat.postMessage' && c.args.channel === NEW_CHANNEL && !c.error);
    expect(posted.length).toBeGreaterThan(0);
    expect(visibleText(posted[0]!.args.blocks)).toContain('逾期催款');
  });

  it("what the app posts to a person's DM is in their language: the wrap-up in English for one, in Chinese for the colleague", async () => {
    h.clock.set('2026-12-01T15:00:00+08:00');
    for (const [actor, name] of [
      [TEAM_A, '英文成交客户'],
      [TEAM_A_COLLEAGUE, '中文成交客户'],
    ] as const) {
      await createCard(h, actor, { name });
      await recordSale(h, actor, name, { amountFen: '800' });
    }
    h.clock.set('2026-12-01T18:00:00+08:00');
    const scanned = h.fake.mark();
    await h.scanOnEveryInstance();
    const dmTo = (userId: string) =>
      h.fake.calls
        .slice(scanned)
        .filter((c) => c.method === 'chat.postMessage' && c.args.channel === userId && !c.error);
    const [english] = dmTo(TEAM_A.userId);
    expect(String(english!.args.text)).toContain('Your wrap-up for today');
    expect(visibleText(english!.args.blocks)).toContain('Bought today');
    expect(visibleText(english!.args.blocks)).toContain('英文成交客户');
    const [chinese] = dmTo(TEAM_A_COLLEAGUE.userId);
    expect(String(chinese!.args.text)).toContain('今天的日终小结');
    expect(visibleText(chinese!.args.blocks)).toContain('中文成交客户');
  });
});
