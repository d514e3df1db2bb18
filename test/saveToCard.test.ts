import { ObjectId } from 'mongodb';
import { ACTION, CALLBACK, SHORTCUT } from '../src/views/ids.js';
import { createCard, type CreatedCard } from './support/flows.js';
import {
  collectionsOf,
  findButton,
  suggest,
  TEAM_A,
  TEAM_A_COLLEAGUE,
  TEAM_B,
  visibleText,
} from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

/**
 * 保存到客户卡: the message shortcut, driven as Slack drives it (a signed
 * message_action, the modal filled in once the bot has read the message,
 * the type-ahead, the submission), against messages people posted in the
 * fake Slack's channels.
 */
const h = useHarness({ now: '2026-11-20T15:30:00+08:00' }, { checkLogs: true });
const { customers, history, promises } = collectionsOf(h);
const visits = () => h.db.collection('visits');

const SALES = 'CSALES';
const SELLER = TEAM_A;
const COLLEAGUE = TEAM_A_COLLEAGUE;
let zhang: CreatedCard;
let told: string;

const field = (view: Record<string, any>, id: string) =>
  view.blocks.find((b: Record<string, any>) => b.block_id === id)?.element;

/** The person posts in #sales; the message's ts. */
const post = (text: string, options: { user?: string; files?: { name: string }[]; channel?: string } = {}) =>
  h.fake.postUserMessage(SELLER.teamId, options.channel ?? SALES, {
    user: options.user ?? COLLEAGUE.userId,
    text,
    ...(options.files ? { files: options.files } : {}),
  });

/** Runs 保存到客户卡 on the message: the modal as it ends up. */
const openSave = (ts: string, actor: Actor = SELLER, channel = SALES, extra: Record<string, string> = {}) =>
  h.openFromMessage(actor, SHORTCUT.saveMessage, { channel, ts, ...extra });

beforeAll(async () => {
  h.fake.setUser(SELLER.userId, SELLER.teamId, 'member', { displayName: '王销售' });
  h.fake.setUser(COLLEAGUE.userId, COLLEAGUE.teamId, 'member', { displayName: '李同事' });
  zhang = await createCard(h, SELLER, { name: '张三', company: '华东贸易' });
  // The colleague writes it down in #sales on the 20th; it is saved three days later.
  told = post(
    `<@${SELLER.userId}> 张总说下月要加单 &amp; 要报价 &lt;急&gt;，见 <https://example.com/q?a=1&amp;b=2|报价单> <#${SALES}|sales>`,
    { files: [{ name: '名片.jpg' }, { name: '报价单.pdf' }] },
  );
  h.clock.set('2026-11-23T10:00:00+08:00');
});

describe('the modal', () => {
  it('opens on the message as the bot read it: readable text, who wrote it, a link to it, its files', async () => {
    const { view } = await openSave(told);
    expect(view.callback_id).toBe(CALLBACK.saveMessageModal);
    expect(field(view, 'text').initial_value).toBe(
      '@王销售 张总说下月要加单 & 要报价 <急>，见 报价单 (https://example.com/q?a=1&b=2) #sales',
    );
    expect(field(view, 'date').initial_date).toBe('2026-11-20');
    expect(field(view, 'what').initial_option.value).toBe('contact');
    expect(field(view, 'customer').action_id).toBe(ACTION.cardPicker);
    const context = JSON.stringify(view.blocks.filter((b: Record<string, any>) => b.type === 'context'));
    expect(context).toContain(`<@${COLLEAGUE.userId}> 在 <#${SALES}> 发的消息`);
    expect(context).toContain(`<https://example.slack.com/archives/${SALES}/p${told.replace('.', '')}|查看原消息>`);
    expect(context).toContain('名片.jpg');
    expect(context).toContain('报价单.pdf');
    // The modal opened at once, before the message was read (a trigger lives 3 seconds).
    expect(visibleText(h.fake.accepted('views.open').at(-1)!.args.view.blocks)).toContain('正在读取这条消息');
  });

  it('takes the message from Slack, never from the request: a crafted text is not what is prefilled', async () => {
    const { view } = await openSave(told, SELLER, SALES, { text: '<@U9EVIL> 伪造的内容' });
    expect(field(view, 'text').initial_value).toContain('张总说下月要加单');
    expect(JSON.stringify(view)).not.toContain('伪造');
  });

  it('offers the cards of the workspace as typed, and a new card with the name typed when none has it', async () => {
    const found = (await suggest(h, SELLER, ACTION.cardPicker, '张', '', CALLBACK.saveMessageModal)).json().options;
    expect(found.map((o: { value: string }) => o.value)).toEqual([zhang.id, 'new:张']);
    const exact = (await suggest(h, SELLER, ACTION.cardPicker, '张三', '', CALLBACK.saveMessageModal)).json().options;
    expect(exact.map((o: { value: string }) => o.value)).toEqual([zhang.id]);
    const none = (await suggest(h, SELLER, ACTION.cardPicker, '赵六', '', CALLBACK.saveMessageModal)).json().options;
    expect(none).toEqual([
      { text: { type: 'plain_text', text: '＋ 新建客户卡：赵六', emoji: true }, value: 'new:赵六' },
    ]);
    // Typed with runs of spaces (Slack sends what was typed): the name as searched, inside the option's 150 characters.
    const spaced = `赵${' '.repeat(200)}六  `;
    const fitted = (await suggest(h, SELLER, ACTION.cardPicker, spaced, '', CALLBACK.saveMessageModal)).json().options;
    expect(fitted.map((o: { value: string }) => o.value)).toEqual(['new:赵 六']);
    // The referrer picker of the card modal offers no new card.
    expect((await suggest(h, SELLER, ACTION.cardPicker, '赵六')).json().options).toEqual([]);
  });
});

