import { ObjectId } from 'mongodb';
import { domain } from '../src/config/domain.js';
import { messagesFor } from '../src/i18n/index.js';
import { ACTION } from '../src/views/ids.js';
import { renderFestivalNudge, type GiftRow } from '../src/views/festivalNudge.js';
import { validateMessage } from './support/blockKit.js';
import type { RecordedCall } from './support/fakeSlack.js';
import { createCard, editCard, logContact, recordReferral, recordSale } from './support/flows.js';
import { findButton, onPosted, TEAM_A, TEAM_A_COLLEAGUE, visibleText, type Harness } from './support/harness.js';
import { eventually } from './support/eventually.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const SELLER = TEAM_A;
const COLLEAGUE = TEAM_A_COLLEAGUE;

/** The gift lists Slack accepted in one person's DM, oldest first. */
const giftLists = (h: Harness, userId: string): RecordedCall[] =>
  h.fake
    .accepted('chat.postMessage')
    .filter((c) => c.args.channel === userId && visibleText(c.args.blocks).includes('送礼清单'));

/** One person's festival reminders, by festival and occurrence. */
const festivalNudges = (h: Harness, ownerId: string, festival?: string) =>
  h.db
    .collection('nudges')
    .find({ kind: 'festival', ownerId, ...(festival ? { plan: festival } : {}) })
    .sort({ occursOn: 1 })
    .toArray();

const idOf = async (h: Harness, name: string): Promise<ObjectId> =>
  (await h.db.collection('customers').findOne({ teamId: SELLER.teamId, name }))!._id;

