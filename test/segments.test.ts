import { ObjectId } from 'mongodb';
import { ACTION } from '../src/views/ids.js';
import { createCard, recordSale } from './support/flows.js';
import { collectionsOf, findButton, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const ADMIN = 'U9ADMIN';
// 10:00 in Shanghai: past the segmentation hour (02:00) of the day.
const h = useHarness({
  instances: 2,
  now: '2026-11-23T10:00:00+08:00',
  env: { ADMIN_USER_IDS: `UOTHERADMIN, ${ADMIN}`, SEGMENT_HOUR: '2' },
});

/** Each scenario ranks a workspace of its own: a team's ranking depends on all of its customers. */
const seller = (teamId: string): Actor => ({ teamId, userId: `U${teamId}` });
const admin = (teamId: string): Actor => ({ teamId, userId: ADMIN });

const { customers, history } = collectionsOf(h);

async function cardText(actor: Actor, name: string): Promise<string> {
  return visibleText((await h.command(name, actor)).args.blocks);
}

/** Records a sale from the card, as a user does; amounts in yuan as typed. */
const sell = (actor: Actor, name: string, amount: string, profit?: string) =>
  recordSale(h, actor, name, { amountFen: amount, profitFen: profit ?? null });

/** Customers each with one sale of `amount` and `profit` yuan. */
async function customersWithSales(
  actor: Actor,
  rows: [name: string, amount: number, profit?: number][],
): Promise<void> {
  for (const [name, amount, profit] of rows) {
    await createCard(h, actor, { name });
    await sell(actor, name, String(amount), profit === undefined ? undefined : String(profit));
  }
}

async function refreshAsAdmin(teamId: string): Promise<string> {
  return visibleText((await h.command('segments refresh', admin(teamId))).args.blocks);
}

async function placement(teamId: string, name: string) {
  const card = await customers().findOne({ teamId, name });
  return { segment: card?.segment, tier: card?.tier, abc: card?.abc, id: card?._id as ObjectId };
}

describe('ranked tiers', () => {
  const SMALL = 'TSMALL';
  const SEVEN: [string, number, number][] = [
    ['甲', 700, 70],
    ['乙', 600, 60],
    ['丙', 500, 50],
    ['丁', 400, 40],
    ['戊', 300, 30],
    ['己', 200, 20],
    ['庚', 100, 10],
  ];

  it('gives a team of 7 current customers exactly one 顶级, and ranks ABC by cumulative amount', async () => {
    await customersWithSales(seller(SMALL), SEVEN);
    expect(await refreshAsAdmin(SMALL)).toContain('现有客户 7 位，非积极客户 0 位，7 张卡片有变化');

    const tiers = Object.fromEntries(
      await Promise.all(SEVEN.map(async ([name]) => [name, (await placement(SMALL, name)).tier])),
    );
    // ⌈1 % × 7⌉ = 1 顶级, ⌈5 % × 7⌉ = 1 so no 大, ⌈20 % × 7⌉ = 2 so one 中.
    expect(tiers).toEqual({ 甲: 'top', 乙: 'medium', 丙: 'small', 丁: 'small', 戊: 'small', 己: 'small', 庚: 'small' });
    // Of ¥2,800: before 己 ¥2,500 have been bought (89 %: B), before 庚 ¥2,700 (96 %: C); the rest stay under 80 %.
    expect((await placement(SMALL, '戊')).abc).toBe('A');
    expect((await placement(SMALL, '己')).abc).toBe('B');
    expect((await placement(SMALL, '庚')).abc).toBe('C');
    expect(await cardText(seller(SMALL), '甲')).toContain('顶级客户 · A类');
    expect(await cardText(seller(SMALL), '庚')).toContain('小客户 · C类');
  });

  it('records the placement in the card history as made by the system', async () => {
    const top = await placement(SMALL, '甲');
    const entries = await history().find({ teamId: SMALL, customerId: top.id, action: 'tierChanged' }).toArray();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ userId: 'system' });
    expect(entries[0]!.changes).toEqual(
      expect.arrayContaining([
        { field: 'tier', to: 'top' },
        { field: 'abc', to: 'A' },
      ]),
    );
    // The first sale had already made it current; only what the ranking added is a change.
    expect(entries[0]!.changes.map((c: { field: string }) => c.field)).not.toContain('segment');
    const card = await h.command('甲', seller(SMALL));
    const { view } = await h.openModal(seller(SMALL), findButton(card.args.blocks, ACTION.history), {
      responseUrl: card.responseUrl,
    });
    const shown = visibleText(view.blocks);
    expect(shown).toContain('系统更新了客户分层');
    expect(shown).toContain('金字塔层级：（空） → 顶级客户');
  });

  it('moves a customer whose profit changed, and records each tier change', async () => {
    // 庚's profit (¥100) now leads: 甲 drops to 中 (place 2), 乙 to 小. Its ¥200 ties 己's for B.
    await sell(seller(SMALL), '庚', '100', '90');
    expect(await cardText(seller(SMALL), '庚')).toContain('小客户 · C类');
    expect(await refreshAsAdmin(SMALL)).toContain('3 张卡片有变化');

    expect(await placement(SMALL, '庚')).toMatchObject({ tier: 'top', abc: 'B' });
    expect(await placement(SMALL, '甲')).toMatchObject({ tier: 'medium' });
    expect(await placement(SMALL, '乙')).toMatchObject({ tier: 'small' });
    const last = await history()
      .find({ teamId: SMALL, customerId: (await placement(SMALL, '庚')).id, action: 'tierChanged' })
      .sort({ at: -1, _id: -1 })
      .limit(1)
      .next();
    expect(last).toMatchObject({ userId: 'system' });
    expect(last!.changes).toEqual(
      expect.arrayContaining([
        { field: 'tier', from: 'small', to: 'top' },
        { field: 'abc', from: 'C', to: 'B' },
      ]),
    );
    expect(await placement(SMALL, '己')).toMatchObject({ tier: 'small', abc: 'B' });
    // Unchanged cards are neither written nor given history.
    const untouched = await placement(SMALL, '丙');
    expect(await history().countDocuments({ teamId: SMALL, customerId: untouched.id, action: 'tierChanged' })).toBe(1);
  });

  it('keeps tied customers in the same tier, run after run', async () => {
    const TIE = 'TTIE';
    // 甲 and 乙 tie for the only 顶级 place of 7: both are 顶级; 丙 is third, past the 中 cut-off of 2.
    await customersWithSales(seller(TIE), [
      ['甲', 100, 50],
      ['乙', 200, 50],
      ['丙', 100, 40],
      ['丁', 100, 30],
      ['戊', 100, 20],
      ['己', 100, 10],
      // No profit given: its amount counts, and ties with 丁's profit.
      ['庚', 30],
    ]);
    await refreshAsAdmin(TIE);
    const names = ['甲', '乙', '丙', '丁', '戊', '己', '庚'];
    const placements = () => Promise.all(names.map(async (n) => ({ ...(await placement(TIE, n)), id: undefined })));
    const first = await placements();
    expect(first.map((p) => p.tier)).toEqual(['top', 'top', 'small', 'small', 'small', 'small', 'small']);
    // 丁 (profit ¥30) and 庚 (amount ¥30, no profit) tie on value; 甲, 丙…己 tie on amount: each tie shares its class.
    expect(new Set([0, 2, 3, 4, 5].map((i) => first[i]?.abc))).toEqual(new Set(['A']));

    expect(await refreshAsAdmin(TIE)).toContain('0 张卡片有变化');
    expect(await placements()).toEqual(first);
    expect(await history().countDocuments({ teamId: TIE, action: 'tierChanged' })).toBe(7);
  });
});

