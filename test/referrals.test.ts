import { ObjectId } from 'mongodb';
import { ACTION } from '../src/views/ids.js';
import { createCard, recordSale as recordSaleFrom } from './support/flows.js';
import { collectionsOf, findButton, TEAM_A, TEAM_A_COLLEAGUE, TEAM_B, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

const h = useHarness({ instances: 2, now: '2026-11-23T10:00:00+08:00' });

const { referrals, customers, history } = collectionsOf(h);
const posts = (kindText?: string) =>
  h.fake.calls.filter(
    (c) => c.method === 'chat.postMessage' && (!kindText || visibleText(c.args.blocks).includes(kindText)),
  );

async function cardOf(name: string, actor: Actor = TEAM_A) {
  return h.command(name, actor);
}

/** Record referral on the referrer's card → fill the prospect → Save; returns the referrer's card as refreshed. */
async function recordReferral(referrer: string, prospect: Record<string, unknown>, actor: Actor = TEAM_A) {
  const card = await cardOf(referrer, actor);
  const { view, responseUrl } = await h.openModal(actor, findButton(card.args.blocks, ACTION.recordReferral), {
    responseUrl: card.responseUrl,
  });
  const before = h.fake.mark();
  const res = await h.submitView(actor, view, prospect);
  return { res, refreshed: res.body === '' ? await h.fake.waitForResponse(responseUrl, before) : undefined };
}

async function referralOf(prospectName: string) {
  const prospect = await customers().findOne({ name: prospectName });
  return referrals().findOne({ referredId: prospect!._id });
}

const recordSale = (name: string, amountFen: string) => recordSaleFrom(h, TEAM_A, name, { amountFen });

async function logContactFrom(nudge: { args: Record<string, any> }, actor: Actor = TEAM_A) {
  const { view } = await h.openModal(actor, findButton(nudge.args.blocks, ACTION.nudgeLogVisit));
  const res = await h.submitView(actor, view, { kind: 'phone', notes: '电话聊了需求' });
  expect(res.body).toBe('');
}

describe('recording a referral', () => {
  beforeAll(async () => {
    await createCard(h, TEAM_A, { name: '王大使', ownerId: 'U2COLLEAGUE' });
  });

  it("creates the prospect's card, links it, and writes both cards' history", async () => {
    const { res, refreshed } = await recordReferral('王大使', {
      name: '李新客',
      phone: '139 0000 1111',
      needs: '想换空调',
      notes: '周末方便',
    });
    expect(res.body).toBe('');
    const prospect = await customers().findOne({ name: '李新客' });
    const referrer = await customers().findOne({ name: '王大使' });
    expect(prospect).toMatchObject({
      status: 'potential',
      ownerId: 'U1SELLER',
      phoneKey: '13900001111',
      referrerId: referrer!._id.toString(),
    });
    expect(await referralOf('李新客')).toMatchObject({
      teamId: 'T1',
      referrerId: referrer!._id,
      status: 'open',
      needs: '想换空调',
      notes: '周末方便',
      recordedBy: 'U1SELLER',
      date: '2026-11-23',
      awaitingThanks: false,
    });
    expect(await history().countDocuments({ customerId: prospect!._id, action: 'referralRecorded' })).toBe(1);
    expect(await history().findOne({ customerId: referrer!._id, action: 'referralRecorded' })).toMatchObject({
      changes: [{ field: 'referral', to: `李新客 ${prospect!.number}` }],
    });
    expect(visibleText(refreshed!.args.blocks)).toContain('推荐了 1 位 · 成交 0 位');
  });

  it("nudges the prospect's owner at once, not at the nudge hour, with the 6-minute target and a Log contact button", async () => {
    const reports = await h.scanOnEveryInstance();
    expect(reports[0]!.sent + reports[1]!.sent).toBe(1);
    const [nudge] = posts('李新客');
    expect(nudge!.args.channel).toBe('U1SELLER');
    const text = visibleText(nudge!.args.blocks);
    expect(text).toContain('由 *王大使* 推荐');
    expect(text).toContain('6 分钟内联系');
    expect(text).toContain('需求：想换空调');
    findButton(nudge!.args.blocks, ACTION.nudgeLogVisit);
    expect(visibleText((await cardOf('李新客')).args.blocks)).toContain('还没有联系（目标：6 分钟内）');
  });

  it('records how long the first contact took, marks the nudge, and then sends no reminder', async () => {
    h.clock.set('2026-11-23T10:04:00+08:00');
    const before = h.fake.mark();
    await logContactFrom(posts('李新客')[0]!);
    const marked = await h.fake.waitFor('chat.update', () => true, before);
    expect(visibleText(marked.args.blocks)).toContain('转介绍：请马上联系');
    expect(visibleText(marked.args.blocks)).toContain('*李新客*');
    expect(visibleText(marked.args.blocks)).not.toContain('跟进提醒');
    expect(JSON.stringify(marked.args.blocks)).not.toContain(ACTION.nudgeLogVisit);
    expect(await referralOf('李新客')).toMatchObject({ firstContactMinutes: 4 });
    expect(visibleText((await cardOf('李新客')).args.blocks)).toContain('首次联系用时 4 分钟');

    h.clock.set('2026-11-23T11:01:00+08:00');
    await h.scanOnEveryInstance();
    expect(posts('李新客')).toHaveLength(1);
  });

  it('reminds the owner once, an hour later, when no contact was logged', async () => {
    h.clock.set('2026-11-23T14:00:00+08:00');
    await recordReferral('王大使', { name: '赵潜在' });
    await h.scanOnEveryInstance();
    expect(posts('赵潜在')).toHaveLength(1);

    h.clock.set('2026-11-23T14:59:59+08:00');
    await h.scanOnEveryInstance();
    expect(posts('赵潜在')).toHaveLength(1);
    h.clock.set('2026-11-23T15:00:00+08:00');
    await h.scanOnEveryInstance();
    await h.scanOnEveryInstance();
    const sent = posts('赵潜在');
    expect(sent).toHaveLength(2);
    expect(visibleText(sent[1]!.args.blocks)).toContain('已经过了 60 分钟还没有记录联系');
    h.clock.set('2026-11-24T15:00:00+08:00');
    await h.scanOnEveryInstance();
    expect(posts('赵潜在')).toHaveLength(2);
  });
});

describe('outcome and thanks', () => {
  it("a first sale makes the referral a deal and asks the referrer's owner to thank them", async () => {
    h.clock.set('2026-11-25T10:00:00+08:00');
    await recordSale('李新客', '5000');
    expect(await referralOf('李新客')).toMatchObject({ status: 'deal', awaitingThanks: true, outcomeBy: 'U1SELLER' });
    await h.scanOnEveryInstance();
    const [thanks] = posts('告诉推荐人结果');
    expect(thanks!.args.channel).toBe('U2COLLEAGUE');
    expect(visibleText(thanks!.args.blocks)).toContain('*王大使*');
    expect(visibleText(thanks!.args.blocks)).toContain('推荐的 *李新客* 已成交');
    findButton(thanks!.args.blocks, ACTION.thankReferrer);
    // A second sale is not a second outcome.
    await recordSale('李新客', '100');
    await h.scanOnEveryInstance();
    expect(posts('告诉推荐人结果')).toHaveLength(1);
  });

  it("the referrer's card shows the referrals, what they bought in 12 months, and who waits for thanks", async () => {
    const shown = visibleText((await cardOf('王大使')).args.blocks);
    expect(shown).toContain('推荐了 2 位 · 成交 1 位 · 近 12 个月带来 ¥5,100.00');
    expect(shown).toContain('李新客');
    expect(shown).toContain('还没有致谢推荐人');
  });

  it('two people thanking at once record one thanks; the nudge shows who did it, buttons gone', async () => {
    const [thanks] = posts('告诉推荐人结果');
    const where = {
      channel: 'U2COLLEAGUE',
      messageTs: (await h.db.collection('nudges').findOne({ kind: 'thanks' }))!.messageTs,
    };
    const [a, b] = await Promise.all([
      h.openModal(TEAM_A_COLLEAGUE, findButton(thanks!.args.blocks, ACTION.thankReferrer), where),
      h.openModal(TEAM_A, findButton(thanks!.args.blocks, ACTION.thankReferrer), where),
    ]);
    const before = h.fake.mark();
    const [resA, resB] = await Promise.all([
      h.submitView(TEAM_A_COLLEAGUE, a.view, { how: 'gift', note: '送了茶叶' }),
      h.submitView(TEAM_A, { ...b.view, id: 'V2' }, { how: 'call' }),
    ]);
    const answers = [resA.body, resB.body];
    expect(answers.filter((body) => body === '')).toHaveLength(1);
    expect(answers.find((body) => body !== '')).toContain('推荐人已经被致谢过了');

    const referral = await referralOf('李新客');
    expect(referral).toMatchObject({ awaitingThanks: false });
    expect(await history().countDocuments({ action: 'referrerThanked' })).toBe(2);
    const updated = await h.fake.waitFor('chat.update', (c) => c.args.ts === where.messageTs, before);
    expect(visibleText(updated.args.blocks)).toContain(`<@${referral!.thanks.by}> 已致谢推荐人`);
    expect(JSON.stringify(updated.args.blocks)).not.toContain(ACTION.thankReferrer);
    expect(await h.db.collection('nudges').findOne({ kind: 'thanks' })).toMatchObject({ status: 'done' });
    expect(visibleText((await cardOf('王大使')).args.blocks)).not.toContain('还没有致谢推荐人');

    const card = await cardOf('李新客');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.history));
    const shown = visibleText(view.blocks);
    expect(shown).toContain('转介绍结果：（空） → 已成交');
    expect(shown).toMatch(/致谢推荐人：（空） → (礼物|电话)/);
  });

  it('no deal, with a reason, also asks for thanks, and thanking from the card refreshes it', async () => {
    const prospect = await cardOf('赵潜在');
    const { view, responseUrl } = await h.openModal(TEAM_A, findButton(prospect.args.blocks, ACTION.referralNoDeal), {
      responseUrl: prospect.responseUrl,
    });
    expect((await h.submitView(TEAM_A, view, { reason: '' })).body).toContain('reason');
    expect(await h.submitView(TEAM_A, view, { reason: '预算不够' })).toMatchObject({ body: '' });
    expect(await referralOf('赵潜在')).toMatchObject({
      status: 'noDeal',
      noDealReason: '预算不够',
      awaitingThanks: true,
    });
    expect(visibleText((await h.fake.waitForResponse(responseUrl)).args.blocks)).toContain('未成交');
    await h.scanOnEveryInstance();
    expect(visibleText(posts('告诉推荐人结果').at(-1)!.args.blocks)).toContain('未成交（预算不够）');

    const referrer = await cardOf('王大使');
    const thank = await h.openModal(TEAM_A, findButton(referrer.args.blocks, ACTION.thankReferrer), {
      responseUrl: referrer.responseUrl,
    });
    const before = h.fake.mark();
    expect((await h.submitView(TEAM_A, thank.view, { how: 'visit', note: '上门道谢' })).body).toBe('');
    const refreshed = await h.fake.waitForResponse(thank.responseUrl, before);
    expect(visibleText(refreshed.args.blocks)).not.toContain('还没有致谢推荐人');
    expect((await referralOf('赵潜在'))!.thanks).toMatchObject({ by: 'U1SELLER', how: 'visit', note: '上门道谢' });
  });

  it('a later referral of the same customer gets its own first contact, not the closed one', async () => {
    const other = await createCard(h, TEAM_A, { name: '冯新荐' });
    const prospect = await cardOf('赵潜在');
    const { view } = await h.openModal(TEAM_A, findButton(prospect.args.blocks, ACTION.editCard), {
      responseUrl: prospect.responseUrl,
    });
    expect((await h.submitView(TEAM_A, view, { referrerId: other.id })).body).toBe('');
    h.clock.set('2026-11-26T10:10:00+08:00');
    const logged = await cardOf('赵潜在');
    const visit = await h.openModal(TEAM_A, findButton(logged.args.blocks, ACTION.logVisit), {
      responseUrl: logged.responseUrl,
    });
    expect((await h.submitView(TEAM_A, visit.view, { kind: 'phone' })).body).toBe('');
    const prospectId = (await customers().findOne({ name: '赵潜在' }))!._id;
    const [closed, open] = await referrals().find({ referredId: prospectId }).sort({ createdAt: 1 }).toArray();
    expect(closed).toMatchObject({ status: 'noDeal' });
    expect(closed!.firstContactMinutes).toBeUndefined();
    expect(open).toMatchObject({ status: 'open', referrerId: new ObjectId(other.id) });
    expect(typeof open!.firstContactMinutes).toBe('number');
  });

  it('`/card referrals` lists open referrals and those waiting for thanks', async () => {
    await recordReferral('王大使', { name: '钱候选' });
    const listed = visibleText((await h.command('转介绍')).args.blocks);
    expect(listed.startsWith('*转介绍*\n')).toBe(true);
    expect(listed).toContain('*进行中*（2）');
    expect(listed).toContain('赵潜在 ← 冯新荐');
    // Another workspace sees none of them.
    expect(visibleText((await h.command('referrals', TEAM_B)).args.blocks)).toContain('没有进行中或待致谢的转介绍');
    expect(listed).toContain('钱候选 ← 王大使');
  });
});

