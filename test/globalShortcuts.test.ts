import { ObjectId } from 'mongodb';
import { ACTION, CALLBACK, SHORTCUT } from '../src/views/ids.js';
import { eventually } from './support/eventually.js';
import { createCard, type CreatedCard } from './support/flows.js';
import { collectionsOf, TEAM_A, TEAM_B, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

/** The ⚡ menu's shortcuts, sent as Slack sends them: no channel, no response_url. */
const h = useHarness({ now: '2026-11-23T10:00:00+08:00' }, { checkLogs: true });
const { customers, nudges } = collectionsOf(h);
const SELLER = TEAM_A;
let zhang: CreatedCard;
let foreign: CreatedCard;

/** Cards posted to the person's DM with the app since `after` (a card carries Edit). */
const cardsInDm = (userId: string, after: number) =>
  h.fake.calls
    .slice(after)
    .filter((c) => c.method === 'chat.postMessage' && !c.error && c.args.channel === userId)
    .filter((c) => JSON.stringify(c.args.blocks).includes(ACTION.editCard));

beforeAll(async () => {
  zhang = await createCard(h, SELLER, { name: '张三', company: '华东贸易' });
  foreign = await createCard(h, TEAM_B, { name: '张三', company: '别的工作区' });
});

describe('新建客户卡 / New card', () => {
  it('opens the create modal; the new card comes to the creator’s DM', async () => {
    const view = await h.openGlobal(SELLER, SHORTCUT.newCard);
    expect(view.callback_id).toBe(CALLBACK.cardModal);
    const before = h.fake.mark();
    expect((await h.submitView(SELLER, view, { name: '孙八', phone: '139 0000 2222' })).body).toBe('');
    const card = await customers().findOne({ teamId: SELLER.teamId, name: '孙八' });
    expect(card).toMatchObject({ ownerId: SELLER.userId, phoneKey: '13900002222' });
    await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === SELLER.userId, before);
    const [dm] = cardsInDm(SELLER.userId, before);
    expect(visibleText(dm!.args.blocks)).toContain('孙八');
  });

  it('reads birthdays and important days as the create modal from /card does, and sets their greetings going', async () => {
    const view = await h.openGlobal(SELLER, SHORTCUT.newCard);
    const before = h.fake.mark();
    expect((await h.submitView(SELLER, view, { name: '周九', birthday: '2月30日' })).json().errors).toEqual({
      birthday: '这个月没有这一天。',
    });
    expect(await customers().countDocuments({ teamId: SELLER.teamId, name: '周九' })).toBe(0);
    const saved = await h.submitView(SELLER, view, {
      name: '周九',
      birthday: '农历十月廿五',
      importantDays: '结婚纪念日 2012-11-30',
    });
    expect(saved.body).toBe('');
    const card = await customers().findOne({ teamId: SELLER.teamId, name: '周九' });
    expect(card).toMatchObject({
      birthday: { calendar: 'lunar', month: 10, day: 25 },
      importantDays: [{ label: '结婚纪念日', calendar: 'solar', year: 2012, month: 11, day: 30 }],
      nextOccasionOn: '2026-11-30',
    });
    await eventually(async () =>
      expect(
        (await nudges().find({ customerId: card!._id, kind: 'greeting' }).sort({ occursOn: 1 }).toArray()).map((n) => [
          n.occursOn,
          n.status,
          n.ownerId,
        ]),
      ).toEqual([
        ['2026-11-30', 'pending', SELLER.userId],
        ['2026-12-03', 'pending', SELLER.userId],
      ]),
    );
    // The card in the creator's DM shows both days, each with when it next falls.
    await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === SELLER.userId, before);
    const shown = visibleText(cardsInDm(SELLER.userId, before)[0]!.args.blocks);
    expect(shown).toContain('农历十月廿五 → 12月3日');
    expect(shown).toContain('结婚纪念日* 2012年11月30日 → 11月30日');
  });
});

describe('记录拜访 / Log visit', () => {
  it('asks which customer, then opens the visit modal for them; saved, the visit sets its follow-up going', async () => {
    const pick = await h.openGlobal(SELLER, SHORTCUT.logVisit);
    expect(pick.callback_id).toBe(CALLBACK.pickForVisitModal);
    const next = (await h.submitView(SELLER, pick, { customer: zhang.id })).json();
    expect(next.response_action).toBe('update');
    expect(next.view.callback_id).toBe(CALLBACK.visitModal);
    expect(visibleText(next.view.blocks)).toContain('张三');

    const before = h.fake.mark();
    const res = await h.submitView(SELLER, next.view, { notes: '电话聊了新品', nextFollowUpDate: '2026-11-26' });
    expect(res.body).toBe('');
    expect(await h.db.collection('visits').findOne({ customerId: new ObjectId(zhang.id) })).toMatchObject({
      notes: '电话聊了新品',
      createdBy: SELLER.userId,
      nextFollowUpDate: '2026-11-26',
    });
    expect(await nudges().findOne({ customerId: new ObjectId(zhang.id), kind: 'followUp' })).toMatchObject({
      status: 'pending',
      dueDate: '2026-11-26',
    });
    await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === SELLER.userId, before);
    expect(visibleText(cardsInDm(SELLER.userId, before)[0]!.args.blocks)).toContain('电话聊了新品');
  });

  it('refuses no pick, and a card of another workspace, inline', async () => {
    const pick = await h.openGlobal(SELLER, SHORTCUT.logVisit);
    expect((await h.submitView(SELLER, pick, {})).json().errors).toEqual({ customer: '请从列表中选择一张客户卡。' });
    expect((await h.submitView(SELLER, pick, { customer: foreign.id })).json().errors).toEqual({
      customer: '这张客户卡不存在或不属于本工作区。',
    });
  });
});

describe('查找客户 / Find a customer', () => {
  it('shows the card only to the one who asked, in their DM with the app', async () => {
    const find = await h.openGlobal(SELLER, SHORTCUT.findCustomer);
    expect(find.callback_id).toBe(CALLBACK.findCustomerModal);
    const before = h.fake.mark();
    expect((await h.submitView(SELLER, find, { customer: zhang.id })).body).toBe('');
    await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === SELLER.userId, before);
    const posts = h.fake.calls
      .slice(before)
      .filter((c) => c.method === 'chat.postMessage' || c.method === 'response_url');
    expect(posts.map((c) => c.args.channel)).toEqual([SELLER.userId]);
    expect(visibleText(posts[0]!.args.blocks)).toContain('华东贸易');
  });

  it('never shows a card of another workspace', async () => {
    const find = await h.openGlobal(SELLER, SHORTCUT.findCustomer);
    const before = h.fake.mark();
    expect((await h.submitView(SELLER, find, { customer: foreign.id })).json().errors).toEqual({
      customer: '这张客户卡不存在或不属于本工作区。',
    });
    expect(JSON.stringify(h.fake.calls.slice(before))).not.toContain('别的工作区');
  });
});