describe('segments from the card itself', () => {
  const PLAIN = 'TPLAIN';

  it('shows 疑虑 without contact, 潜在 once contacted, and current from the first sale on', async () => {
    const created = await createCard(h, seller(PLAIN), { name: '新客户' });
    expect(visibleText(created.shown.args.blocks)).toContain('疑虑客户');

    const { view } = await h.openModal(seller(PLAIN), findButton(created.shown.args.blocks, ACTION.logVisit));
    expect((await h.submitView(seller(PLAIN), view, { notes: '初次拜访' })).body).toBe('');
    expect(await cardText(seller(PLAIN), '新客户')).toContain('潜在客户');

    await sell(seller(PLAIN), '新客户', '800');
    expect(await cardText(seller(PLAIN), '新客户')).toContain('现有客户');
    expect(await placement(PLAIN, '新客户')).toMatchObject({ segment: 'current', tier: undefined });
  });
});

describe('who may refresh', () => {
  it('refuses anyone not listed in ADMIN_USER_IDS, and changes nothing', async () => {
    const REFUSED = 'TREFUSED';
    await customersWithSales(seller(REFUSED), [['甲', 100]]);
    const answer = visibleText((await h.command('segments refresh', seller(REFUSED))).args.blocks);
    expect(answer).toContain('只有管理员可以刷新客户分层');
    expect(await placement(REFUSED, '甲')).toMatchObject({ segment: 'current', tier: undefined });
  });

  it('lets a workspace admin or owner, as Slack reports it, refresh; not an admin of another workspace', async () => {
    const TEAM = 'TSLACKADMIN';
    await customersWithSales(seller(TEAM), [['乙', 100]]);
    h.fake.setUser('UELSEADMIN', 'TELSEWHERE', 'admin');
    const outsider = visibleText(
      (await h.command('segments refresh', { teamId: TEAM, userId: 'UELSEADMIN' })).args.blocks,
    );
    expect(outsider).toContain('只有管理员可以刷新客户分层');
    expect(await placement(TEAM, '乙')).toMatchObject({ segment: 'current', tier: undefined });

    h.fake.setUser('UOWNER1', TEAM, 'owner');
    const owner = visibleText((await h.command('segments refresh', { teamId: TEAM, userId: 'UOWNER1' })).args.blocks);
    expect(owner).toContain('现有客户 1 位');
    expect(await placement(TEAM, '乙')).toMatchObject({ segment: 'current', tier: 'top' });
  });
});

