import type { ObjectId } from 'mongodb';
import { ACTION } from '../src/views/ids.js';
import { createCard, editCard, logContact as logContactFrom, recordSale } from './support/flows.js';
import { findButton, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const ADMIN = 'U9ADMIN';
const TEAM = 'TCAD';
const SELLER: Actor = { teamId: TEAM, userId: 'USELLER' };
// Monday 2026-11-23 10:00 in Shanghai: past today's 09:00 nudge hour.
const h = useHarness({
  instances: 2,
  now: '2026-11-23T10:00:00+08:00',
  env: { ADMIN_USER_IDS: ADMIN, SEGMENT_HOUR: '2' },
});

const OPEN = ['pending', 'sending', 'sent', 'failed'];

async function idOf(name: string): Promise<ObjectId> {
  return (await h.db.collection('customers').findOne({ teamId: TEAM, name }))!._id;
}

async function openNudges(name: string, kind = 'cadence') {
  return h.db
    .collection('nudges')
    .find({ teamId: TEAM, customerId: await idOf(name), kind, status: { $in: OPEN } })
    .toArray();
}

/** What Slack accepted about a customer since `mark`, in any channel. */
function postedAbout(name: string, mark = 0) {
  return h.fake.calls
    .slice(mark)
    .filter((c) => c.method === 'chat.postMessage' && !c.error && String(c.args.text).includes(name));
}

const sell = (name: string, amount: string) => recordSale(h, SELLER, name, { amountFen: amount });
const logContact = (name: string, fields: Record<string, unknown>) => logContactFrom(h, SELLER, name, fields);

const markAmbassador = (name: string, ambassador = true) => editCard(h, SELLER, name, { ambassador });

// Seven current customers rank as one 顶级, one 中, five 小.
const RANKED: [string, number][] = [
  ['客户一', 700],
  ['客户二', 600],
  ['客户三', 500],
  ['客户四', 400],
  ['客户五', 300],
  ['客户六', 200],
  ['客户七', 100],
];

describe('contact cadence by tier', () => {
  beforeAll(async () => {
    for (const [name, amount] of RANKED) {
      await createCard(h, SELLER, { name, ownerId: SELLER.userId });
      await sell(name, String(amount));
    }
    await createCard(h, SELLER, { name: '潜在客户', ownerId: SELLER.userId });
    await logContact('潜在客户', { date: '2026-11-20', kind: 'phone', notes: '问了报价' });
    await createCard(h, SELLER, { name: '疑虑客户' });
  });

  it('a first sale uses 小 until ranked; the ranking moves each nudge to its tier; 潜在 counts from the contact; 疑虑 has none', async () => {
    // Never contacted: counted from the day the card was made.
    expect(await openNudges('客户一')).toEqual([
      expect.objectContaining({ dueDate: '2027-02-21', status: 'pending', ownerId: SELLER.userId }),
    ]);
    const refreshed = await h.command('segments refresh', { teamId: TEAM, userId: ADMIN });
    expect(visibleText(refreshed.args.blocks)).toContain('现有客户 7 位');

    expect(await openNudges('客户一')).toEqual([expect.objectContaining({ dueDate: '2026-11-30', status: 'pending' })]);
    expect(await openNudges('客户二')).toEqual([expect.objectContaining({ dueDate: '2026-12-23' })]);
    expect(await openNudges('客户三')).toEqual([expect.objectContaining({ dueDate: '2027-02-21' })]);
    const [top] = await openNudges('客户一');
    expect(top!.nextAttemptAt.toISOString()).toBe('2026-11-30T01:00:00.000Z');
    expect(await openNudges('潜在客户')).toEqual([expect.objectContaining({ dueDate: '2026-12-04' })]);
    expect(await openNudges('疑虑客户')).toEqual([]);
  });

  it('posts at the interval at the nudge hour, once across two instances, to the owner, with tier, days and topic', async () => {
    await h.scanAt('2026-11-30T08:59:59+08:00', 2);
    expect(postedAbout('客户一')).toHaveLength(0);
    // The sale's check-in falls on the same day and goes first; the cadence nudge waits a day.
    await h.scanAt('2026-11-30T09:00:00+08:00', 2);
    expect(postedAbout('客户一')).toHaveLength(1);
    expect(visibleText(postedAbout('客户一')[0]!.args.blocks)).toContain('售后回访');
    await h.scanAt('2026-12-01T09:00:00+08:00', 2);
    const [, top] = postedAbout('客户一');
    expect(postedAbout('客户一')).toHaveLength(2);
    expect(top!.args.channel).toBe(SELLER.userId);
    const text = visibleText(top!.args.blocks);
    expect(text).toContain('是顶级客户，每 7 天至少联系一次');
    expect(text).toContain('上次联络：还没有记录');
    findButton(top!.args.blocks, ACTION.nudgeLogVisit);
    findButton(top!.args.blocks, ACTION.snoozeWeek);
    // The next one, a week from the day it was posted; the posted one stays answerable.
    expect((await openNudges('客户一')).map((n) => [n.dueDate, n.status])).toEqual(
      expect.arrayContaining([
        ['2026-12-01', 'sent'],
        ['2026-12-08', 'pending'],
      ]),
    );

    await h.scanAt('2026-12-04T09:00:00+08:00', 2);
    const [potential] = postedAbout('潜在客户');
    const said = visibleText(potential!.args.blocks);
    expect(said).toContain('是潜在客户，每 14 天至少联系一次');
    expect(said).toContain('上次联络：2026-11-20（14 天前，间隔 14 天）');
    expect(said).toContain('谈了：问了报价');

    // Log contact from the nudge: it is answered, and the next one counts from the contact.
    const messageTs = '1700000000.000301';
    const { view } = await h.openModal(SELLER, findButton(potential!.args.blocks, ACTION.nudgeLogVisit), {
      channel: SELLER.userId,
      messageTs,
    });
    expect((await h.submitView(SELLER, view, { kind: 'phone', notes: '报了价' })).body).toBe('');
    expect(
      await h.db
        .collection('nudges')
        .findOne({ customerId: await idOf('潜在客户'), kind: 'cadence', dueDate: '2026-12-04' }),
    ).toMatchObject({ status: 'done' });
    expect(await openNudges('潜在客户')).toEqual([
      expect.objectContaining({ dueDate: '2026-12-18', status: 'pending' }),
    ]);
  });

  it('one contact nudge per customer per day when cadence and a follow-up coincide; the cadence comes the next day', async () => {
    h.clock.set('2026-12-05T15:00:00+08:00');
    await logContact('客户一', {
      date: '2026-12-05',
      kind: 'visit',
      notes: '看了样品',
      nextFollowUpDate: '2026-12-12',
      nextFollowUpPlan: '送报价',
    });
    expect((await openNudges('客户一')).filter((n) => n.status === 'pending')).toEqual([
      expect.objectContaining({ dueDate: '2026-12-12' }),
    ]);

    const mark = h.fake.calls.length;
    await h.scanAt('2026-12-12T09:00:00+08:00', 2);
    expect(postedAbout('客户一', mark)).toHaveLength(1);
    expect(visibleText(postedAbout('客户一', mark)[0]!.args.blocks)).toContain('送报价');
    await h.scanAt('2026-12-13T09:00:00+08:00', 2);
    const both = postedAbout('客户一', mark);
    expect(both).toHaveLength(2);
    expect(visibleText(both[1]!.args.blocks)).toContain('该联系客户了');
  });

  it('a logged contact restarts the interval', async () => {
    h.clock.set('2026-12-14T15:00:00+08:00');
    await logContact('客户二', {
      date: '2026-12-14',
      kind: 'visit',
      notes: '谈了续约',
      nextFollowUpDate: '2027-01-13',
      nextFollowUpPlan: '签续约',
    });
    expect(await openNudges('客户二')).toEqual([expect.objectContaining({ dueDate: '2027-01-13', status: 'pending' })]);
  });

  it('one contact nudge per customer per day when cadence, ambassador and follow-up coincide', async () => {
    // All three fall on 01-13: the follow-up set at the visit, its 中 interval, and (once marked) the ambassador's
    // month.
    expect(await openNudges('客户二', 'followUp')).toEqual([
      expect.objectContaining({ dueDate: '2027-01-13', status: 'pending' }),
    ]);
    await markAmbassador('客户二');
    expect(await openNudges('客户二', 'ambassador')).toEqual([
      expect.objectContaining({ dueDate: '2027-01-13', status: 'pending' }),
    ]);
    // The ambassador's month replaces the tier cadence at once.
    expect(await openNudges('客户二')).toEqual([]);
    expect(
      await h.db
        .collection('nudges')
        .findOne({ customerId: await idOf('客户二'), kind: 'cadence', dueDate: '2027-01-13' }),
    ).toMatchObject({ status: 'cancelled' });

    const mark = h.fake.calls.length;
    await h.scanAt('2027-01-13T09:00:00+08:00', 2);
    const day1 = postedAbout('客户二', mark);
    expect(day1).toHaveLength(1);
    expect(visibleText(day1[0]!.args.blocks)).toContain('签续约');

    const next = h.fake.calls.length;
    await h.scanAt('2027-01-14T09:00:00+08:00', 2);
    const day2 = postedAbout('客户二', next);
    expect(day2).toHaveLength(1);
    expect(visibleText(day2[0]!.args.blocks)).toContain('宣传大使联络');
    // An ambassador has no tier cadence: the monthly one covers it.
    expect(await openNudges('客户二')).toEqual([]);
    expect(postedAbout('客户二', mark).some((c) => visibleText(c.args.blocks).includes('该联系客户了'))).toBe(false);
  });

  it('cards from before the cadence get one nudge each at boot, once across instances', async () => {
    await h.db.collection('nudges').deleteMany({ teamId: TEAM, kind: 'cadence' });
    await h.db.collection('bootSteps').deleteOne({ _id: 'cadence' as never });
    h.clock.set('2027-01-20T10:00:00+08:00');
    await Promise.all(h.instances.map((i) => i.app.carryOverReminders()));
    await Promise.all(h.instances.map((i) => i.app.carryOverReminders()));

    for (const [name] of RANKED.filter(([n]) => n !== '客户二')) expect(await openNudges(name)).toHaveLength(1);
    // 客户三 was made 2026-11-23 and never contacted: 小's 90 days from then.
    expect(await openNudges('客户三')).toEqual([expect.objectContaining({ dueDate: '2027-02-21' })]);
    // 潜在客户's last contact is long past its 14 days: the next nudge hour.
    expect(await openNudges('潜在客户')).toEqual([expect.objectContaining({ dueDate: '2027-01-21' })]);
    expect(await openNudges('客户二')).toEqual([]);
    expect(await openNudges('疑虑客户')).toEqual([]);
  });

  it('a card no longer an ambassador gets its tier cadence back, from its last contact', async () => {
    await markAmbassador('客户二', false);
    // Its last contact (2026-12-14) is more than 30 days ago: the next nudge hour.
    expect(await openNudges('客户二')).toEqual([expect.objectContaining({ dueDate: '2027-01-21', status: 'pending' })]);
  });
});

describe('one contact nudge per customer per day, between the person-set kinds', () => {
  it('a check-in due the day of a follow-up waits a day', async () => {
    h.clock.set('2027-02-01T10:00:00+08:00');
    await createCard(h, SELLER, { name: '回访客户', ownerId: SELLER.userId });
    await sell('回访客户', '800');
    await logContact('回访客户', {
      date: '2027-02-01',
      kind: 'visit',
      notes: '交了货',
      nextFollowUpDate: '2027-02-08',
      nextFollowUpPlan: '看安装效果',
    });
    expect((await openNudges('回访客户', 'checkIn')).map((n) => n.dueDate)).toEqual(['2027-02-08']);

    const mark = h.fake.calls.length;
    await h.scanAt('2027-02-08T09:00:00+08:00', 2);
    expect(postedAbout('回访客户', mark)).toHaveLength(1);
    expect(visibleText(postedAbout('回访客户', mark)[0]!.args.blocks)).toContain('看安装效果');
    await h.scanAt('2027-02-09T09:00:00+08:00', 2);
    const both = postedAbout('回访客户', mark);
    expect(both).toHaveLength(2);
    expect(visibleText(both[1]!.args.blocks)).toContain('售后回访');
  });
});
