import { ACTION } from '../src/views/ids.js';
import { createCard, logContact as logContactFrom, recordSale } from './support/flows.js';
import { findButton, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const ADMIN = 'U9ADMIN';
const TEAM = 'TPLAN';
const SELLER: Actor = { teamId: TEAM, userId: 'USELLER' };
const COLLEAGUE: Actor = { teamId: TEAM, userId: 'UCOLLEAGUE' };
const IDLE: Actor = { teamId: TEAM, userId: 'UIDLE' };
const h = useHarness({ now: '2026-11-23T10:00:00+08:00', env: { ADMIN_USER_IDS: ADMIN, SEGMENT_HOUR: '2' } });

const sell = (name: string, fields: Record<string, unknown>) => recordSale(h, SELLER, name, fields);
const logContact = (actor: Actor, name: string, fields: Record<string, unknown>) =>
  logContactFrom(h, actor, name, fields);

async function plan(text: string, actor: Actor = SELLER) {
  const reply = await h.command(text, actor);
  return { blocks: reply.args.blocks as Record<string, any>[], text: visibleText(reply.args.blocks) };
}

const order = (text: string, names: string[]) => names.map((n) => text.indexOf(n));

// Ranked by the sales: 客户一 顶级, 客户二 中, the rest 小.
const BUYERS: [name: string, region: string | null, amount: number][] = [
  ['客户一', '华东', 700],
  ['客户二', '华东', 600],
  ['客户三', '华东 ', 500],
  ['客户四', '华南', 400],
  ['客户五', 'East', 300],
  ['客户六', ' east', 200],
  ['客户七', null, 100],
];

describe('/card plan', () => {
  beforeAll(async () => {
    for (const [name, region, amount] of BUYERS) {
      await createCard(h, SELLER, { name, region, ownerId: SELLER.userId });
      // 客户二 bought on credit, due 11-10 and unpaid: overdue money.
      await sell(
        name,
        name === '客户二'
          ? { date: '2026-11-01', dueDate: '2026-11-10', paidInFull: false, amountFen: String(amount) }
          : { amountFen: String(amount) },
      );
    }
    // Visited before its check-in fell due (11-08): the check-in still stands, and its 30-day cadence falls due 12-05.
    await logContact(SELLER, '客户二', {
      date: '2026-11-05',
      kind: 'visit',
      needs: '要新款样品',
      promise1: '寄样品',
      promise1Due: '2026-12-20',
    });
    await createCard(h, SELLER, { name: '潜在甲', region: '华东', ownerId: SELLER.userId });
    await logContact(SELLER, '潜在甲', { date: '2026-11-20', kind: 'phone' });
    await createCard(h, SELLER, { name: '远期乙', region: '华东', ownerId: SELLER.userId });
    await logContact(SELLER, '远期乙', { date: '2026-11-23', kind: 'phone' });
    await createCard(h, COLLEAGUE, { name: '别人的', region: '华东', ownerId: COLLEAGUE.userId });
    await logContact(COLLEAGUE, '别人的', { date: '2026-11-20', kind: 'phone' });
    expect(visibleText((await h.command('segments refresh', { teamId: TEAM, userId: ADMIN })).args.blocks)).toContain(
      '现有客户 7 位',
    );
    // 12-02: due by 12-05 counts. Check-ins (11-30), 客户一's 7 days (11-30), 潜在甲's 14 (12-04); 远期乙's 14 is 12-07.
    h.clock.set('2026-12-02T10:00:00+08:00');
  });

  it("lists the caller's due customers in the region, key customers first, each once, with tier, due, needs, money, promises and buttons", async () => {
    const { blocks, text } = await plan('plan 华东');
    expect(text).toContain('*拜访计划：华东*（4 位到期或即将到期');
    const listed = order(text, ['客户一', '客户二', '客户三', '潜在甲']);
    expect(listed.every((i) => i >= 0)).toBe(true);
    expect(listed).toEqual([...listed].sort((a, b) => a - b));
    for (const absent of ['远期乙', '别人的', '客户四', '客户五']) expect(text).not.toContain(absent);
    // Due by a check-in and by the cadence alike, listed once.
    expect(text.split('客户二').length - 1).toBe(1);
    expect(text).toContain('顶级客户 · 已超期 2 天');
    expect(text).toContain('中客户 · 已超期 24 天 · 逾期欠款 ¥600.00 · 未兑现承诺 1 项');
    expect(text).toContain('需求：要新款样品');
    expect(text).toContain('潜在客户 · 2 天后该联系');
    const id = (await h.db.collection('customers').findOne({ teamId: TEAM, name: '客户一' }))!._id.toHexString();
    expect(findButton(blocks, ACTION.openCard).value).toBe(id);
    expect(findButton(blocks, ACTION.cardBrief).value).toBe(id);
  });

  it('matches the region after trimming, case-insensitively for Latin; 计划 works too', async () => {
    const { text } = await plan('plan EAST');
    expect(text).toContain('*拜访计划：EAST*（2 位');
    expect(text).toContain('客户五');
    expect(text).toContain('客户六');
    expect((await plan('计划 华南')).text).toContain('客户四');
  });

  it('without a region groups the due customers by region, the region of the most key customer first', async () => {
    const { text } = await plan('plan');
    expect(text).toContain('*拜访计划*（8 位到期或即将到期');
    // 华东 holds the 顶级 customer; the others hold 小 ones only, in the order of their most overdue.
    const groups = order(text, ['*华东*（4 位）', '*华南*（1 位）', '*East*（2 位）', '*未填地区*（1 位）']);
    expect(groups.every((i) => i >= 0)).toBe(true);
    expect(groups[0]).toBe(Math.min(...groups));
    expect(text.indexOf('客户七')).toBeGreaterThan(text.indexOf('*未填地区*'));
    expect(text).not.toContain('别人的');
  });

  it('nothing due: a clear message', async () => {
    expect((await plan('plan 西北')).text).toBe('你在「西北」没有到期或即将到期要联系的客户。');
    expect((await plan('plan', IDLE)).text).toBe('你没有到期或即将到期要联系的客户。');
  });

  it('leaves out a customer whose due reminder a later contact has answered, posted or not', async () => {
    await createCard(h, SELLER, { name: '已联系丙', region: '华中', ownerId: SELLER.userId });
    await sell('已联系丙', { amountFen: '100' });
    const customerId = (await h.db.collection('customers').findOne({ teamId: TEAM, name: '已联系丙' }))!._id;
    h.clock.set('2026-12-10T10:00:00+08:00');
    const checkIn = await h.db
      .collection('nudges')
      .findOne({ teamId: TEAM, customerId, kind: 'checkIn', status: 'pending' });
    expect(checkIn).toMatchObject({ dueDate: '2026-12-09' });
    expect((await plan('plan 华中')).text).toContain('已联系丙');
    await logContact(SELLER, '已联系丙', { date: '2026-12-10', kind: 'phone' });
    expect(await h.db.collection('nudges').findOne({ _id: checkIn!._id })).toMatchObject({ status: 'pending' });
    expect((await plan('plan 华中')).text).toBe('你在「华中」没有到期或即将到期要联系的客户。');
    h.clock.set('2026-12-02T10:00:00+08:00');
  });

  it('caps the list with a "more" line, inside the 50-block limit', async () => {
    for (let i = 1; i <= 16; i++) {
      await createCard(h, SELLER, { name: `华北${i}号`, region: '华北', ownerId: SELLER.userId });
      await logContact(SELLER, `华北${i}号`, { date: '2026-11-20', kind: 'phone' });
    }
    const { blocks, text } = await plan('plan 华北');
    expect(text).toContain('（16 位');
    expect(text).toContain('还有 1 位没有列出。');
    expect(blocks.filter((b) => b.type === 'actions')).toHaveLength(15);
    const all = await plan('plan');
    expect(all.text).toContain('（24 位');
    expect(all.text).toContain('还有 9 位没有列出。');
    expect(all.blocks.length).toBeLessThanOrEqual(50);
  });
});
