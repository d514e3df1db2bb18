import { eventually } from './support/eventually.js';
import { ACTION } from '../src/views/ids.js';
import { createCard, logContact, recordReferral, recordSale } from './support/flows.js';
import { findButton, TEAM_A, TEAM_A_COLLEAGUE, TEAM_B, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const ADMIN = 'U9ADMIN';
// The nightly segmentation never runs on its own here (the clock stays before 23:00): team B is never ranked.
const h = useHarness({ now: '2026-11-23T10:00:00+08:00', env: { ADMIN_USER_IDS: ADMIN, SEGMENT_HOUR: '23' } });

type Blocks = Record<string, any>[];

/** The text of one block of a view, by block id. */
const blockText = (view: Record<string, any>, blockId: string): string =>
  visibleText((view.blocks as Blocks).filter((b) => b.block_id === blockId));

/** The rows of one Home list, in order, as text. */
const rowsOf = (view: Record<string, any>, list: string): string[] =>
  (view.blocks as Blocks)
    .filter((b) => new RegExp(`^home_${list}_\\d+$`).test(b.block_id ?? ''))
    .map((b) => visibleText([b]));

/** Logs a visit from the card; returns the point in the call log just before it was saved. */
const logVisit = (actor: Actor, name: string, fields: Record<string, unknown>) =>
  logContact(h, actor, name, { notes: '拜访', ...fields });

/** A sale of one air conditioner; paid or not as `fields` say. */
const sell = (actor: Actor, name: string, fields: Record<string, unknown>) =>
  recordSale(h, actor, name, { paidInFull: false, ...fields });

const refer = (actor: Actor, referrer: string, prospect: string) => recordReferral(h, actor, referrer, prospect);

/**
 * One of each thing Home lists, all owned by `actor`, made on 2026-11-23;
 * by 2026-11-30 each is due: a follow-up overdue and one today, an
 * ambassador never contacted, a promise, a check-in a week after a sale,
 * money overdue, a referral that bought and waits for thanks.
 */
async function oneOfEach(actor: Actor, prefix: string): Promise<void> {
  await createCard(h, actor, { name: `${prefix}跟进甲` });
  await logVisit(actor, `${prefix}跟进甲`, { nextFollowUpDate: '2026-11-25', nextFollowUpPlan: '送样品' });
  await createCard(h, actor, { name: `${prefix}跟进乙` });
  await logVisit(actor, `${prefix}跟进乙`, { nextFollowUpDate: '2026-11-30', nextFollowUpPlan: '报价' });
  await createCard(h, actor, { name: `${prefix}大使丙`, ambassador: true });
  await createCard(h, actor, { name: `${prefix}承诺丁` });
  await logVisit(actor, `${prefix}承诺丁`, { promise1: '寄合同', promise1Due: '2026-11-27' });
  await createCard(h, actor, { name: `${prefix}欠款戊` });
  await sell(actor, `${prefix}欠款戊`, { amountFen: '20000', date: '2026-10-01', dueDate: '2026-10-15' });
  await createCard(h, actor, { name: `${prefix}回访己` });
  await sell(actor, `${prefix}回访己`, { amountFen: '300', paidInFull: true });
  await createCard(h, actor, { name: `${prefix}介绍人庚` });
  await refer(actor, `${prefix}介绍人庚`, `${prefix}新客辛`);
  await sell(actor, `${prefix}新客辛`, { amountFen: '800', paidInFull: true });
}

describe('App Home', () => {
  let home: Record<string, any>;

  beforeAll(async () => {
    await oneOfEach(TEAM_A, '');
    await oneOfEach(TEAM_B, '乙队');
    await h.command('segments refresh', { teamId: TEAM_A.teamId, userId: ADMIN });
    h.clock.set('2026-11-30T10:00:00+08:00');
    home = await h.openHome(TEAM_A);
  });

  it("publishes the viewer's day: each list with its customers, what is due and the two buttons", () => {
    expect(home.type).toBe('home');
    expect(rowsOf(home, 'followups_overdue')).toEqual([expect.stringMatching(/跟进甲.*到期 2026-11-25.*送样品/)]);
    expect(rowsOf(home, 'followups_today')).toEqual([expect.stringMatching(/跟进乙.*到期 2026-11-30.*报价/)]);
    expect(rowsOf(home, 'ambassadors')).toEqual([expect.stringMatching(/大使丙.*到期 2026-11-24/)]);
    expect(rowsOf(home, 'promises')).toEqual([expect.stringMatching(/承诺丁.*到期 2026-11-27.*寄合同/)]);
    // Check-ins a week after each sale; the overdue sale's own, from October, too.
    expect(rowsOf(home, 'contact').join('\n')).toMatch(/回访己.*到期 2026-11-30/);
    // The 顶级 customer, never contacted since its card was made on 11-23, is due by its 7-day cadence.
    expect(rowsOf(home, 'contact').join('\n')).toMatch(/欠款戊.*到期 2026-11-30/);
    expect(rowsOf(home, 'overdue')).toEqual([expect.stringMatching(/欠款戊.*逾期未收 ¥20,000\.00，最久 46 天/)]);
    expect(blockText(home, 'home_overdue')).toContain('共 ¥20,000.00');
    const row = (home.blocks as Blocks).find((b) => b.block_id === 'home_followups_overdue_0_buttons')!;
    expect(row.elements.map((e: Record<string, any>) => e.action_id)).toEqual([ACTION.openCard, ACTION.cardBrief]);
    expect(new Set(row.elements.map((e: Record<string, any>) => e.value)).size).toBe(1);
  });

  it("shows the viewer's pyramid and, for the whole team, tiers, overdue by quadrant and referrals awaiting thanks", () => {
    const text = visibleText(home.blocks);
    // Three current customers (one ranked 顶级, two 小); cards with a visit are 潜在, the rest 疑虑.
    expect(text).toMatch(
      /我的客户金字塔\*\n顶级客户 1 · 大客户 0 · 中客户 0 · 小客户 2 · 新成交（待分层） 0 · 非积极客户 0 · 潜在客户 3 · 疑虑客户 2/,
    );
    expect(text).toMatch(/团队客户分层\*\n顶级客户 1 · 大客户 0 · 中客户 0 · 小客户 2/);
    expect(text).toContain('长期大额 ¥20,000.00');
    expect(text).toContain('短期小额 ¥0.00');
    expect(rowsOf(home, 'thanks')).toEqual(['*介绍人庚* 介绍了 新客辛']);
    expect(text).not.toContain('乙队');
  });

  it('has a card search that opens the card chosen, in the DM with the app', async () => {
    const search = (home.blocks as Blocks).find((b) => b.block_id === 'home_search')!;
    expect(search.elements[0]).toMatchObject({ type: 'external_select', action_id: ACTION.cardPicker });
    const card = await h.db.collection('customers').findOne({ teamId: TEAM_A.teamId, name: '承诺丁' });
    const after = h.fake.mark();
    await h.homeAction(TEAM_A, {
      type: 'external_select',
      action_id: ACTION.cardPicker,
      selected_option: { value: card!._id.toString() },
    });
    const shown = await h.fake.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === TEAM_A.userId && visibleText(c.args.blocks).includes('承诺丁'),
      after,
    );
    findButton(shown.args.blocks, ACTION.logVisit);
  });

  it("a row's Open button posts that card to the viewer's DM", async () => {
    const open = findButton(home.blocks, ACTION.openCard);
    const after = h.fake.mark();
    await h.homeAction(TEAM_A, { type: 'button', ...open });
    // The scheduler's own scans may post reminders to the same DM meanwhile: wait for the card.
    const shown = await h.fake.waitFor(
      'chat.postMessage',
      (c) => c.args.channel === TEAM_A.userId && visibleText(c.args.blocks).includes('跟进甲'),
      after,
    );
    findButton(shown.args.blocks, ACTION.logVisit);
  });

  it('another user sees their own lists and the same team figures; another team sees only its own', async () => {
    const colleague = await h.openHome(TEAM_A_COLLEAGUE);
    expect(blockText(colleague, 'home_followups_overdue')).toContain('暂无');
    expect(visibleText(colleague.blocks)).not.toContain('跟进甲');
    expect(visibleText(colleague.blocks)).toMatch(/团队客户分层\*\n顶级客户 1/);
    expect(rowsOf(colleague, 'thanks')).toEqual(['*介绍人庚* 介绍了 新客辛']);

    const other = await h.openHome(TEAM_B);
    expect(rowsOf(other, 'followups_overdue')).toEqual([expect.stringContaining('乙队跟进甲')]);
    expect(rowsOf(other, 'thanks')).toEqual(['*乙队介绍人庚* 介绍了 乙队新客辛']);
    // Team B's segments were never refreshed: nothing ranked there.
    expect(visibleText(other.blocks)).toMatch(/团队客户分层\*\n顶级客户 0 · 大客户 0 · 中客户 0 · 小客户 0/);
    expect(visibleText(other.blocks)).not.toMatch(/(^|[^队])跟进甲/);
  });

  it('is republished after the user logs a visit, and for the owner when a colleague changes their card', async () => {
    // Opening the visit modal republishes too, possibly just after the save began: wait for the view showing the visit.
    const publishedFor = (userId: string, after: number, shows: (view: Record<string, any>) => boolean) =>
      h.fake.waitFor('views.publish', (c) => c.args.user_id === userId && shows(c.args.view), after);
    let after = await logVisit(TEAM_A, '跟进甲', { nextFollowUpDate: '2026-12-05', nextFollowUpPlan: '再谈' });
    await publishedFor(TEAM_A.userId, after, (view) => blockText(view, 'home_followups_overdue').includes('暂无'));

    after = await logVisit(TEAM_A_COLLEAGUE, '跟进乙', { nextFollowUpDate: '2026-12-06', nextFollowUpPlan: '签约' });
    await publishedFor(TEAM_A.userId, after, (view) => blockText(view, 'home_followups_today').includes('暂无'));
  });

  it('is republished for whoever the nudge scan just reminded', async () => {
    const after = h.fake.mark();
    await h.scanOnEveryInstance();
    const published = await h.fake.waitFor('views.publish', (c) => c.args.user_id === TEAM_A.userId, after);
    expect(rowsOf(published.args.view, 'promises')).toEqual([expect.stringContaining('承诺丁')]);
  });

  it("answers the event at once: Slack's deadline does not wait for the view to be published", async () => {
    const held = h.fake.holdNext('views.publish');
    const res = await h.event(TEAM_A, { type: 'app_home_opened', channel: 'DHOME', tab: 'home' });
    expect(res.status).toBe(200);
    // The publish the answer did not wait for, never answered by the fake.
    expect((await held).args.user_id).toBe(TEAM_A.userId);
  });

  it('opening the Messages tab publishes nothing and is not remembered', async () => {
    const newcomer = { teamId: TEAM_A.teamId, userId: 'U3NEWCOMER' };
    const after = h.fake.mark();
    const res = await h.event(newcomer, { type: 'app_home_opened', channel: 'DHOME', tab: 'messages' });
    expect(res.status).toBe(200);
    // A Home opened after it is published; by then the Messages tab's event has long been handled.
    await h.openHome({ teamId: TEAM_A.teamId, userId: 'U4LATER' });
    expect(
      h.fake.calls.slice(after).filter((c) => c.method === 'views.publish' && c.args.user_id === newcomer.userId),
    ).toEqual([]);
    expect(await h.db.collection('homeOpens').countDocuments({ userId: newcomer.userId })).toBe(0);
  });

  it('remembers an opening once in ten minutes: flicking back to Home publishes it but writes nothing more', async () => {
    const flicker = { teamId: TEAM_A.teamId, userId: 'U5FLICKER' };
    const openedAt = async () => (await h.db.collection('homeOpens').findOne({ userId: flicker.userId }))?.openedAt;
    try {
      h.clock.set('2026-11-30T10:00:00+08:00');
      await h.openHome(flicker);
      await eventually(async () => expect(await openedAt()).toEqual(new Date('2026-11-30T10:00:00+08:00')));
      h.clock.set('2026-11-30T10:09:00+08:00');
      const again = h.fake.mark();
      await h.openHome(flicker);
      // A Home opened after it is published: by then the opening's own write, had there been one, was long done.
      await h.openHome({ teamId: TEAM_A.teamId, userId: 'U4LATER' });
      expect(
        h.fake.calls.slice(again).some((c) => c.method === 'views.publish' && c.args.user_id === flicker.userId),
      ).toBe(true);
      expect(await openedAt()).toEqual(new Date('2026-11-30T10:00:00+08:00'));
      h.clock.set('2026-11-30T10:11:00+08:00');
      await h.openHome(flicker);
      await eventually(async () => expect(await openedAt()).toEqual(new Date('2026-11-30T10:11:00+08:00')));
    } finally {
      h.clock.set('2026-11-30T10:00:00+08:00');
    }
  });
});