describe('saving', () => {
  it('a visit or call note: a visit dated the message’s day, with its link, author and files, by who saved it', async () => {
    const { view, responseUrl } = await openSave(told);
    const before = h.fake.mark();
    const res = await h.submitView(SELLER, view, { customer: zhang.id, kind: 'phone' });
    expect(res.body).toBe('');
    const visit = await visits().findOne({ customerId: new ObjectId(zhang.id) });
    expect(visit).toMatchObject({
      teamId: SELLER.teamId,
      date: '2026-11-20',
      kind: 'phone',
      notes: '@王销售 张总说下月要加单 & 要报价 <急>，见 报价单 (https://example.com/q?a=1&b=2) #sales',
      createdBy: SELLER.userId,
      source: {
        channelId: SALES,
        ts: told,
        permalink: `https://example.slack.com/archives/${SALES}/p${told.replace('.', '')}`,
        authorId: COLLEAGUE.userId,
        files: [
          { name: '名片.jpg', url: expect.stringMatching(/^https:\/\/example\.slack\.com\/files\//) },
          { name: '报价单.pdf', url: expect.stringMatching(/^https:\/\//) },
        ],
      },
    });
    expect(await customers().findOne({ _id: new ObjectId(zhang.id) })).toMatchObject({ lastContactDate: '2026-11-20' });
    expect(await history().findOne({ customerId: new ObjectId(zhang.id), action: 'visit' })).toMatchObject({
      userId: SELLER.userId,
      visitId: visit!._id,
    });

    // Only the saver is told, in the channel: where it went, then the card.
    const notice = await h.fake.waitForResponse(responseUrl, before);
    expect(notice.args.response_type).toBe('ephemeral');
    expect(visibleText(notice.args.blocks)).toContain('已把这条消息作为「拜访或电话记录」保存到 *张三* 的客户卡');
    const card = await h.fake.waitFor(
      'response_url',
      (c) => c.responseUrl === responseUrl && JSON.stringify(c.args.blocks).includes(ACTION.editCard),
      before,
    );
    expect(visibleText(card.args.blocks)).toContain('张总说下月要加单');
  });

  it('shows in the card’s History with who wrote the message, a link to it and its files', async () => {
    const shown = await h.command('张三');
    const { view } = await h.openModal(SELLER, findButton(shown.args.blocks, ACTION.history), {
      responseUrl: shown.responseUrl,
    });
    const text = JSON.stringify(view.blocks);
    expect(text).toContain(`来自 <@${COLLEAGUE.userId}> 的 Slack 消息`);
    expect(text).toContain(`|原消息>`);
    expect(text).toContain('名片.jpg');
  });

  it('saves once when the same submission arrives twice', async () => {
    const ts = post('张总要一份新的价目表');
    const { view } = await openSave(ts);
    const changes = { customer: zhang.id, what: 'need' };
    const answers = await Promise.all([h.submitView(SELLER, view, changes), h.submitView(SELLER, view, changes)]);
    expect(answers.map((a) => a.body)).toEqual(['', '']);
    await h.submitView(SELLER, view, changes);
    expect(await visits().countDocuments({ 'source.ts': ts })).toBe(1);
    expect(await visits().findOne({ 'source.ts': ts })).toMatchObject({ needs: '张总要一份新的价目表', kind: 'visit' });
    expect(await history().countDocuments({ action: 'visit', customerId: new ObjectId(zhang.id) })).toBe(2);
  });

  it('a promise with a due date: an open promise on the card, its owner nudged on the day', async () => {
    const ts = post('答应张总 12 月 1 日前把样品寄到');
    const { view } = await openSave(ts);
    const res = await h.submitView(SELLER, view, { customer: zhang.id, what: 'promise', promiseDue: '2026-12-01' });
    expect(res.body).toBe('');
    expect(await promises().findOne({ text: '答应张总 12 月 1 日前把样品寄到' })).toMatchObject({
      status: 'open',
      dueDate: '2026-12-01',
      createdBy: SELLER.userId,
    });
    await h.scanAt('2026-12-01T09:00:00+08:00');
    const nudge = h.fake
      .accepted('chat.postMessage')
      .find((c) => c.args.channel === SELLER.userId && visibleText(c.args.blocks).includes('样品寄到'));
    expect(visibleText(nudge!.args.blocks)).toContain('承诺到期');
    h.clock.set('2026-11-23T10:00:00+08:00');
  });

  it('a plain note: in the card’s History with the text and the link, no visit, the last contact unchanged', async () => {
    const card = await createCard(h, SELLER, { name: '李四' });
    const ts = post('李总喜欢喝普洱，别送咖啡');
    const { view, responseUrl } = await openSave(ts);
    const before = h.fake.mark();
    // Slack delivering the submission twice keeps one note.
    const changes = { customer: card.id, what: 'note' };
    const answers = await Promise.all([h.submitView(SELLER, view, changes), h.submitView(SELLER, view, changes)]);
    expect(answers.map((a) => a.body)).toEqual(['', '']);
    expect(await history().countDocuments({ customerId: new ObjectId(card.id), action: 'note' })).toBe(1);
    expect(await history().findOne({ customerId: new ObjectId(card.id), action: 'note' })).toMatchObject({
      userId: SELLER.userId,
      note: '李总喜欢喝普洱，别送咖啡',
      source: { channelId: SALES, ts, authorId: COLLEAGUE.userId, permalink: expect.stringContaining(SALES) },
    });
    expect(await visits().countDocuments({ customerId: new ObjectId(card.id) })).toBe(0);
    expect((await customers().findOne({ _id: new ObjectId(card.id) }))!.lastContactDate).toBeUndefined();
    const notice = await h.fake.waitForResponse(responseUrl, before);
    expect(visibleText(notice.args.blocks)).toContain('作为备注保存到 *李四* 的客户卡');

    const shown = await h.command('李四');
    const { view: historyView } = await h.openModal(SELLER, findButton(shown.args.blocks, ACTION.history), {
      responseUrl: shown.responseUrl,
    });
    const text = visibleText(historyView.blocks);
    expect(text).toContain('保存了一条备注');
    expect(text).toContain('李总喜欢喝普洱，别送咖啡');
  });

  it('to a new card made with the name typed, once, even when the submission arrives twice', async () => {
    const ts = post('新客户赵六想要目录，电话明天给');
    const { view } = await openSave(ts);
    const changes = { customer: 'new:赵六', what: 'need' };
    await Promise.all([h.submitView(SELLER, view, changes), h.submitView(SELLER, view, changes)]);
    const made = await customers().find({ teamId: SELLER.teamId, name: '赵六' }).toArray();
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ ownerId: SELLER.userId, createdBy: SELLER.userId, lastContactDate: '2026-11-23' });
    expect(await visits().find({ customerId: made[0]!._id }).toArray()).toMatchObject([
      { needs: '新客户赵六想要目录，电话明天给', source: { ts } },
    ]);
    expect(await history().countDocuments({ customerId: made[0]!._id, action: 'created' })).toBe(1);
  });

  it('anyone of the workspace may save to any card, as Log visit on the card allows', async () => {
    const ts = post('张总下周出差', { user: SELLER.userId });
    const { view } = await openSave(ts, COLLEAGUE);
    expect((await h.submitView(COLLEAGUE, view, { customer: zhang.id })).body).toBe('');
    expect(await visits().findOne({ 'source.ts': ts })).toMatchObject({
      createdBy: COLLEAGUE.userId,
      source: { authorId: SELLER.userId },
    });
  });
});

describe('bad input', () => {
  it('is answered inline, in the words of the visit modal: no customer, a promise without its day, a need too long', async () => {
    const ts = post('x'.repeat(1200));
    const { view } = await openSave(ts);
    const answer = async (changes: Record<string, unknown>) => (await h.submitView(SELLER, view, changes)).json();
    expect((await answer({})).errors).toEqual({ customer: '请从列表中选择一张客户卡。' });
    expect((await answer({ customer: zhang.id, what: 'promise' })).errors).toEqual({
      text: '太长了：最多 300 个字符。',
      promiseDue: '请为这条承诺选择兑现日期。',
    });
    expect((await answer({ customer: zhang.id, what: 'need' })).errors).toEqual({ text: '太长了：最多 1000 个字符。' });
    expect((await answer({ customer: zhang.id, date: '2026-11-30' })).errors).toEqual({ date: '日期不能晚于今天。' });
    expect((await answer({ customer: zhang.id, what: 'note', text: ' ' })).errors).toEqual({ text: '必填。' });
    expect((await answer({ customer: 'new:', what: 'note' })).errors).toEqual({ customer: '必填。' });
    expect((await answer({ customer: 'not-a-card', what: 'note' })).errors).toEqual({
      customer: '请从列表中选择一张客户卡。',
    });
    expect((await answer({ customer: new ObjectId().toString(), what: 'note' })).errors).toEqual({
      customer: '这张客户卡不存在或不属于本工作区。',
    });
    // A card of another workspace, its id put in the submission: as if it did not exist.
    const foreign = await createCard(h, TEAM_B, { name: '乙队张三' });
    expect((await answer({ customer: foreign.id, what: 'note' })).errors).toEqual({
      customer: '这张客户卡不存在或不属于本工作区。',
    });
    expect((await answer({ customer: foreign.id, what: 'contact' })).errors).toEqual({
      customer: '这张客户卡不存在或不属于本工作区。',
    });
    expect(await history().countDocuments({ customerId: new ObjectId(foreign.id), action: { $ne: 'created' } })).toBe(
      0,
    );
    expect(await visits().countDocuments({ 'source.ts': ts })).toBe(0);
  });

  it('a message of 40,000 characters is cut to the text field’s 3,000, and the modal says so', async () => {
    const ts = post(`开头${'长'.repeat(39_996)}结尾`);
    const { view } = await openSave(ts);
    const text = field(view, 'text');
    expect(text.max_length).toBe(3000);
    expect(text.initial_value).toHaveLength(3000);
    expect(text.initial_value.startsWith('开头长长')).toBe(true);
    expect(visibleText(view.blocks)).toContain(
      '这条消息有 40000 个字符，超过了内容栏 3000 个字符的上限，只带入了前 3000 个',
    );
    expect((await h.submitView(SELLER, view, { customer: zhang.id, what: 'note' })).body).toBe('');
    expect((await history().findOne({ 'source.ts': ts }))!.note).toHaveLength(3000);
  });
});

describe('messages the bot cannot read', () => {
  const savedFrom = (ts: string) =>
    Promise.all([visits().countDocuments({ 'source.ts': ts }), history().countDocuments({ 'source.ts': ts })]);

  it('in a channel it is not in: says how to invite it, saves nothing', async () => {
    const ts = post('张总下月来访', { channel: 'CNOBOT' });
    h.fake.botNotIn('CNOBOT');
    const { view } = await openSave(ts, SELLER, 'CNOBOT');
    expect(view.callback_id).toBeUndefined();
    expect(view.submit).toBeUndefined();
    expect(visibleText(view.blocks)).toContain('客户卡不在这个频道里');
    expect(visibleText(view.blocks)).toContain('/invite @客户卡');
    expect(await savedFrom(ts)).toEqual([0, 0]);
  });

  it('in a private channel: says it cannot read it and how to get the message to it, saves nothing', async () => {
    const ts = post('私下说的', { channel: 'CPRIVATE' });
    h.fake.privateChannel('CPRIVATE');
    const { view } = await openSave(ts, SELLER, 'CPRIVATE');
    expect(visibleText(view.blocks)).toContain('客户卡读不到这条消息');
    expect(visibleText(view.blocks)).toContain('/invite @客户卡');
    expect(await savedFrom(ts)).toEqual([0, 0]);
  });

  it('a crafted request naming the bot’s DM with someone else: refused, nothing read or saved', async () => {
    // The bot's DM with the colleague holds a card it sent them.
    const colleagueDm = h.fake.dmOf(COLLEAGUE.userId);
    const ts = h.fake.postUserMessage(SELLER.teamId, colleagueDm, { user: COLLEAGUE.userId, text: '我的私事' });
    const before = h.fake.mark();
    const { view } = await openSave(ts, SELLER, colleagueDm);
    expect(visibleText(view.blocks)).toContain('客户卡读不到这条消息');
    expect(h.fake.calls.slice(before).filter((c) => c.method.startsWith('conversations.h'))).toEqual([]);
    expect(JSON.stringify(h.fake.calls.slice(before))).not.toContain('我的私事');
  });

  it('from the person’s own DM with the app: saved', async () => {
    const ownDm = h.fake.dmOf(SELLER.userId);
    const ts = h.fake.postUserMessage(SELLER.teamId, ownDm, {
      user: SELLER.userId,
      text: '记一下：张总生日 3 月 8 日',
    });
    const { view } = await openSave(ts, SELLER, ownDm);
    expect(JSON.stringify(view.blocks)).toContain('私信');
    expect((await h.submitView(SELLER, view, { customer: zhang.id, what: 'note' })).body).toBe('');
    expect(await savedFrom(ts)).toEqual([0, 1]);
  });

  it('a guest naming a public channel they are not in: refused; in it: saved', async () => {
    const guest: Actor = { teamId: SELLER.teamId, userId: 'U5GUEST' };
    h.fake.setUser(guest.userId, guest.teamId, 'guest');
    const ts = post('渠道价格表');
    h.fake.setMembers(SALES, [SELLER.userId, COLLEAGUE.userId]);
    expect(visibleText((await openSave(ts, guest)).view.blocks)).toContain('客户卡读不到这条消息');
    h.fake.setMembers(SALES, [SELLER.userId, COLLEAGUE.userId, guest.userId]);
    expect((await openSave(ts, guest)).view.callback_id).toBe(CALLBACK.saveMessageModal);
  });

  it('a message that does not exist (a crafted ts), or deleted before Save: nothing saved', async () => {
    const { view } = await openSave('1700000000.999999');
    expect(visibleText(view.blocks)).toContain('找不到这条消息');

    const ts = post('马上要删的消息');
    const { view: form } = await openSave(ts);
    h.fake.deleteMessage(SALES, ts);
    const answer = (await h.submitView(SELLER, form, { customer: zhang.id })).json();
    expect(answer.errors).toEqual({ text: '找不到这条消息（可能已经删除了），没有保存。' });
    expect(await savedFrom(ts)).toEqual([0, 0]);
  });

  it('when Slack fails to answer: the modal says so instead of reading for ever; logged, nothing saved', async () => {
    const ts = post('读的时候出错');
    h.fake.failNext('conversations.history', { error: 'internal_error' });
    const { view, responseUrl } = await openSave(ts);
    expect(visibleText(view.blocks)).toContain('出错了，没能完成');
    expect(visibleText((await h.fake.waitForResponse(responseUrl)).args.blocks)).toContain('出错了');
    expect(h.logs.splice(0)).toEqual([
      expect.stringMatching(/^ERROR team T1 user U1SELLER save_message_to_card failed/),
    ]);
    expect(await savedFrom(ts)).toEqual([0, 0]);
  });

  it('a reply in a thread is read from its thread', async () => {
    const parent = post('张总的需求汇总');
    const reply = h.fake.postUserMessage(SELLER.teamId, SALES, {
      user: COLLEAGUE.userId,
      text: '补充：要蓝色款',
      threadTs: parent,
    });
    const { view } = await openSave(reply, SELLER, SALES, { threadTs: parent });
    expect(field(view, 'text').initial_value).toBe('补充：要蓝色款');
    expect((await h.submitView(SELLER, view, { customer: zhang.id, what: 'need' })).body).toBe('');
    expect(await visits().findOne({ 'source.ts': reply })).toMatchObject({
      needs: '补充：要蓝色款',
      source: { permalink: expect.stringContaining(`thread_ts=${parent}`) },
    });
  });
});