describe('the festival gift list, with the default festivals (中秋 2027)', () => {
  // 2027-05-25 10:00 in Shanghai, past the day's 09:00 nudge hour.
  const h = useHarness({ now: '2027-05-25T10:00:00+08:00', env: { ADMIN_USER_IDS: SELLER.userId } });

  beforeAll(async () => {
    // An ambassador never contacted: 90 days on it goes to the pool, before 中秋's list.
    await createCard(h, SELLER, { name: '周公海' });
    await editCard(h, SELLER, '周公海', { ambassador: true });

    h.clock.set('2027-06-20T10:00:00+08:00');
    await createCard(h, SELLER, { name: '王大使' });
    await editCard(h, SELLER, '王大使', { ambassador: true, preferences: '喜欢普洱茶', interests: '钓鱼' });
    // The team's only buyer of the year: ranked 顶级 by the segmentation.
    await createCard(h, SELLER, { name: '李顶级' });
    await recordSale(h, SELLER, '李顶级', { amountFen: '50000' });
    expect(visibleText((await h.command('segments refresh', SELLER)).args.blocks)).toContain('客户分层已刷新');
    // A referrer: recording the referral makes the prospect's card, an ordinary one.
    await createCard(h, SELLER, { name: '赵推荐' });
    await recordReferral(h, SELLER, '赵推荐', '吴新客');
    // Greeted at last year's 中秋, called since.
    await createCard(h, SELLER, { name: '钱问候' });
    await editCard(h, SELLER, '钱问候', { preferences: '<!channel> 爱喝*龙井*' });
    await logContact(h, SELLER, '钱问候', { date: '2026-09-25', kind: 'greeting', notes: '中秋问候' });
    await logContact(h, SELLER, '钱问候', { date: '2027-06-20', kind: 'phone' });
    await createCard(h, SELLER, { name: '孙普通' });
    await logContact(h, SELLER, '孙普通', { date: '2027-06-20', kind: 'visit' });
    // A colleague with only ordinary customers.
    await createCard(h, COLLEAGUE, { name: '郑同事客户' });
  });

  it('schedules one list per salesperson and festival, ten days before it, whatever made the cards', async () => {
    const mine = await festivalNudges(h, SELLER.userId);
    expect(mine.map((n) => [n.plan, n.occursOn, n.dueDate, n.status])).toEqual([
      // Scheduled with the first card, in May; it waits for a scan.
      ['dragonBoat', '2027-06-09', '2027-05-30', 'pending'],
      ['midAutumn', '2027-09-15', '2027-09-05', 'pending'],
      ['nationalDay', '2027-10-01', '2027-09-21', 'pending'],
      ['springFestival', '2028-01-26', '2028-01-16', 'pending'],
    ]);
    expect((await festivalNudges(h, COLLEAGUE.userId, 'midAutumn')).map((n) => n.dueDate)).toEqual(['2027-09-05']);
  });

  it('a pooled card goes out of its owner’s list: the pool warning, then the release', async () => {
    await h.scanAt('2027-08-23T09:00:00+08:00');
    await h.scanAt('2027-08-30T09:00:00+08:00');
    const pooled = await h.db.collection('customers').findOne({ name: '周公海' });
    expect(pooled).toMatchObject({ ambassador: true, previousOwnerId: SELLER.userId });
    expect(pooled!.ownerId).toBeUndefined();
    // 端午 was long past when the scan first met its list: nothing late, and next year's is waiting.
    expect(giftLists(h, SELLER.userId)).toHaveLength(0);
    expect((await festivalNudges(h, SELLER.userId, 'dragonBoat')).map((n) => [n.occursOn, n.status])).toEqual([
      ['2027-06-09', 'cancelled'],
      ['2028-05-28', 'pending'],
    ]);
  });

  it('posts ONE DM ten days before 中秋, most important first, the ordinary, prospect and pooled customers absent', async () => {
    await h.scanAt('2027-09-05T08:59:59+08:00');
    expect(giftLists(h, SELLER.userId)).toHaveLength(0);
    await h.scanAt('2027-09-05T09:00:00+08:00', 2);

    const lists = giftLists(h, SELLER.userId);
    expect(lists).toHaveLength(1);
    const [list] = lists;
    expect(list!.args.text).toBe('中秋节（9月15日 · 还有 10 天）：4 位客户值得送份节礼');
    const text = visibleText(list!.args.blocks);
    const lines = [
      '*🎁 中秋节送礼清单* · 9月15日 · 还有 10 天',
      '*王大使*',
      '· 宣传大使\n🎁 送礼参考：喜欢普洱茶、钓鱼',
      '*李顶级*',
      '· 顶级客户',
      '*赵推荐*',
      '· 推荐人',
      '*钱问候*',
      '· 去年问候过',
    ];
    for (const line of lines) expect(text).toContain(line);
    const places = lines.map((line) => text.indexOf(line));
    expect(places).toEqual([...places].sort((a, b) => a - b));
    for (const absent of ['孙普通', '吴新客', '周公海', '郑同事客户']) expect(text).not.toContain(absent);
    // What the customer typed shows as typed: no @channel, no bold.
    expect(JSON.stringify(list!.args.blocks)).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(list!.args.blocks)).not.toContain('<!channel>');

    const gifts = list!.args.blocks.flatMap((b: Record<string, any>) =>
      b.accessory?.action_id === ACTION.logGift ? [[b.accessory.text.text, b.accessory.value]] : [],
    );
    const names = ['王大使', '李顶级', '赵推荐', '钱问候'];
    expect(gifts).toEqual(
      await Promise.all(names.map(async (name) => ['记录送礼', (await idOf(h, name)).toHexString()])),
    );

    expect((await festivalNudges(h, SELLER.userId, 'midAutumn')).map((n) => [n.occursOn, n.status])).toEqual([
      ['2027-09-15', 'sent'],
      ['2028-10-03', 'pending'],
    ]);
  });

  it('someone with nobody worth a gift gets no message; their next one still waits', async () => {
    expect(giftLists(h, COLLEAGUE.userId)).toHaveLength(0);
    expect((await festivalNudges(h, COLLEAGUE.userId, 'midAutumn')).map((n) => [n.occursOn, n.status])).toEqual([
      ['2027-09-15', 'cancelled'],
      ['2028-10-03', 'pending'],
    ]);
  });

  it('Log gift opens the gift form; saving it is a contact that moves the ambassador’s next reminder, the list untouched', async () => {
    const [list] = giftLists(h, SELLER.userId);
    const id = await idOf(h, '王大使');
    expect(
      await h.db.collection('nudges').findOne({ customerId: id, kind: 'ambassador', status: 'pending' }),
    ).toMatchObject({ dueDate: '2027-09-22' });
    h.clock.set('2027-09-05T15:00:00+08:00');
    const pressed = h.fake.mark();
    const { view, responseUrl } = await h.openModal(
      SELLER,
      findButton(list!.args.blocks, ACTION.logGift),
      onPosted(list!),
    );
    expect(view.title.text).toBe('记录问候 / 送礼');
    expect(visibleText(view.blocks)).toContain('客户：*王大使*');
    const kind = view.blocks.find((b: Record<string, any>) => b.block_id === 'kind');
    expect(kind.element.initial_option.value).toBe('gift');

    expect((await h.submitView(SELLER, view, { notes: '送了两盒月饼' })).body).toBe('');
    const shown = await h.fake.waitForResponse(responseUrl);
    expect(shown.args.replace_original).toBe(false);
    expect(
      await h.db
        .collection('visits')
        .find({ customerId: id, kind: 'gift' })
        .project({ _id: 0, date: 1, notes: 1 })
        .toArray(),
    ).toEqual([{ date: '2027-09-05', notes: '送了两盒月饼' }]);
    expect((await h.db.collection('customers').findOne({ _id: id }))!.lastContactDate).toBe('2027-09-05');
    await eventually(async () =>
      expect(
        await h.db.collection('nudges').find({ customerId: id, kind: 'ambassador', status: 'pending' }).toArray(),
      ).toEqual([expect.objectContaining({ dueDate: '2027-10-05' })]),
    );
    // The list in the DM is never replaced or rewritten.
    const since = h.fake.calls.slice(pressed);
    expect(since.filter((c) => c.method === 'chat.update')).toEqual([]);
    expect(since.filter((c) => c.method === 'response_url' && c.args.replace_original !== false)).toEqual([]);
  });

  it('a card gone before Log gift is pressed is said only to who pressed it', async () => {
    const [list] = giftLists(h, SELLER.userId);
    const button = { ...findButton(list!.args.blocks, ACTION.logGift), value: new ObjectId().toHexString() };
    const click = await h.clickButton(SELLER, button, onPosted(list!));
    const answer = await h.fake.waitForResponse(click.responseUrl);
    expect(answer.args.replace_original).toBe(false);
    expect(visibleText(answer.args.blocks)).toContain('不存在');
  });
});