describe('choosing a referrer on the edit modal', () => {
  let referrerId: string;
  let prospectId: string;

  beforeAll(async () => {
    referrerId = (await createCard(h, TEAM_A, { name: '周推荐' })).id;
    prospectId = (await createCard(h, TEAM_A, { name: '吴客户' })).id;
  });

  async function editWith(name: string, changes: Record<string, unknown>, actor: Actor = TEAM_A) {
    const card = await cardOf(name, actor);
    const { view } = await h.openModal(actor, findButton(card.args.blocks, ACTION.editCard), {
      responseUrl: card.responseUrl,
    });
    return h.submitView(actor, view, changes);
  }

  it('refuses the card itself, a card of another workspace, or something that is not a card, writing nothing', async () => {
    const foreign = (await createCard(h, TEAM_B, { name: '外人' })).id;
    expect((await editWith('吴客户', { referrerId: prospectId })).body).toContain('客户不能推荐自己');
    expect((await editWith('吴客户', { referrerId: foreign })).body).toContain('推荐人的客户卡不存在或不属于本工作区');
    expect((await editWith('吴客户', { referrerId: '{"$gt":""}' })).body).toContain('请从列表中选择一张客户卡');
    expect(await referrals().countDocuments({ referredId: new ObjectId(prospectId) })).toBe(0);
    expect(await customers().findOne({ _id: new ObjectId(prospectId) })).toMatchObject({ version: 1 });
  });

  it('links the chosen card, shows it in the modal next time, and nudges at once', async () => {
    expect((await editWith('吴客户', { referrerId })).body).toBe('');
    expect(await referrals().findOne({ referredId: new ObjectId(prospectId) })).toMatchObject({
      referrerId: new ObjectId(referrerId),
      status: 'open',
    });
    const card = await cardOf('吴客户');
    expect(visibleText(card.args.blocks)).toContain('*推荐人* 周推荐');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.editCard));
    const picker = view.blocks.find((b: Record<string, any>) => b.block_id === 'referrerId').element;
    expect(picker).toMatchObject({
      type: 'external_select',
      action_id: ACTION.cardPicker,
      initial_option: { value: referrerId },
    });
    await h.scanOnEveryInstance();
    expect(posts('吴客户')).toHaveLength(1);
  });

  it('refuses a second open referral of the same prospect from someone else', async () => {
    const other = (await createCard(h, TEAM_A, { name: '郑另一个' })).id;
    expect((await editWith('吴客户', { referrerId: other })).body).toContain(
      '已经有一条进行中的转介绍（推荐人：周推荐',
    );
    expect(await referrals().countDocuments({ referredId: new ObjectId(prospectId) })).toBe(1);
  });

  it('keeps a referrer typed as free text before, shows it, and never loses it on save', async () => {
    const { insertedId } = await customers().insertOne({
      teamId: 'T1',
      number: 'KH-2026-0999',
      year: 2026,
      name: '老客户',
      nameKey: '老客户',
      searchKeysVersion: 99,
      version: 1,
      ambassador: false,
      referrer: '隔壁老王',
      createdBy: 'U1SELLER',
      updatedBy: 'U1SELLER',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const card = await cardOf('老客户');
    expect(visibleText(card.args.blocks)).toContain('推荐人（旧记录）* 隔壁老王');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.editCard));
    expect(visibleText(view.blocks)).toContain('隔壁老王');
    expect((await h.submitView(TEAM_A, view, { company: '老王公司' })).body).toBe('');
    expect(await customers().findOne({ _id: insertedId })).toMatchObject({
      referrer: '隔壁老王',
      company: '老王公司',
      version: 2,
    });
  });
});

