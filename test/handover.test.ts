import fc from 'fast-check';
import { parseLookup, unescapeSlack } from '../src/domain/lookup.js';
import { ACTION, CALLBACK } from '../src/views/ids.js';
import { eventually } from './support/eventually.js';
import { createCard, type CreatedCard } from './support/flows.js';
import { collectionsOf, findButton, TEAM_A, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';
import { cardWithVisit } from './support/visits.js';

const T = TEAM_A.teamId;
const MANAGER: Actor = { teamId: T, userId: 'U7MANAGER' };
const LEAVER: Actor = { teamId: T, userId: 'U5LEAVER' };
const SUCCESSOR = 'U6SUCCESSOR';
const BYSTANDER: Actor = { teamId: T, userId: 'U8MEMBER' };
const COLLEAGUE = 'U2COLLEAGUE';

const h = useHarness({ instances: 2, now: '2026-11-23T10:00:00+08:00', env: { MANAGER_USER_ID: MANAGER.userId } });

beforeAll(() => {
  for (const actor of [MANAGER, LEAVER, BYSTANDER, TEAM_A]) h.fake.setUser(actor.userId, T, 'member');
});

const { customers, nudges, history } = collectionsOf(h);

/** A card of `actor` with a visit logged today: a follow-up and a promise, both due on `due`. */
const cardWithWork = (actor: Actor, name: string, due: string): Promise<CreatedCard> =>
  cardWithVisit(h, actor, name, {
    notes: '拜访',
    nextFollowUpDate: due,
    nextFollowUpPlan: `跟进${name}`,
    promise1: `给${name}寄样品`,
    promise1Due: due,
  });

/** The card as `actor` sees it after `/card <number>`. */
async function shownCard(actor: Actor, number: string) {
  return h.command(number, actor);
}

async function reassignAs(actor: Actor, card: CreatedCard, to: string, reason: string) {
  const shown = await shownCard(actor, card.number);
  const { view, responseUrl } = await h.openModal(actor, findButton(shown.args.blocks, ACTION.reassign));
  return { res: await h.submitView(actor, view, { to, reason }), responseUrl, view };
}

describe('Reassign on a card', () => {
  let card: CreatedCard;

  it('gives the card to a colleague with a reason: owner, history, waiting nudges and the next nudge all move; the colleague is told once', async () => {
    card = await cardWithWork(TEAM_A, '转交一', '2026-11-26');
    const before = h.fake.mark();
    const { res, responseUrl } = await reassignAs(TEAM_A, card, COLLEAGUE, '调岗到华南');
    expect(res.body).toBe('');

    const saved = await customers().findOne({ number: card.number });
    expect(saved).toMatchObject({ ownerId: COLLEAGUE, updatedBy: TEAM_A.userId });
    const entry = await history().findOne({ customerId: saved!._id, action: 'reassigned' });
    expect(entry).toMatchObject({ userId: TEAM_A.userId });
    expect(entry!.changes).toEqual([
      { field: 'ownerId', from: TEAM_A.userId, to: COLLEAGUE },
      { field: 'reassignReason', to: '调岗到华南' },
    ]);

    const open = await nudges().find({ customerId: saved!._id, status: 'pending' }).toArray();
    expect(open.map((n) => n.kind).sort()).toEqual(['cadence', 'followUp', 'poolWarning', 'promise']);
    for (const n of open) expect(n.ownerId).toBe(COLLEAGUE);
    // The contact is booked in the new owner's wrap-up of the evening before.
    expect(await nudges().findOne({ kind: 'wrapUp', ownerId: COLLEAGUE, dueDate: '2026-11-25' })).not.toBeNull();

    const reshown = await h.fake.waitForResponse(responseUrl, before);
    expect(visibleText(reshown.args.blocks)).toContain(`<@${COLLEAGUE}>`);
    const told = await eventually(async () => {
      const calls = h.fake.accepted('chat.postMessage').filter((c) => c.args.channel === COLLEAGUE);
      expect(calls).toHaveLength(1);
      return calls;
    });
    expect(visibleText(told[0]!.args.blocks)).toContain('调岗到华南');

    const { view } = await h.openModal(TEAM_A, findButton(reshown.args.blocks, ACTION.history));
    expect(visibleText(view.blocks)).toContain('转交了这张客户卡');

    h.clock.set('2026-11-26T09:00:00+08:00');
    await h.scanOnEveryInstance();
    const promiseNudge = h.fake
      .accepted('chat.postMessage')
      .filter((c) => visibleText(c.args.blocks).includes('给转交一寄样品'));
    expect(promiseNudge).toHaveLength(1);
    expect(promiseNudge[0]!.args.channel).toBe(COLLEAGUE);
    h.clock.set('2026-11-23T10:00:00+08:00');
  });

  it('is offered only to the owner, the manager or an admin, refused to anyone else even when crafted, and nothing changes', async () => {
    const other = await createCard(h, TEAM_A, { name: '转交二' });
    const before = await customers().findOne({ number: other.number });
    expect(JSON.stringify((await shownCard(BYSTANDER, other.number)).args.blocks)).not.toContain(ACTION.reassign);
    findButton((await shownCard(TEAM_A, other.number)).args.blocks, ACTION.reassign);
    findButton((await shownCard(MANAGER, other.number)).args.blocks, ACTION.reassign);
    // Pressed anyway, as a crafted payload would.
    const { view } = await h.openModal(BYSTANDER, { action_id: ACTION.reassign, value: other.id });
    const res = await h.submitView(BYSTANDER, view, { to: BYSTANDER.userId, reason: '我想要' });
    expect(res.json()).toMatchObject({
      response_action: 'errors',
      errors: { to: expect.stringContaining('负责人、经理或管理员') },
    });
    expect(await customers().findOne({ number: other.number })).toEqual(before);
    expect(await history().countDocuments({ customerId: before!._id, action: 'reassigned' })).toBe(0);
  });

  it('an edit never changes the owner: the modal shows who owns the card and where to change it; a crafted owner is ignored', async () => {
    const other = await createCard(h, TEAM_A, { name: '转交编辑' });
    const { view } = await h.openModal(BYSTANDER, { action_id: ACTION.editCard, value: other.id });
    expect(view.blocks.some((b: Record<string, any>) => b.block_id === 'ownerId')).toBe(false);
    expect(visibleText(view.blocks)).toContain(`负责人：<@${TEAM_A.userId}>。更换负责人请用卡片上的「转交」。`);
    // The same view with an owner picker put back by hand, as a crafted payload would.
    const crafted = {
      ...view,
      blocks: [
        ...view.blocks,
        { type: 'input', block_id: 'ownerId', element: { type: 'users_select', action_id: 'value' } },
      ],
    };
    expect((await h.submitView(BYSTANDER, crafted, { ownerId: BYSTANDER.userId, preferences: '改了备注' })).body).toBe(
      '',
    );
    const saved = await customers().findOne({ number: other.number });
    expect(saved).toMatchObject({ ownerId: TEAM_A.userId, preferences: '改了备注' });
    const entry = await history().findOne({ customerId: saved!._id, action: 'updated' });
    expect(entry!.changes.map((c: { field: string }) => c.field)).toEqual(['preferences']);
  });

  it('the manager may reassign any card; an empty or too long reason is an inline error', async () => {
    const other = await createCard(h, TEAM_A, { name: '转交三' });
    const shown = await shownCard(MANAGER, other.number);
    const { view } = await h.openModal(MANAGER, findButton(shown.args.blocks, ACTION.reassign));
    expect((await h.submitView(MANAGER, view, { to: COLLEAGUE, reason: '   ' })).json()).toMatchObject({
      errors: { reason: '请写明转交原因。' },
    });
    expect((await h.submitView(MANAGER, view, { to: COLLEAGUE, reason: '长'.repeat(301) })).json()).toMatchObject({
      errors: { reason: expect.stringContaining('300') },
    });
    expect((await h.submitView(MANAGER, view, { to: COLLEAGUE, reason: '区域调整' })).body).toBe('');
    expect(await customers().findOne({ number: other.number })).toMatchObject({ ownerId: COLLEAGUE });
  });

  it('a card changed since the modal opened is not reassigned over the change', async () => {
    const other = await createCard(h, TEAM_A, { name: '转交四' });
    const shown = await shownCard(TEAM_A, other.number);
    const { view } = await h.openModal(TEAM_A, findButton(shown.args.blocks, ACTION.reassign));
    const { view: edit } = await h.openModal(TEAM_A, findButton(shown.args.blocks, ACTION.editCard));
    expect((await h.submitView(TEAM_A, { ...edit, id: 'V-edit' }, { company: '新公司' })).body).toBe('');
    expect((await h.submitView(TEAM_A, view, { to: COLLEAGUE, reason: '离职' })).json()).toMatchObject({
      errors: { to: expect.stringContaining('刚被别人修改') },
    });
    expect(await customers().findOne({ number: other.number })).toMatchObject({
      ownerId: TEAM_A.userId,
      company: '新公司',
    });
  });
});

describe('/card handover', () => {
  const command = `handover <@${LEAVER.userId}|leaver> <@${SUCCESSOR}|successor>`;
  let cards: CreatedCard[];

  it('is refused to anyone but an admin or the manager', async () => {
    const reply = await h.command(command, LEAVER);
    expect(visibleText(reply.args.blocks)).toContain('只有管理员和经理可以交接客户卡');
    expect(JSON.stringify(reply.args.blocks)).not.toContain(ACTION.handoverConfirm);
  });

  it('previews what moves: cards, open reminders, open promises, receivables', async () => {
    cards = [
      await cardWithWork(LEAVER, '交接甲', '2026-11-27'),
      await cardWithWork(LEAVER, '交接乙', '2026-11-28'),
      await createCard(h, LEAVER, { name: '交接丙' }),
    ];
    const shown = await shownCard(LEAVER, cards[2]!.number);
    const { view } = await h.openModal(LEAVER, findButton(shown.args.blocks, ACTION.recordSale));
    expect(
      (
        await h.submitView(LEAVER, view, {
          product: '货款',
          quantity: 1,
          amountFen: '1234.5',
          date: '2026-11-23',
          dueDate: '2026-12-23',
        })
      ).body,
    ).toBe('');

    const reply = await h.command(command, MANAGER);
    const text = visibleText(reply.args.blocks);
    const reminders = await nudges().countDocuments({
      ownerId: LEAVER.userId,
      status: { $in: ['pending', 'failed'] },
      customerId: { $exists: true },
    });
    expect(text).toContain(
      `3 张客户卡、${reminders} 条待发提醒、2 项未兑现承诺、应收款 ¥1,234.50 从 <@${LEAVER.userId}> 交给 <@${SUCCESSOR}>`,
    );
    expect(reminders).toBeGreaterThanOrEqual(4);
  });

  it('a crafted Confirm from someone not an admin or the manager changes nothing', async () => {
    const reply = await h.command(command, MANAGER);
    const confirm = findButton(reply.args.blocks, ACTION.handoverConfirm);
    const before = h.fake.mark();
    const click = await h.clickButton(BYSTANDER, confirm);
    const answer = await h.fake.waitForResponse(click.responseUrl, before);
    expect(visibleText(answer.args.blocks)).toContain('只有管理员和经理可以交接客户卡');
    expect(await customers().countDocuments({ ownerId: LEAVER.userId })).toBe(3);
    expect(await h.db.collection('handovers').countDocuments()).toBe(0);
  });

  it('two Confirm clicks at once move every card once, and each person gets one summary', async () => {
    const reply = await h.command(command, MANAGER);
    const confirm = findButton(reply.args.blocks, ACTION.handoverConfirm);
    const before = h.fake.mark();
    const clicks = await Promise.all(
      [0, 1].map(() => h.clickButton(MANAGER, confirm, { responseUrl: reply.responseUrl })),
    );
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    await h.fake.waitForResponse(reply.responseUrl, before);

    const summaries = () =>
      h.fake.accepted('chat.postMessage').filter((c) => [LEAVER.userId, SUCCESSOR].includes(String(c.args.channel)));
    await eventually(async () => expect(summaries()).toHaveLength(2));
    // Both clicks have answered: nothing more is on its way.
    await eventually(async () =>
      expect(
        h.fake.accepted('response_url').filter((c) => c.responseUrl === reply.responseUrl).length,
      ).toBeGreaterThanOrEqual(2),
    );
    const all = summaries();
    expect(all.map((c) => c.args.channel).sort()).toEqual([LEAVER.userId, SUCCESSOR].sort());
    expect(visibleText(all.find((c) => c.args.channel === SUCCESSOR)!.args.blocks)).toContain('3 张客户卡');

    expect(await customers().countDocuments({ ownerId: LEAVER.userId })).toBe(0);
    expect(await customers().countDocuments({ ownerId: SUCCESSOR })).toBe(3);
    for (const card of cards) {
      const saved = await customers().findOne({ number: card.number });
      expect(await history().countDocuments({ customerId: saved!._id, action: 'reassigned' })).toBe(1);
    }
    expect(
      await nudges().countDocuments({
        ownerId: LEAVER.userId,
        status: { $in: ['pending', 'failed'] },
        customerId: { $exists: true },
      }),
    ).toBe(0);
    expect(await nudges().countDocuments({ ownerId: SUCCESSOR, kind: 'promise', status: 'pending' })).toBe(2);
    const done = h.fake
      .accepted('response_url')
      .filter((c) => c.responseUrl === reply.responseUrl && c.args.replace_original === true);
    expect(done.map((c) => visibleText(c.args.blocks))).toContain('已完成：转交 3 张客户卡。');
  });

  it('asks for two different people by @mention', async () => {
    for (const text of [
      'handover',
      `handover <@${LEAVER.userId}>`,
      `交接 <@${LEAVER.userId}> <@${LEAVER.userId}>`,
      'handover leaver successor',
    ]) {
      expect(visibleText((await h.command(text, MANAGER)).args.blocks)).toContain('用法');
    }
  });
});

describe('Hand over from App Home', () => {
  const LEAVING: Actor = { teamId: T, userId: 'U3LEAVING' };
  const TAKER = 'U4TAKER';
  const START = { type: 'button', action_id: ACTION.handoverStart, value: 'start' };
  const refusal = '只有管理员和经理可以交接客户卡';
  const previews = (to: string, after: number) =>
    h.fake.calls
      .slice(after)
      .filter(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.args.channel === to &&
          JSON.stringify(c.args.blocks).includes(ACTION.handoverConfirm),
      );

  beforeAll(async () => {
    h.fake.setUser(LEAVING.userId, T, 'member');
    await cardWithWork(LEAVING, '主页交接甲', '2026-11-27');
    await createCard(h, LEAVING, { name: '主页交接乙' });
  });

  /** Presses Hand over on `actor`'s Home (a view: no response_url); resolves with the modal it opened. */
  async function openHandover(actor: Actor): Promise<Record<string, any>> {
    const mark = h.fake.mark();
    await h.homeAction(actor, START);
    return (await h.fake.waitFor('views.open', (c) => c.args.view.callback_id === CALLBACK.handoverModal, mark)).args
      .view;
  }

  it("is on the manager's Home, not on a member's", async () => {
    findButton((await h.openHome(MANAGER)).blocks, ACTION.handoverStart);
    const member = await h.openHome(BYSTANDER);
    expect(() => findButton(member.blocks, ACTION.handoverStart)).toThrow();
  });

  it("a member's crafted press is refused by DM and opens nothing; their crafted submission is refused inline and nothing moves", async () => {
    const mark = h.fake.mark();
    expect((await h.homeAction(BYSTANDER, START)).status).toBe(200);
    const notice = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === BYSTANDER.userId, mark);
    expect(visibleText(notice.args.blocks)).toContain(refusal);
    expect(h.fake.calls.slice(mark).filter((c) => c.method === 'views.open')).toEqual([]);

    const view = await openHandover(MANAGER);
    const submitted = h.fake.mark();
    const res = await h.submitView(BYSTANDER, view, { from: LEAVING.userId, to: BYSTANDER.userId });
    expect(res.json()).toEqual({ response_action: 'errors', errors: { from: `${refusal}。` } });
    expect(previews(BYSTANDER.userId, submitted)).toEqual([]);
    expect(await customers().countDocuments({ ownerId: LEAVING.userId })).toBe(2);
    expect(await h.db.collection('handovers').countDocuments({ fromId: LEAVING.userId })).toBe(0);
  });

  it('asks for two different people, inline', async () => {
    const view = await openHandover(MANAGER);
    const mark = h.fake.mark();
    expect((await h.submitView(MANAGER, view, { from: LEAVING.userId, to: LEAVING.userId })).json()).toEqual({
      response_action: 'errors',
      errors: { to: '原负责人和接替者不能是同一个人。' },
    });
    expect((await h.submitView(MANAGER, view, { from: null, to: TAKER })).json()).toEqual({
      response_action: 'errors',
      errors: { from: '请选择一位同事。' },
    });
    expect((await h.submitView(MANAGER, view, { from: null, to: null })).json()).toEqual({
      response_action: 'errors',
      errors: { from: '请选择一位同事。', to: '请选择一位同事。' },
    });
    expect(previews(MANAGER.userId, mark)).toEqual([]);
  });

  it("the manager's submission DMs them the preview; its Confirm there moves the cards and each person gets a summary", async () => {
    const view = await openHandover(MANAGER);
    expect(
      view.blocks
        .filter((b: Record<string, any>) => b.type === 'input')
        .map((b: Record<string, any>) => [b.block_id, b.element.type]),
    ).toEqual([
      ['from', 'users_select'],
      ['to', 'users_select'],
    ]);
    const mark = h.fake.mark();
    expect((await h.submitView(MANAGER, view, { from: LEAVING.userId, to: TAKER })).body).toBe('');
    const dm = await h.fake.waitFor('chat.postMessage', (c) => previews(MANAGER.userId, mark).includes(c), mark);
    const reminders = await nudges().countDocuments({
      ownerId: LEAVING.userId,
      status: { $in: ['pending', 'failed'] },
      customerId: { $exists: true },
    });
    expect(reminders).toBeGreaterThanOrEqual(2);
    expect(visibleText(dm.args.blocks)).toContain(
      `2 张客户卡、${reminders} 条待发提醒、1 项未兑现承诺、应收款 ¥0.00 从 <@${LEAVING.userId}> 交给 <@${TAKER}>`,
    );
    // A preview moves nothing.
    expect(await customers().countDocuments({ ownerId: LEAVING.userId })).toBe(2);

    // The successor is looking at their Home: it is republished once the cards are theirs.
    await h.openHome({ teamId: T, userId: TAKER });
    const before = h.fake.mark();
    const click = await h.clickButton(MANAGER, findButton(dm.args.blocks, ACTION.handoverConfirm), {
      channel: h.fake.dmOf(MANAGER.userId),
      messageTs: '1700000000.000200',
    });
    const done = await h.fake.waitForResponse(click.responseUrl, before);
    expect(done.args.replace_original).toBe(true);
    expect(visibleText(done.args.blocks)).toContain('已完成：转交 2 张客户卡。');
    expect(await customers().countDocuments({ ownerId: LEAVING.userId })).toBe(0);
    expect(await customers().countDocuments({ ownerId: TAKER })).toBe(2);

    const summaries = () =>
      h.fake.calls
        .slice(before)
        .filter(
          (c) =>
            c.method === 'chat.postMessage' && !c.error && [LEAVING.userId, TAKER].includes(String(c.args.channel)),
        );
    await eventually(async () => expect(summaries()).toHaveLength(2));
    expect(visibleText(summaries().find((c) => c.args.channel === LEAVING.userId)!.args.blocks)).toContain(
      `2 张客户卡交接给了 <@${TAKER}>`,
    );
    expect(visibleText(summaries().find((c) => c.args.channel === TAKER)!.args.blocks)).toContain(
      `把 <@${LEAVING.userId}> 负责的 2 张客户卡交接给了你`,
    );
    await h.fake.waitFor('views.publish', (c) => c.args.user_id === TAKER, before);
  });
});

