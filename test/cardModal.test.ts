import { ACTION } from '../src/views/ids.js';
import { createCard } from './support/flows.js';
import { collectionsOf, findButton, TEAM_A, TEAM_A_COLLEAGUE, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

const h = useHarness();

const { customers } = collectionsOf(h);
const historyOf = (customerId: unknown) => h.db.collection('history').find({ customerId }).sort({ at: 1 }).toArray();

async function openEdit(actor = TEAM_A, name = '赵六') {
  const card = await h.command(name, actor);
  return h.openModal(actor, findButton(card.args.blocks, ACTION.editCard), { responseUrl: card.responseUrl });
}

describe('creating a card', () => {
  it('saves every kind of field, numbers the card and shows it', async () => {
    const created = await createCard(h, TEAM_A, {
      name: '赵六',
      company: '赵氏五金',
      phone: '138 0000 6666',
      birthday: '1975-04-01',
      preferences: '喜欢高楼层，爱吃川菜',
      creditRating: 'high',
      creditLimitFen: '50,000.5',
      stage: 'trust',
      ambassador: true,
    });
    expect(created.number).toBe('KH-2026-0001');
    const shown = visibleText(created.shown.args.blocks);
    expect(shown).toContain('喜欢高楼层，爱吃川菜');
    expect(shown).toContain('¥50,000.50');
    expect(shown).toContain('信赖');
    expect(shown).toContain('<@U1SELLER>');

    const stored = await customers().findOne({ number: 'KH-2026-0001' });
    expect(stored).toMatchObject({
      teamId: 'T1',
      name: '赵六',
      phoneKey: '13800006666',
      creditLimitFen: 5000050,
      ambassador: true,
      ownerId: 'U1SELLER',
      version: 1,
      year: 2026,
    });
    const history = await historyOf(stored!._id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: 'created', userId: 'U1SELLER' });
    expect(history[0]!.changes).toEqual(expect.arrayContaining([{ field: 'name', to: '赵六' }]));
  });

  it("lists in the creation's history only what was filled in, not a checkbox left unticked", async () => {
    const created = await createCard(h, TEAM_A, { name: '没勾大使' });
    const stored = await customers().findOne({ number: created.number });
    const [entry] = await historyOf(stored!._id);
    expect(entry!.changes.map((c: { field: string }) => c.field)).toEqual(['name', 'ownerId']);
    const { view } = await h.openModal(TEAM_A, findButton(created.shown.args.blocks, ACTION.history));
    expect(visibleText(view.blocks)).not.toContain('宣传大使');
  });

  it('answers invalid fields inline in the modal and writes nothing', async () => {
    const before = await customers().countDocuments();
    const { view } = await h.openModal(TEAM_A, { action_id: ACTION.newCard, value: '{"name":"x"}' });
    const res = await h.submitView(TEAM_A, view, {
      name: '   ',
      phone: 'call me',
      creditLimitFen: '12.345',
      company: '公'.repeat(101),
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: {
        name: '必填。',
        phone: '电话号码只能包含数字、空格、+、-、.、/ 和括号，至少 5 位。',
        creditLimitFen: '请输入金额（元），例如 50000 或 1234.50。',
        company: '太长了：最多 100 个字符。',
      },
    });
    expect(await customers().countDocuments()).toBe(before);
  });

  it('refuses a phone number without enough digits', async () => {
    const { view } = await h.openModal(TEAM_A, { action_id: ACTION.newCard, value: '{"name":"x"}' });
    const res = await h.submitView(TEAM_A, view, { phone: '(--) 12' });
    expect(res.json().errors).toEqual({ phone: '电话号码只能包含数字、空格、+、-、.、/ 和括号，至少 5 位。' });
  });

  it('refuses an option that is not on the list', async () => {
    const { view } = await h.openModal(TEAM_A, { action_id: ACTION.newCard, value: '{"name":"x"}' });
    const res = await h.submitView(TEAM_A, view, { creditRating: 'infinite' });
    expect(res.json().errors).toEqual({ creditRating: '请从列表中选择。' });
  });
});