describe('buttons naming something that is not there', () => {
  it.each([ACTION.thankReferrer, ACTION.referralNoDeal])(
    '%s with a forged or foreign referral id says not found and writes nothing',
    async (action) => {
      const foreignReferral = await referrals().insertOne({
        teamId: 'T2',
        referrerId: new ObjectId(),
        referredId: new ObjectId(),
        status: 'open',
        version: 1,
      });
      const modalsOpened = () =>
        h.fake.calls.filter(
          (c) => c.method === 'views.open' && ['thanks_modal', 'no_deal_modal'].includes(c.args.view.callback_id),
        ).length;
      const opened = modalsOpened();
      for (const value of [new ObjectId().toHexString(), foreignReferral.insertedId.toHexString(), '{"$ne":null}']) {
        const before = h.fake.mark();
        const click = await h.clickButton(TEAM_A, { action_id: action, value });
        const answer = await h.fake.waitForResponse(click.responseUrl, before);
        expect(visibleText(answer.args.blocks)).toContain('这条转介绍不存在或不属于本工作区');
      }
      expect(modalsOpened()).toBe(opened);
      expect(await referrals().findOne({ _id: foreignReferral.insertedId })).toMatchObject({
        status: 'open',
        version: 1,
      });
    },
  );

  it('Record referral on a deleted card says so', async () => {
    const before = h.fake.mark();
    const click = await h.clickButton(TEAM_A, {
      action_id: ACTION.recordReferral,
      value: new ObjectId().toHexString(),
    });
    expect(visibleText((await h.fake.waitForResponse(click.responseUrl, before)).args.blocks)).toContain(
      '这张客户卡不存在',
    );
  });
});