describe('festival lists across a year boundary and the lunar new year, and the team’s own festivals', () => {
  const ADMIN: Actor = { teamId: SELLER.teamId, userId: 'U1ADMIN' };
  // 2026-12-28 10:00 in Shanghai.
  const h = useHarness({ now: '2026-12-28T10:00:00+08:00', env: { ADMIN_USER_IDS: ADMIN.userId } });

  const settingsModal = async () => (await h.openModal(ADMIN, { action_id: ACTION.editSettings, value: 'edit' })).view;

  beforeAll(async () => {
    await createCard(h, SELLER, { name: '王大使' });
    await editCard(h, SELLER, '王大使', { ambassador: true });
  });

  it('春节 2027 (02-06) is due 10 days before, on 2027-01-27, also for a salesperson whose first card comes a day before', async () => {
    expect((await festivalNudges(h, SELLER.userId, 'springFestival')).map((n) => [n.occursOn, n.dueDate])).toEqual([
      ['2027-02-06', '2027-01-27'],
    ]);
    h.clock.set('2027-01-26T10:00:00+08:00');
    await createCard(h, COLLEAGUE, { name: '冯大使' });
    await editCard(h, COLLEAGUE, '冯大使', { ambassador: true });

    await h.scanAt('2027-01-27T08:59:59+08:00');
    expect(giftLists(h, SELLER.userId)).toHaveLength(0);
    await h.scanAt('2027-01-27T09:00:00+08:00');
    for (const [who, name] of [
      [SELLER, '王大使'],
      [COLLEAGUE, '冯大使'],
    ] as const) {
      const lists = giftLists(h, who.userId);
      expect(lists).toHaveLength(1);
      const text = visibleText(lists[0]!.args.blocks);
      expect(text).toContain('*🎁 春节送礼清单* · 2月6日 · 还有 10 天');
      expect(text).toContain(`*${name}*`);
      expect(text).toContain('🎁 卡片上还没写喜好和兴趣');
    }
  });

  it('as one goes out, the next 春节 (2028-01-26) is scheduled', async () => {
    expect(
      (await festivalNudges(h, SELLER.userId, 'springFestival')).map((n) => [n.occursOn, n.dueDate, n.status]),
    ).toEqual([
      ['2027-02-06', '2027-01-27', 'sent'],
      ['2028-01-26', '2028-01-16', 'pending'],
    ]);
  });

  it('refuses an unknown festival and 31 days inline, changing nothing', async () => {
    const res = await h.submitView(ADMIN, await settingsModal(), {
      'festival.festivals': ['lantern', 'valentines'],
      'festival.daysAhead': '31',
    });
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { 'festival.festivals': '只能从列表里选。', 'festival.daysAhead': '请输入 0 到 30 之间的整数' },
    });
    expect(await h.db.collection('settingsChanges').countDocuments({})).toBe(0);
  });

  it('an admin picks 元宵 and 国庆, 5 days ahead: the lists no longer picked are cancelled, the rest move, 元宵 is scheduled', async () => {
    const view = await settingsModal();
    const festivals = view.blocks.find((b: Record<string, any>) => b.block_id === 'festival.festivals');
    expect(festivals.element.type).toBe('multi_static_select');
    expect(festivals.element.options).toHaveLength(domain.occasions.festivals.length);
    expect(festivals.element.initial_options.map((o: { text: { text: string } }) => o.text.text)).toEqual([
      '春节',
      '端午节',
      '中秋节',
      '国庆节',
    ]);
    expect(
      (await h.submitView(ADMIN, view, { 'festival.festivals': ['nationalDay', 'lantern'], 'festival.daysAhead': '5' }))
        .body,
    ).toBe('');

    for (const who of [SELLER, COLLEAGUE]) {
      await eventually(async () =>
        expect(
          (await festivalNudges(h, who.userId))
            .filter((n) => n.status !== 'sent')
            .map((n) => [n.plan, n.occursOn, n.dueDate, n.status]),
        ).toEqual([
          ['lantern', '2027-02-20', '2027-02-15', 'pending'],
          ['dragonBoat', '2027-06-09', '2027-05-30', 'cancelled'],
          ['midAutumn', '2027-09-15', '2027-09-05', 'cancelled'],
          ['nationalDay', '2027-10-01', '2027-09-26', 'pending'],
          ['springFestival', '2028-01-26', '2028-01-16', 'cancelled'],
        ]),
      );
    }
    const home = visibleText((await h.openHome(SELLER)).blocks);
    expect(home).toContain('节日送礼：提醒哪些节日：元宵节、国庆节');
    expect(home).toContain('节日送礼：提前几天提醒：5');
    expect(home).toContain('把「节日送礼：提醒哪些节日」从 春节、端午节、中秋节、国庆节 改为 元宵节、国庆节');

    await h.scanAt('2027-02-15T09:00:00+08:00');
    const lantern = giftLists(h, SELLER.userId).at(-1)!;
    expect(visibleText(lantern.args.blocks)).toContain('*🎁 元宵节送礼清单* · 2月20日 · 还有 5 天');
    expect(giftLists(h, SELLER.userId)).toHaveLength(2);
  });

  it('a festival picked again comes back: its waiting list opened again, never a second one', async () => {
    const view = await settingsModal();
    const picked = ['lantern', 'midAutumn', 'nationalDay'];
    expect((await h.submitView(ADMIN, view, { 'festival.festivals': picked })).body).toBe('');
    await eventually(async () =>
      expect(
        (await festivalNudges(h, SELLER.userId, 'midAutumn')).map((n) => [n.occursOn, n.dueDate, n.status]),
      ).toEqual([['2027-09-15', '2027-09-10', 'pending']]),
    );
  });
});