describe("undoing Slack's escaping in /card text", () => {
  it('turns entities, e-mail and link markup back into what was typed, and keeps mentions', () => {
    expect(unescapeSlack('A &amp; B &lt;Co&gt;')).toBe('A & B <Co>');
    expect(unescapeSlack('<mailto:li@example.com|li@example.com>')).toBe('li@example.com');
    expect(unescapeSlack('<http://example.com|example.com> 张三')).toBe('example.com 张三');
    expect(unescapeSlack('<https://example.com/x>')).toBe('https://example.com/x');
    expect(unescapeSlack('<@U123|li> <@W456>')).toBe('<@U123|li> <@W456>');
    expect(unescapeSlack('&amp;lt;')).toBe('&lt;');
    expect(unescapeSlack('<!channel> <#C1|sales> &lt;!here&gt;')).toBe('<!channel> #sales <!here>');
    expect(parseLookup('A &amp; B')).toMatchObject({ kind: 'name', text: 'A & B' });
    expect(parseLookup('交接 <@U1|a> <@U2|b>')).toEqual({ kind: 'handover', fromId: 'U1', toId: 'U2' });
  });

  it('reads any text, escaped as Slack escapes it, as typed', () => {
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    fc.assert(fc.property(fc.string(), (typed) => unescapeSlack(escape(typed)) === typed));
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/[<>|]/.test(s)),
        (label) => unescapeSlack(`<http://example.com|${escape(label)}>`) === label,
      ),
    );
  });
});
