import { ObjectId } from 'mongodb';
import { LunarDay } from 'tyme4ts';
import { migrate } from '../src/db/migrations.js';
import { createModels } from '../src/models/index.js';
import { ACTION } from '../src/views/ids.js';
import { eventually } from './support/eventually.js';
import { createCard, editCard, logContact } from './support/flows.js';
import { findButton, NUDGE_CHANNEL, postsAbout, TEAM_A, TEAM_A_COLLEAGUE, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const ADMIN: Actor = { teamId: TEAM_A.teamId, userId: 'U9ADMIN' };
// Sunday 2026-12-20 10:00 in Shanghai, past the 09:00 nudge hour.
const h = useHarness({ instances: 2, now: '2026-12-20T10:00:00+08:00', env: { ADMIN_USER_IDS: ADMIN.userId } });

const TITLE = '生日与重要日子';

async function cardOf(name: string) {
  return (await h.db.collection('customers').findOne({ teamId: TEAM_A.teamId, name }))!;
}

async function idOf(name: string): Promise<ObjectId> {
  return (await cardOf(name))._id;
}

/** The card's greetings, soonest day first. */
async function greetingsOf(name: string, statuses = ['pending', 'sending', 'sent', 'failed', 'done']) {
  return h.db
    .collection('nudges')
    .find({ teamId: TEAM_A.teamId, customerId: await idOf(name), kind: 'greeting', status: { $in: statuses } })
    .sort({ occursOn: 1 })
    .toArray();
}

/** Greetings Slack accepted about a customer since `mark`. */
const greeted = (name: string, mark = 0) => postsAbout(h.fake, name, TITLE, mark);

const lunarToSolar = (year: number, month: number, day: number) => {
  const d = LunarDay.fromYmd(year, month, day).getSolarDay();
  return `${d.getYear()}-${String(d.getMonth()).padStart(2, '0')}-${String(d.getDay()).padStart(2, '0')}`;
};

describe('birthdays and important days, greeted by the card owner', () => {
  beforeAll(async () => {
    await createCard(h, TEAM_A, {
      name: '寿星甲',
      birthday: '1990-12-28',
      preferences: '喜欢普洱茶',
      interests: '钓鱼',
      ambassador: true,
    });
    await createCard(h, TEAM_A, { name: '元旦乙', birthday: '01-02' });
    await createCard(h, TEAM_A, { name: '春节丙', birthday: '农历正月初一' });
    // 腊月三十 of lunar 2026 does not exist (its 腊月 has 29 days): kept on 廿九, the day before 春节.
    await createCard(h, TEAM_A, { name: '除夕丁', birthday: '12-30', birthdayCalendar: 'lunar' });
    // A 闰月 birthday is kept in the regular month of its number.
    await createCard(h, TEAM_A, { name: '闰月戊', birthday: '闰二月十一' });
    await createCard(h, TEAM_A, { name: '闰日己', birthday: '2000-02-29' });
    await createCard(h, TEAM_A, { name: '家庭庚', importantDays: '儿子高考 2027-06-07\n结婚纪念日 2010-12-24' });
  });

  it('schedules each day its greeting three days ahead, solar or lunar, across the year boundary and the lunar new year', async () => {
    const scheduled = async (name: string) =>
      (await greetingsOf(name)).map(({ dueDate, occursOn, status, ownerId }) => ({
        dueDate,
        occursOn,
        status,
        ownerId,
      }));
    const pending = (dueDate: string, occursOn: string) => ({
      dueDate,
      occursOn,
      status: 'pending',
      ownerId: 'U1SELLER',
    });
    expect(await scheduled('寿星甲')).toEqual([pending('2026-12-25', '2026-12-28')]);
    expect(await scheduled('元旦乙')).toEqual([pending('2026-12-30', '2027-01-02')]);
    expect(await scheduled('春节丙')).toEqual([pending('2027-02-03', '2027-02-06')]);
    expect(await scheduled('除夕丁')).toEqual([pending('2027-02-02', '2027-02-05')]);
    const leap = lunarToSolar(2027, 2, 11);
    expect(await scheduled('闰月戊')).toEqual([
      pending(new Date(Date.parse(`${leap}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10), leap),
    ]);
    expect(await scheduled('闰日己')).toEqual([pending('2027-02-25', '2027-02-28')]);
    expect(await scheduled('家庭庚')).toEqual([
      pending('2026-12-21', '2026-12-24'),
      pending('2027-06-04', '2027-06-07'),
    ]);
    // At the team's nudge hour on its day.
    const [first] = await greetingsOf('寿星甲');
    expect(first!.nextAttemptAt.toISOString()).toBe('2026-12-25T01:00:00.000Z');
    // The card shows them, each with when it next falls.
    const card = visibleText((await h.command('寿星甲')).args.blocks);
    expect(card).toContain('生日与重要日子');
    expect(card).toContain('1990年12月28日 → 12月28日 · 还有 8 天 · 满 36 岁');
  });

  it('greets an important day with its label and count of years, in the nudge channel, naming the owner', async () => {
    await h.scanAt('2026-12-21T08:59:59+08:00');
    expect(greeted('家庭庚')).toHaveLength(0);
    await h.scanAt('2026-12-21T09:00:00+08:00', 2);
    const [posted] = greeted('家庭庚');
    expect(greeted('家庭庚')).toHaveLength(1);
    expect(posted!.args.channel).toBe(NUDGE_CHANNEL);
    const text = visibleText(posted!.args.blocks);
    expect(text).toContain('📅 结婚纪念日');
    expect(text).toContain('12月24日 · 还有 3 天 · 16 周年');
    expect(text).toContain('<@U1SELLER>');
    expect(text).toContain('卡片上还没写喜好和兴趣');
    // 儿子高考 happens once: nothing after it; 结婚纪念日 comes back next year.
    expect((await greetingsOf('家庭庚')).map((n) => [n.occursOn, n.status])).toEqual([
      ['2026-12-24', 'sent'],
      ['2027-06-07', 'pending'],
      ['2027-12-24', 'pending'],
    ]);
  });

  it('greets a birthday with the age and gift ideas; Log greeting records a contact and closes it', async () => {
    await h.scanAt('2026-12-25T09:00:00+08:00');
    const [posted] = greeted('寿星甲');
    const text = visibleText(posted!.args.blocks);
    expect(text).toContain('🎂 生日');
    expect(text).toContain('12月28日 · 还有 3 天 · 满 36 岁');
    expect(text).toContain('🎁 送礼参考：喜欢普洱茶、钓鱼');
    // As it went out, next year's was scheduled.
    expect((await greetingsOf('寿星甲', ['pending'])).map((n) => [n.dueDate, n.occursOn])).toEqual([
      ['2027-12-25', '2027-12-28'],
    ]);

    const message = h.fake.messagesIn(NUDGE_CHANNEL).find((m) => String(m.text).includes('寿星甲')) as any;
    const where = { channel: NUDGE_CHANNEL, messageTs: message.ts, message };
    const { view } = await h.openModal(TEAM_A, findButton(posted!.args.blocks, ACTION.logGreeting), where);
    expect(view.title.text).toBe('记录问候 / 送礼');
    expect(view.blocks.find((b: Record<string, any>) => b.block_id === 'kind').element.initial_option.value).toBe(
      'greeting',
    );
    const mark = h.fake.mark();
    expect((await h.submitView(TEAM_A, view, { notes: '电话祝寿，约了元旦后喝茶' })).body).toBe('');
    const visit = await h.db.collection('visits').findOne({ customerId: await idOf('寿星甲') });
    expect(visit).toMatchObject({ kind: 'greeting', date: '2026-12-25', notes: '电话祝寿，约了元旦后喝茶' });
    expect((await cardOf('寿星甲')).lastContactDate).toBe('2026-12-25');
    expect((await greetingsOf('寿星甲', ['done'])).map((n) => n.occursOn)).toEqual(['2026-12-28']);
    // A greeting is a contact: the ambassador's monthly contact counts from it.
    await eventually(async () =>
      expect(
        await h.db
          .collection('nudges')
          .find({ customerId: await idOf('寿星甲'), kind: 'ambassador', status: 'pending' })
          .toArray(),
      ).toEqual([expect.objectContaining({ dueDate: '2027-01-24' })]),
    );
    const update = await h.fake.waitFor('chat.update', (c) => c.args.ts === message.ts, mark);
    expect(visibleText(update.args.blocks)).toContain('<@U1SELLER> 已记录问候');
    expect(update.args.blocks.some((b: Record<string, any>) => b.type === 'actions')).toBe(false);
  });

  it('greets across the year boundary; Snooze brings it back tomorrow, Done closes it', async () => {
    await h.scanAt('2026-12-30T09:00:00+08:00');
    const [posted] = greeted('元旦乙');
    const text = visibleText(posted!.args.blocks);
    expect(text).toContain('1月2日 · 还有 3 天');
    expect(text).not.toContain('岁');
    const message = h.fake.messagesIn(NUDGE_CHANNEL).find((m) => String(m.text).includes('元旦乙')) as any;
    const where = { channel: NUDGE_CHANNEL, messageTs: message.ts, message };
    await h.clickButton(TEAM_A, findButton(posted!.args.blocks, ACTION.snoozeDay), where);
    await eventually(async () =>
      expect((await greetingsOf('元旦乙', ['pending'])).map((n) => [n.dueDate, n.occursOn])).toEqual([
        ['2026-12-31', '2027-01-02'],
        ['2027-12-30', '2028-01-02'],
      ]),
    );
    const mark = h.fake.mark();
    await h.scanAt('2026-12-31T09:00:00+08:00');
    const [again] = greeted('元旦乙', mark);
    expect(visibleText(again!.args.blocks)).toContain('1月2日 · 后天');
    const repost = h.fake
      .messagesIn(NUDGE_CHANNEL)
      .filter((m) => String(m.text).includes('元旦乙'))
      .at(-1) as any;
    const done = findButton(again!.args.blocks, ACTION.nudgeDone);
    await h.clickButton(TEAM_A, done, { channel: NUDGE_CHANNEL, messageTs: repost.ts, message: repost });
    await eventually(async () =>
      expect((await greetingsOf('元旦乙', ['done'])).map((n) => n.occursOn)).toEqual(['2027-01-02']),
    );
    // Next year's waits as the others do.
    expect((await greetingsOf('元旦乙', ['pending'])).map((n) => n.occursOn)).toEqual(['2028-01-02']);
  });

  it('greets lunar birthdays on their solar day across the lunar new year, and 2月29日 on 28 Feb', async () => {
    await h.scanAt('2027-02-02T09:00:00+08:00');
    expect(visibleText(greeted('除夕丁')[0]!.args.blocks)).toContain('2月5日（农历腊月三十） · 还有 3 天');
    // The next 腊月三十 is lunar 2027's last day, the day before 春节 2028.
    expect((await greetingsOf('除夕丁', ['pending'])).map((n) => n.occursOn)).toEqual(['2028-01-25']);
    await h.scanAt('2027-02-03T09:00:00+08:00');
    expect(visibleText(greeted('春节丙')[0]!.args.blocks)).toContain('2月6日（农历正月初一） · 还有 3 天');
    expect((await greetingsOf('春节丙', ['pending'])).map((n) => n.occursOn)).toEqual(['2028-01-26']);
    await h.scanAt('2027-02-25T09:00:00+08:00');
    expect(visibleText(greeted('闰日己')[0]!.args.blocks)).toContain('2月28日 · 还有 3 天 · 满 27 岁');
  });

  it('a birthday entered on the day is greeted at the nudge hour if still ahead, otherwise not late', async () => {
    h.clock.set('2027-03-10T08:00:00+08:00');
    await createCard(h, TEAM_A, { name: '今天辛', birthday: '03-10' });
    expect((await greetingsOf('今天辛')).map((n) => [n.dueDate, n.occursOn])).toEqual([['2027-03-10', '2027-03-10']]);
    await h.scanAt('2027-03-10T09:00:00+08:00');
    expect(visibleText(greeted('今天辛')[0]!.args.blocks)).toContain('3月10日 · 今天');

    h.clock.set('2027-03-11T10:00:00+08:00');
    await createCard(h, TEAM_A, { name: '今天壬', birthday: '03-11' });
    expect((await greetingsOf('今天壬')).map((n) => [n.dueDate, n.occursOn])).toEqual([['2028-03-08', '2028-03-11']]);
    await h.scanAt('2027-03-11T10:05:00+08:00', 2);
    expect(greeted('今天壬')).toHaveLength(0);
  });

  it('an edit while its greeting is being posted leaves exactly one greeting; moving the birthday replaces the next', async () => {
    await createCard(h, TEAM_A, { name: '竞速癸', birthday: '03-20' });
    // Whatever fell due before (a 闰月 birthday on 3-15) goes out first: the post held below is this greeting.
    await h.scanAt('2027-03-16T09:00:00+08:00');
    let release!: () => void;
    const held = h.fake.holdAnswer('chat.postMessage', new Promise<void>((resolve) => (release = resolve)));
    const scanning = h.scanAt('2027-03-17T09:00:00+08:00');
    expect(String((await held).args.text)).toContain('竞速癸');
    await editCard(h, TEAM_A, '竞速癸', { interests: '爬山' });
    release();
    await scanning;
    await h.scanAt('2027-03-17T09:05:00+08:00', 2);
    expect(greeted('竞速癸')).toHaveLength(1);
    expect((await greetingsOf('竞速癸')).map((n) => [n.occursOn, n.status])).toEqual([
      ['2027-03-20', 'sent'],
      ['2028-03-20', 'pending'],
    ]);

    await editCard(h, TEAM_A, '竞速癸', { birthday: '04-01' });
    expect((await greetingsOf('竞速癸')).map((n) => [n.occursOn, n.status])).toEqual([
      ['2027-03-20', 'sent'],
      ['2027-04-01', 'pending'],
    ]);
    expect(
      await h.db.collection('nudges').countDocuments({ customerId: await idOf('竞速癸'), status: 'superseded' }),
    ).toBe(1);
    // Two edits reacted to at once, each from its own version, may each schedule the day: only one goes out (below).
    const [next] = await greetingsOf('竞速癸', ['pending']);
    await h.db.collection('nudges').insertOne({ ...next!, _id: new ObjectId(), createdAt: new Date() });
  });

  it('refuses a date that cannot be kept, inline, saving nothing', async () => {
    const before = await h.db.collection('customers').countDocuments({ teamId: TEAM_A.teamId });
    const { view } = await h.openModal(TEAM_A, {
      action_id: ACTION.newCard,
      value: JSON.stringify({ name: '坏日子' }),
    });
    const errorsFor = async (fields: Record<string, unknown>) =>
      (await h.submitView(TEAM_A, view, { name: '坏日子', ...fields })).json().errors;
    expect(await errorsFor({ birthday: '2月30日' })).toEqual({ birthday: '这个月没有这一天。' });
    expect(await errorsFor({ birthday: '13月1日' })).toEqual({ birthday: '月份只有 1 到 12 月（农历正月到腊月）。' });
    expect(await errorsFor({ birthday: '农历十三月初一' })).toEqual({
      birthday: '月份只有 1 到 12 月（农历正月到腊月）。',
    });
    expect(await errorsFor({ birthday: '2030-01-01' })).toEqual({ birthday: '出生日期不能晚于今天。' });
    expect(await errorsFor({ birthday: '1899-05-01' })).toEqual({ birthday: '年份不能早于 1900 年。' });
    expect((await errorsFor({ birthday: '下个月' })).birthday).toContain('没看懂这个日期');
    expect(await errorsFor({ birthday: '农历八月十五', birthdayCalendar: 'solar' })).toEqual({
      birthday: '日期里写的历法和下面选的不一致，请改成一致。',
    });
    expect(await errorsFor({ importantDays: '开业 2020-01-01\n结婚纪念日 2月30日' })).toEqual({
      importantDays: '第 2 行：这个月没有这一天。',
    });
    expect(await errorsFor({ importantDays: '5-20' })).toEqual({
      importantDays: '第 1 行：请在日期前写上是什么日子，例如「结婚纪念日 5-20」。',
    });
    expect(await h.db.collection('customers').countDocuments({ teamId: TEAM_A.teamId })).toBe(before);
  });

  it('takes up birthdays typed before this release once at boot: read into dates and greeted', async () => {
    const { insertedId } = await h.db.collection('customers').insertOne({
      teamId: TEAM_A.teamId,
      number: 'KH-2026-9999',
      year: 2026,
      name: '老卡子',
      nameKey: '老卡子',
      birthday: '1985-04-20',
      ownerId: 'U1SELLER',
      version: 3,
      createdBy: 'U1SELLER',
      updatedBy: 'U1SELLER',
      ambassador: false,
      createdAt: new Date('2025-01-01T00:00:00Z'),
      updatedAt: new Date('2025-01-01T00:00:00Z'),
    });
    // A database from before this release has neither step recorded.
    await h.db.collection('bootSteps').deleteMany({ _id: { $in: ['birthdaysAsDates', 'greeting'] } as never });
    for (let boot = 0; boot < 2; boot++) {
      for (const instance of h.instances) {
        await migrate(createModels(instance.app.connection), () => h.clock.now());
        await instance.app.carryOverReminders();
      }
    }
    const card = await h.db.collection('customers').findOne({ _id: insertedId });
    expect(card).toMatchObject({
      birthday: { calendar: 'solar', year: 1985, month: 4, day: 20 },
      nextOccasionOn: '2027-04-20',
      version: 3,
    });
    expect(
      (await h.db.collection('nudges').find({ customerId: insertedId, kind: 'greeting' }).toArray()).map((n) => [
        n.dueDate,
        n.occursOn,
        n.status,
      ]),
    ).toEqual([['2027-04-17', '2027-04-20', 'pending']]);
  });

  it('an admin sets how many days ahead: the waiting greetings move; English reads as English', async () => {
    const { view } = await h.openModal(ADMIN, { action_id: ACTION.editSettings, value: 'edit' });
    expect(
      (await h.submitView(ADMIN, view, { 'greeting.daysAhead': '31' })).json().errors['greeting.daysAhead'],
    ).toBeTruthy();
    const again = (await h.openModal(ADMIN, { action_id: ACTION.editSettings, value: 'edit' })).view;
    expect((await h.submitView(ADMIN, again, { 'greeting.daysAhead': '7', locale: 'en' })).body).toBe('');
    await eventually(async () =>
      expect((await greetingsOf('竞速癸', ['pending'])).map((n) => [n.dueDate, n.occursOn])).toEqual([
        ['2027-03-25', '2027-04-01'],
        ['2027-03-25', '2027-04-01'],
      ]),
    );
    const mark = h.fake.mark();
    await h.scanAt('2027-03-25T09:00:00+08:00');
    const english = h.fake.calls
      .slice(mark)
      .filter((c) => c.method === 'chat.postMessage' && !c.error && String(c.args.text).includes('竞速癸'));
    // One greeting, though two were scheduled for the day (see the edit above).
    expect(english).toHaveLength(1);
    expect((await greetingsOf('竞速癸', ['cancelled'])).map((n) => n.occursOn)).toEqual(['2027-04-01']);
    const shown = visibleText(english[0]!.args.blocks);
    expect(shown).toContain('🎂 Birthday');
    expect(shown).toContain('1 April · in 7 days');
    expect(shown).toContain('🎁 Gift ideas: 爬山');
  });
});

describe('a card in the pool is greeted by nobody; claimed, by its new owner', () => {
  it('cancels the greeting when the card goes to the pool and schedules it for whoever claims it', async () => {
    h.clock.set('2027-04-01T10:00:00+08:00');
    await createCard(h, TEAM_A, { name: '公海寅', birthday: '05-10' });
    await logContact(h, TEAM_A, '公海寅', { date: '2026-12-20', kind: 'phone', notes: '问价' });
    // 90 days without contact: warned at the next nudge hour, released after the grace period.
    await h.scanAt('2027-04-02T09:00:00+08:00');
    await h.scanAt('2027-04-09T09:00:00+08:00');
    expect((await cardOf('公海寅')).pooledAt).toBeInstanceOf(Date);
    expect(await greetingsOf('公海寅', ['pending', 'sending', 'sent', 'failed'])).toEqual([]);

    const pool = await h.command('公海', TEAM_A_COLLEAGUE);
    const id = String(await idOf('公海寅'));
    const claim = (pool.args.blocks as Record<string, any>[])
      .flatMap((b) => b.elements ?? (b.accessory ? [b.accessory] : []))
      .find((e) => e.action_id === ACTION.poolClaim && e.value === id);
    await h.clickButton(TEAM_A_COLLEAGUE, claim, { responseUrl: pool.responseUrl });
    await eventually(async () => expect((await cardOf('公海寅')).ownerId).toBe('U2COLLEAGUE'));
    await eventually(async () =>
      expect((await greetingsOf('公海寅', ['pending'])).map((n) => [n.ownerId, n.occursOn])).toEqual([
        ['U2COLLEAGUE', '2027-05-10'],
      ]),
    );
  });
});