describe('the gift list’s message', () => {
  const row = (i: number): GiftRow => ({
    customer: {
      _id: new ObjectId(),
      name: `客户${'长'.repeat(60)}${i}`,
      number: `KH-2027-${String(i).padStart(4, '0')}`,
      preferences: '*'.repeat(500),
      interests: '<!here>'.repeat(100),
    },
    reasons: ['ambassador', 'top', 'referrer', 'greeted'],
  });

  it.each(['zh', 'en'] as const)(
    'in %s lists what fits one message within Block Kit and says how many more are worth a gift',
    (locale) => {
      const t = messagesFor(locale);
      const rows = Array.from({ length: domain.occasions.festivalListed }, (_, i) => row(i));
      const message = renderFestivalNudge(t, {
        festival: 'midAutumn',
        date: '2027-09-15',
        today: '2027-09-05',
        rows,
        more: 25,
      });
      expect(validateMessage(message)).toEqual([]);
      const buttons = message.blocks.filter((b) => b.type === 'section' && b.accessory).length;
      expect(buttons).toBeGreaterThan(0);
      const footer = visibleText(message.blocks.slice(-1) as Record<string, any>[]);
      expect(footer).toBe(
        locale === 'zh'
          ? `还有 ${rows.length + 25 - buttons} 位未列出。`
          : `${rows.length + 25 - buttons} more not listed.`,
      );
      expect(message.text).toContain(locale === 'zh' ? '65 位客户值得送份节礼' : '65 customers worth a gift');
    },
  );
});