describe('the scheduled job', () => {
  const JOB = 'TJOB';
  const first = () => h.instances[0]!.app.refreshSegments();
  const second = () => h.instances[1]!.app.refreshSegments();

  it('runs once per team and day, however many instances run it', async () => {
    await customersWithSales(seller(JOB), [['甲', 100]]);
    const reports = (await Promise.all([first(), second()])).flat();
    expect(reports.filter((r) => r.teamId === JOB)).toHaveLength(1);
    expect(new Set(reports.map((r) => r.teamId)).size).toBe(reports.length);
    expect(await placement(JOB, '甲')).toMatchObject({ tier: 'top' });
    expect(await history().countDocuments({ teamId: JOB, action: 'tierChanged' })).toBe(1);
    expect(await first()).toEqual([]);
  });

  it('waits for the team-local segmentation hour of the next day', async () => {
    h.clock.set('2026-11-24T01:59:00+08:00');
    expect(await first()).toEqual([]);
    h.clock.set('2026-11-24T02:00:00+08:00');
    const reports = await Promise.all([first(), second()]);
    expect(reports.flat().filter((r) => r.teamId === JOB)).toHaveLength(1);
  });

  it('turns a customer without a sale in 12 months 非积极, and records it', async () => {
    // 新客户 (TPLAIN) last bought on 2026-11-23: on 2027-11-23 that sale leaves the window.
    h.clock.set('2027-11-23T03:00:00+08:00');
    await first();
    const card = await placement('TPLAIN', '新客户');
    expect(card).toMatchObject({ segment: 'inactive', tier: undefined, abc: undefined });
    expect(await cardText(seller('TPLAIN'), '新客户')).toContain('非积极客户');
    const entry = await history()
      .find({ customerId: card.id, action: 'tierChanged' })
      .sort({ at: -1, _id: -1 })
      .limit(1)
      .next();
    expect(entry).toMatchObject({ userId: 'system' });
    expect(entry!.changes).toEqual(
      expect.arrayContaining([
        { field: 'segment', from: 'current', to: 'inactive' },
        { field: 'tier', from: 'top' },
      ]),
    );
  });
});