describe('editing a card', () => {
  // Edits come later than the creation, as they do in life; history is ordered by time.
  beforeAll(() => h.clock.advanceMs(60_000));

  it('opens with the current values and records who changed what', async () => {
    const { view, responseUrl } = await openEdit();
    expect(view.title.text).toBe('编辑客户卡');
    const value = (id: string) => view.blocks.find((b: Record<string, any>) => b.block_id === id).element;
    expect(value('phone').initial_value).toBe('138 0000 6666');
    expect(value('creditLimitFen').initial_value).toBe('50000.50');
    expect(value('creditRating').initial_option.value).toBe('high');
    expect(value('ambassador').initial_options).toHaveLength(1);

    const before = h.fake.mark();
    const res = await h.submitView(TEAM_A, view, { phone: '139 1111 2222', region: '杭州', creditLimitFen: '' });
    expect(res.body).toBe('');
    const shown = await h.fake.waitForResponse(responseUrl, before);
    expect(visibleText(shown.args.blocks)).toContain('杭州');

    const stored = await customers().findOne({ number: 'KH-2026-0001' });
    expect(stored).toMatchObject({ phone: '139 1111 2222', phoneKey: '13911112222', region: '杭州', version: 2 });
    expect(stored!.creditLimitFen).toBeUndefined();
    const updated = (await historyOf(stored!._id)).find((e) => e.action === 'updated')!;
    expect(updated.userId).toBe('U1SELLER');
    expect(updated.changes).toEqual(
      expect.arrayContaining([
        { field: 'phone', from: '138 0000 6666', to: '139 1111 2222' },
        { field: 'region', to: '杭州' },
        { field: 'creditLimitFen', from: 5000050 },
      ]),
    );
    expect(visibleText((await h.command('13911112222')).args.blocks)).toContain('赵六');
  });

  it('saving without changes writes no history and keeps the version', async () => {
    const stored = await customers().findOne({ number: 'KH-2026-0001' });
    const historyBefore = (await historyOf(stored!._id)).length;
    const { view } = await openEdit();
    expect((await h.submitView(TEAM_A, view)).body).toBe('');
    expect((await customers().findOne({ _id: stored!._id }))!.version).toBe(stored!.version);
    expect(await historyOf(stored!._id)).toHaveLength(historyBefore);
  });

  it("refuses a save that would overwrite a colleague's newer change", async () => {
    const mine = await openEdit(TEAM_A);
    const theirs = await openEdit(TEAM_A_COLLEAGUE);
    expect((await h.submitView(TEAM_A_COLLEAGUE, theirs.view, { preferences: '只喝绿茶' })).body).toBe('');

    const res = await h.submitView(TEAM_A, mine.view, { preferences: '喜欢咖啡' });
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { name: expect.stringContaining('别人已经修改了这张卡') },
    });
    const stored = await customers().findOne({ number: 'KH-2026-0001' });
    expect(stored!.preferences).toBe('只喝绿茶');
    const edits = (await historyOf(stored!._id)).filter((e) => e.action === 'updated');
    expect(edits.at(-1)).toMatchObject({ userId: 'U2COLLEAGUE' });
    expect(JSON.stringify(edits)).not.toContain('喜欢咖啡');
  });

  it('saves an edit over a contact logged while it was open: the editor could not see that change, and loses nothing to it', async () => {
    const mine = await openEdit(TEAM_A);
    const card = await h.command('赵六', TEAM_A_COLLEAGUE);
    const visit = await h.openModal(TEAM_A_COLLEAGUE, findButton(card.args.blocks, ACTION.logVisit));
    expect((await h.submitView(TEAM_A_COLLEAGUE, visit.view, { kind: 'phone', date: '2026-11-22' })).body).toBe('');
    const contacted = await customers().findOne({ number: 'KH-2026-0001' });
    expect(contacted).toMatchObject({ lastContactDate: '2026-11-22' });

    expect((await h.submitView(TEAM_A, mine.view, { preferences: '喜欢咖啡' })).body).toBe('');
    expect((await h.submitView(TEAM_A, mine.view, { preferences: '喜欢咖啡' })).body).toBe('');
    const stored = await customers().findOne({ number: 'KH-2026-0001' });
    expect(stored).toMatchObject({
      preferences: '喜欢咖啡',
      lastContactDate: '2026-11-22',
      version: contacted!.version + 1,
    });
  });

  it('shows the change history, newest first, from the History button', async () => {
    const card = await h.command('赵六');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.history));
    const text = visibleText(view.blocks);
    expect(view.title.text).toBe('变更历史');
    const colleagueEdit = text.indexOf('<@U2COLLEAGUE> 修改了资料');
    const creation = text.indexOf('<@U1SELLER> 创建了卡片');
    expect(colleagueEdit).toBeGreaterThan(-1);
    expect(creation).toBeGreaterThan(colleagueEdit);
    expect(text).toContain('电话：138 0000 6666 → 139 1111 2222');
    expect(text).toContain('信用额度（元）：¥50,000.50 → （空）');
  });
});