describe('the ambassador suggestion', () => {
  it('appears once two referred customers bought, and "not now" stops it for good', async () => {
    await createCard(h, TEAM_A, { name: '孙热心' });
    for (const name of ['孙一', '孙二']) {
      await recordReferral('孙热心', { name });
      await recordSale(name, '1000');
    }
    const card = await cardOf('孙热心');
    expect(visibleText(card.args.blocks)).toContain('已有 2 位成交。要把这位客户标为宣传大使吗');
    const before = h.fake.mark();
    const click = await h.clickButton(TEAM_A, findButton(card.args.blocks, ACTION.dismissAmbassadorSuggestion), {
      responseUrl: card.responseUrl,
    });
    expect(visibleText((await h.fake.waitForResponse(click.responseUrl, before)).args.blocks)).not.toContain(
      '要把这位客户标为宣传大使吗',
    );
    expect(await customers().findOne({ name: '孙热心' })).toMatchObject({
      ambassadorSuggestionDismissed: true,
      ambassador: false,
    });
    expect(visibleText((await cardOf('孙热心')).args.blocks)).not.toContain('要把这位客户标为宣传大使吗');
  });

  it('"mark as ambassador" marks them, in the history', async () => {
    await createCard(h, TEAM_A, { name: '钱热心' });
    for (const name of ['钱一', '钱二']) {
      await recordReferral('钱热心', { name });
      await recordSale(name, '1000');
    }
    const card = await cardOf('钱热心');
    const before = h.fake.mark();
    const click = await h.clickButton(TEAM_A, findButton(card.args.blocks, ACTION.markAmbassador), {
      responseUrl: card.responseUrl,
    });
    expect(visibleText((await h.fake.waitForResponse(click.responseUrl, before)).args.blocks)).toContain('宣传大使');
    const marked = await customers().findOne({ name: '钱热心' });
    expect(marked).toMatchObject({ ambassador: true });
    expect(
      await history().findOne({ customerId: marked!._id, action: 'updated', 'changes.field': 'ambassador' }),
    ).toMatchObject({ userId: 'U1SELLER' });
    expect(
      await h.db.collection('nudges').findOne({ customerId: marked!._id, kind: 'ambassador', status: 'pending' }),
    ).not.toBeNull();
    expect(visibleText((await h.command('ambassadors')).args.blocks)).toContain('钱热心');
    expect(visibleText((await h.command('ambassadors')).args.blocks)).toContain('推荐 2 位（成交 2）');
  });
});