describe('App Home at its block limit', () => {
  const FULL: Actor = { teamId: 'TFULL', userId: 'UFULL' };

  beforeAll(async () => {
    h.clock.set('2026-11-23T10:00:00+08:00');
    // One more of each than a list shows, so every list is full and says how many more.
    for (let i = 0; i < 5; i++) await oneOfEach(FULL, `满${i}`);
    h.clock.set('2026-11-30T10:00:00+08:00');
  }, 120_000);

  it('shows the first rows of every list, says how many more and where, and stays within 100 blocks', async () => {
    const home = await h.openHome(FULL);
    expect(home.blocks.length).toBeLessThanOrEqual(100);
    for (const list of ['followups_overdue', 'followups_today', 'ambassadors', 'promises', 'overdue', 'thanks']) {
      expect(rowsOf(home, list)).toHaveLength(4);
    }
    expect(blockText(home, 'home_followups_overdue_more')).toBe('还有 1 条，会陆续提醒你');
    expect(blockText(home, 'home_overdue_more')).toBe('还有 1 条，用 `/card overdue` 查看全部');
    expect(blockText(home, 'home_thanks_more')).toBe('还有 1 条，用 `/card referrals` 查看全部');
    expect(blockText(home, 'home_overdue')).toContain('（5 位，共 ¥100,000.00）');
  });
});
