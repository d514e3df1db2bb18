import { ObjectId } from 'mongodb';
import { ACTION, IMPORT_BLOCK } from '../src/views/ids.js';
import { eventually } from './support/eventually.js';
import { createCard } from './support/flows.js';
import { collectionsOf, findButton, onPosted, TEAM_A, TEAM_A_COLLEAGUE, visibleText } from './support/harness.js';
import {
  dropInDm,
  fixture,
  importFromPreview,
  openImportModal,
  pickSheet,
  previewFile,
  refusedFile,
  shownText,
  waitForPreview,
  waitForSummary,
} from './support/imports.js';
import { useHarness } from './support/useHarness.js';

/**
 * Issue 21, items 1–5: a customer book brought in through Slack (the modal's
 * file input, or a file dropped into the DM), previewed, then imported by its job.
 */
const h = useHarness({ now: '2026-03-02T10:00:00+08:00' }, { checkLogs: true });
const { customers, history, nudges, referrals } = collectionsOf(h);
const ADMIN = TEAM_A;
const SELLER = TEAM_A_COLLEAGUE;

beforeAll(() => {
  h.fake.setUser(ADMIN.userId, 'T1', 'admin', { displayName: 'boss', realName: '管理员' });
  h.fake.setUser(SELLER.userId, 'T1', 'member', { displayName: '小李', realName: '李小明' });
  h.fake.setUser('U7WANG', 'T1', 'member', { displayName: '王经理', realName: '王大力', email: 'wang@example.com' });
});

beforeEach(async () => {
  for (const name of ['customers', 'history', 'nudges', 'referrals', 'counters', 'imports', 'importRows', 'cardEvents'])
    await h.db.collection(name).deleteMany({});
});

const byName = async (name: string) => (await customers().findOne({ name }))!;

describe('/card import opens the import modal', () => {
  it('offers one spreadsheet through Slack’s file input, for customers or, asked so, a sales history', async () => {
    const view = await openImportModal(h, ADMIN);
    const file = view.blocks.find((b: any) => b.block_id === IMPORT_BLOCK.file);
    expect(file.element).toMatchObject({ type: 'file_input', filetypes: ['xlsx', 'csv', 'txt'], max_files: 1 });
    const kind = view.blocks.find((b: any) => b.block_id === IMPORT_BLOCK.kind);
    expect(kind.element.initial_option.value).toBe('cards');
    const sales = await openImportModal(h, ADMIN, '导入 销售');
    expect(sales.blocks.find((b: any) => b.block_id === IMPORT_BLOCK.kind).element.initial_option.value).toBe('sales');
  });

  it('answers anything else after the word with its usage', async () => {
    const answer = await h.command('import everything', ADMIN);
    expect(visibleText(answer.args.blocks)).toContain('/card import sales');
  });

  it('asks for a file when the modal is submitted without one', async () => {
    const view = await openImportModal(h, ADMIN);
    const res = await h.submitView(ADMIN, view, { [IMPORT_BLOCK.file]: [] });
    expect(res.json()).toMatchObject({
      response_action: 'errors',
      errors: { [IMPORT_BLOCK.file]: '请选择一个文件。' },
    });
  });
});

describe('a GBK CSV from Excel on Chinese Windows', () => {
  it('is previewed before anything is written: rows, new cards, refusals with row and reason, the mapping', async () => {
    const preview = await previewFile(h, ADMIN, '客户名单.csv', fixture('customers-gbk.csv'));
    const text = shownText(preview.args.blocks);
    expect(text).toContain('读取 6 行：新建 4 张客户卡，与已有客户卡相同 0 行，无效 2 行。');
    expect(text).toContain('第 1 行在表头上方');
    expect(text).toContain('微信 → 备注（没有对应的字段）');
    expect(text).toContain('序号 → 不导入');
    expect(text).toContain('负责人 → 负责人');
    expect(text).toMatch(/第 3 行 张三 · 华东贸易有限公司 · 13800138000 · 负责人 <@U7WANG>/);
    expect(text).toContain('第 8 行：“手机(必填)”被 Excel 写成了科学计数法');
    expect(text).toContain('第 9 行：“职务”太长了：最多 50 个字。');
    expect(JSON.stringify(preview.args.blocks)).toContain(ACTION.importConfirm);
    expect(await customers().countDocuments()).toBe(0);
  });

  it('imports on Import: numbered cards with owners, notes, a referral, history, and the reminders the kinds schedule', async () => {
    const preview = await previewFile(h, ADMIN, '客户名单.csv', fixture('customers-gbk.csv'));
    const pressed = h.fake.mark();
    const summary = await importFromPreview(h, ADMIN, preview);
    expect(shownText(summary.args.blocks)).toBe(
      '✅ 客户名单.csv 导入完成：新建 4 张，更新 0 张，不用改 0 张，无效 2 行。',
    );
    // The job first turns the preview into progress, then into the summary.
    const updates = h.fake.accepted('chat.update').filter((c) => c.args.ts === preview.result!.ts);
    expect(String(updates[0]!.args.text)).toContain('开始导入 客户名单.csv（共 6 行）');

    const cards = await customers().find().sort({ number: 1 }).toArray();
    expect(cards.map((c) => [c.number, c.name, c.ownerId])).toEqual([
      ['KH-2026-0001', '张三', 'U7WANG'],
      ['KH-2026-0002', '李四', 'U7WANG'],
      ['KH-2026-0003', '王五', ADMIN.userId],
      ['KH-2026-0004', '赵六', ADMIN.userId],
    ]);
    const zhang = cards[0]!;
    expect(zhang).toMatchObject({
      company: '华东贸易有限公司',
      phone: '13800138000',
      phoneKey: '13800138000',
      pinyinKey: 'zhangsan',
      birthday: { calendar: 'solar', year: 1980, month: 5, day: 6 },
      nextOccasionOn: '2026-05-06',
      creditLimitFen: 50_000_00,
      ambassador: true,
      notes: '老客户，每月进货\n微信: zhangsan_wx',
      createdBy: ADMIN.userId,
    });
    // 1月5日: a birthday without its year, kept as one (greeted each year, no age said).
    expect(cards[3]).toMatchObject({
      notes: '手机(必填): 13600136000',
      birthday: { calendar: 'solar', month: 1, day: 5 },
      nextOccasionOn: '2027-01-05',
    });
    expect(cards[3]!.birthday.year).toBeUndefined();
    // 李四 names 张三 as referrer: linked in the referral ledger.
    expect(cards[1]!.referrerId).toBe(zhang._id.toString());
    expect(await referrals().findOne({ referredId: cards[1]!._id })).toMatchObject({
      referrerId: zhang._id,
      status: 'open',
    });
    expect(await history().findOne({ customerId: zhang._id, action: 'imported' })).toMatchObject({
      userId: ADMIN.userId,
      changes: [
        { field: 'importFile', to: '客户名单.csv' },
        { field: 'importRow', to: 3 },
      ],
    });
    // The kinds, told once per batch: a pool warning for every owned card, the monthly contact for the two
    // ambassadors, a cadence for the referred 李四 (a potential customer; 赵六, never contacted, has none yet);
    // no referral contact for a referral that is history.
    const kinds = await nudges().find({ status: 'pending' }).toArray();
    const count = (kind: string) => kinds.filter((n) => n.kind === kind).length;
    expect([count('poolWarning'), count('ambassador'), count('cadence'), count('referral')]).toEqual([4, 2, 1, 0]);
    expect(kinds.find((n) => n.kind === 'cadence' && n.customerId.equals(cards[1]!._id))).toMatchObject({
      dueDate: '2026-03-16',
      ownerId: 'U7WANG',
    });
    // Every birthday greeted by its card's owner, 3 days ahead (the team's default), as for a card typed in.
    expect(
      kinds
        .filter((n) => n.kind === 'greeting')
        .map((n) => [cards.findIndex((c) => c._id.equals(n.customerId)), n.occursOn, n.dueDate, n.ownerId])
        .sort(),
    ).toEqual([
      [0, '2026-05-06', '2026-05-03', 'U7WANG'],
      [1, '2026-03-15', '2026-03-12', 'U7WANG'],
      [2, '2026-11-02', '2026-10-30', ADMIN.userId],
      [3, '2027-01-05', '2027-01-02', ADMIN.userId],
    ]);
    // The two owners now have customers: each gets the festival gift lists.
    expect(new Set(kinds.filter((n) => n.kind === 'festival').map((n) => n.ownerId))).toEqual(
      new Set(['U7WANG', ADMIN.userId]),
    );
    // Found as any card is.
    expect(visibleText((await h.command('zhangsan', ADMIN)).args.blocks)).toContain('KH-2026-0001');
    // The refused rows come back as a file with a reason column.
    const refused = await refusedFile(h, ADMIN, pressed);
    expect(refused.text.split('\n')[0]).toBe(
      '行号,序号,*姓名,手机(必填),公司,职务,地区,生日,兴趣爱好,信用额度（元）,付款方式,宣传大使,负责人,推荐人,备注,微信,原因',
    );
    expect(refused.text).toContain('8,5,钱七,1.38E+10,');
    expect(refused.text).toContain('被 Excel 写成了科学计数法');
    expect(refused.name).toBe('没有导入的行-客户名单.csv');
  });

  it('imported again, creates nothing: every row matches the card it made', async () => {
    await importFromPreview(h, ADMIN, await previewFile(h, ADMIN, '客户名单.csv', fixture('customers-gbk.csv')));
    const again = await previewFile(h, ADMIN, '客户名单.csv', fixture('customers-gbk.csv'));
    expect(shownText(again.args.blocks)).toContain('新建 0 张客户卡，与已有客户卡相同 4 行');
    expect(shownText(again.args.blocks)).toContain('卡片上已经都有了，不用改');
    const summary = await importFromPreview(h, ADMIN, again);
    expect(shownText(summary.args.blocks)).toContain('新建 0 张，更新 0 张，不用改 4 张');
    expect(await customers().countDocuments()).toBe(4);
  });

  it('a salesperson imports only their own customers: rows naming someone else are refused, saying why', async () => {
    const preview = await previewFile(h, SELLER, '我的客户.csv', fixture('customers-gbk.csv'));
    const text = shownText(preview.args.blocks);
    expect(text).toContain('你不是管理员或经理：只能导入由你负责的客户');
    expect(text).toContain('第 3 行：负责人“王经理”不是你');
    expect(text).toContain('第 4 行：负责人“wang@example.com”不是你');
    await importFromPreview(h, SELLER, preview);
    const cards = await customers().find().sort({ number: 1 }).toArray();
    expect(cards.map((c) => [c.name, c.ownerId])).toEqual([
      ['王五', SELLER.userId],
      ['赵六', SELLER.userId],
    ]);
  });

  it('a salesperson’s row matching a colleague’s card is refused; an admin’s fills only what the card leaves blank', async () => {
    const typed = await createCard(h, ADMIN, { name: '张三', company: '华东贸易有限公司', region: '杭州' });
    const seller = await previewFile(h, SELLER, '客户名单.csv', fixture('customers-gbk.csv'));
    expect(shownText(seller.args.blocks)).toContain('第 3 行：这张客户卡由别人负责');
    await h.fake.waitFor('chat.postMessage', () => true);

    const preview = await previewFile(h, ADMIN, '客户名单.csv', fixture('customers-gbk.csv'));
    const text = shownText(preview.args.blocks);
    expect(text).toContain(`第 3 行 → 张三 \`${typed.number}\``);
    expect(text).toMatch(/补上：[^\n]*电话「13800138000」/);
    expect(text).toContain('勾选“覆盖”才会替换：地区「杭州」→「上海」');
    await importFromPreview(h, ADMIN, preview);
    const zhang = await byName('张三');
    expect(zhang).toMatchObject({ region: '杭州', phone: '13800138000', title: '总经理', ownerId: ADMIN.userId });
    expect(zhang.notes).toBe('老客户，每月进货\n微信: zhangsan_wx');
    expect(await history().findOne({ customerId: zhang._id, action: 'imported' })).toMatchObject({
      changes: expect.arrayContaining([{ field: 'phone', to: '13800138000' }]),
    });
    expect(await customers().countDocuments()).toBe(4);
  });

  it('with “overwrite” ticked, replaces what differs; a blank cell still erases nothing', async () => {
    await createCard(h, ADMIN, { name: '张三', company: '华东贸易有限公司', region: '杭州', education: '硕士' });
    const preview = await previewFile(h, ADMIN, '客户名单.csv', fixture('customers-gbk.csv'));
    const summary = await importFromPreview(h, ADMIN, preview, { overwrite: true });
    expect(shownText(summary.args.blocks)).toContain('新建 3 张，更新 1 张');
    expect(await byName('张三')).toMatchObject({ region: '上海', education: '硕士' });
  });

  it('Cancel drops the plan and writes nothing; Import on it afterwards says so', async () => {
    const preview = await previewFile(h, ADMIN, '客户名单.csv', fixture('customers-gbk.csv'));
    const where = onPosted(preview);
    const cancel = await h.clickButton(ADMIN, findButton(preview.args.blocks, ACTION.importCancel), where);
    expect(visibleText((await h.fake.waitForResponse(cancel.responseUrl)).args.blocks)).toBe(
      '已取消，没有写入任何内容。',
    );
    expect(await h.db.collection('importRows').countDocuments()).toBe(0);
    const again = await h.clickButton(ADMIN, findButton(preview.args.blocks, ACTION.importConfirm), where);
    expect(visibleText((await h.fake.waitForResponse(again.responseUrl)).args.blocks)).toBe(
      '已取消，没有写入任何内容。',
    );
    expect(await customers().countDocuments()).toBe(0);
  });

  it('a preview expires after 24 hours; only its importer may press its buttons; Import twice imports once', async () => {
    const preview = await previewFile(h, ADMIN, '客户名单.csv', fixture('customers-gbk.csv'));
    const where = onPosted(preview);
    const other = await h.clickButton(SELLER, findButton(preview.args.blocks, ACTION.importConfirm), where);
    expect(visibleText((await h.fake.waitForResponse(other.responseUrl)).args.blocks)).toContain('这是别人的导入预览');
    h.clock.advanceMs(25 * 60 * 60_000);
    const late = await h.clickButton(ADMIN, findButton(preview.args.blocks, ACTION.importConfirm), where);
    expect(visibleText((await h.fake.waitForResponse(late.responseUrl)).args.blocks)).toBe(
      '这个预览已经过期，请重新发送文件。',
    );
    h.clock.set('2026-03-02T10:00:00+08:00');
    const fresh = await previewFile(h, ADMIN, '客户名单.csv', fixture('customers-gbk.csv'));
    // Pressed twice at once: one press queues the import, the other is told it is under way.
    const where2 = onPosted(fresh);
    const after = h.fake.mark();
    const presses = await Promise.all(
      [0, 1].map(() => h.clickButton(ADMIN, findButton(fresh.args.blocks, ACTION.importConfirm), where2)),
    );
    const told = await Promise.any(presses.map((p) => h.fake.waitForResponse(p.responseUrl, after)));
    expect(shownText(told.args.blocks)).toMatch(/^这个导入已经开始了。$|^这个文件已经导入完了。$/);
    await waitForSummary(h, fresh, after);
    await eventually(async () =>
      expect(await h.db.collection('imports').findOne({ fileName: '客户名单.csv', state: 'done' })).not.toBeNull(),
    );
    const twice = await h.clickButton(ADMIN, findButton(fresh.args.blocks, ACTION.importConfirm), onPosted(fresh));
    expect(visibleText((await h.fake.waitForResponse(twice.responseUrl)).args.blocks)).toBe('这个文件已经导入完了。');
    expect(await customers().countDocuments()).toBe(4);
  });
});

describe('Excel’s “Unicode text” (UTF-16 TSV), dropped into the DM with the app', () => {
  it('is previewed and imported as the modal’s file would be, Chinese intact', async () => {
    const id = h.fake.hostFile('T1', '客户.txt', fixture('customers-utf16.txt'));
    const after = h.fake.mark();
    expect((await dropInDm(h, ADMIN, [{ id, name: '客户.txt' }], '导入')).status).toBe(200);
    const preview = await waitForPreview(h, ADMIN, after);
    expect(shownText(preview.args.blocks)).toContain('新建 4 张客户卡');
    await importFromPreview(h, ADMIN, preview);
    expect((await customers().find().sort({ number: 1 }).toArray()).map((c) => c.name)).toEqual([
      '张三',
      '李四',
      '王五',
      '赵六',
    ]);
  });
});

describe('a workbook: merged title and header, dates, phones stored as numbers, two sheets', () => {
  it('reads the first sheet, keeps every digit of a phone, takes date cells and serials as dates, offers the other sheet', async () => {
    const preview = await previewFile(h, ADMIN, '客户与销售.xlsx', fixture('customers-and-sales.xlsx'));
    const text = shownText(preview.args.blocks);
    expect(text).toContain('工作表：客户');
    expect(text).toContain('这个文件有好几个工作表');
    expect(text).toContain('座机 → 备注（没有对应的字段）');
    await importFromPreview(h, ADMIN, preview);
    expect(await byName('张三')).toMatchObject({
      phone: '13800138000',
      birthday: { calendar: 'solar', year: 1980, month: 5, day: 6 },
      creditLimitFen: 50_000_00,
      notes: '老客户\n座机: 021-62345678',
    });
    expect(await byName('李四')).toMatchObject({
      phone: '13900139000',
      birthday: { calendar: 'solar', year: 1975, month: 3, day: 15 },
      ownerId: 'U7WANG',
    });
    expect(await byName('王五')).toMatchObject({
      birthday: { calendar: 'solar', year: 1968, month: 11, day: 2 },
      phone: '137 0013 7000',
    });
  });

  it('picking the other sheet shows that sheet’s preview in place of the first', async () => {
    const preview = await previewFile(h, ADMIN, '客户与销售.xlsx', fixture('customers-and-sales.xlsx'));
    const after = h.fake.mark();
    expect((await pickSheet(h, ADMIN, preview, '销售记录')).status).toBe(200);
    const updated = await h.fake.waitFor('chat.update', (c) => c.args.ts === preview.result!.ts, after, 20_000);
    expect(shownText(updated.args.blocks)).toContain('工作表：销售记录');
    expect(await h.db.collection('imports').countDocuments({ state: 'cancelled' })).toBe(1);
  });
});

describe('owners and referrers', () => {
  it('matches 负责人 by e-mail too, and a referrer named by card number', async () => {
    const referrer = await createCard(h, ADMIN, { name: '老客户' });
    const csv = `姓名,负责人,推荐人\n新客户,wang@example.com,${referrer.number}\n`;
    const preview = await previewFile(h, ADMIN, 'new.csv', Buffer.from(csv));
    await importFromPreview(h, ADMIN, preview);
    const card = await byName('新客户');
    expect(card).toMatchObject({ ownerId: 'U7WANG', referrerId: referrer.id });
    expect(await referrals().findOne({ referredId: card._id })).toMatchObject({
      referrerId: new ObjectId(referrer.id),
    });
  });

  it('keeps a referrer it cannot tell apart as text, and says so', async () => {
    await createCard(h, ADMIN, { name: '同名', phone: '13000000001' });
    await createCard(h, ADMIN, { name: '同名', phone: '13000000002' });
    const preview = await previewFile(h, ADMIN, 'r.csv', Buffer.from('姓名,推荐人\n甲,同名\n'));
    expect(shownText(preview.args.blocks)).toContain('推荐人“同名”对应不到唯一一张客户卡');
    await importFromPreview(h, ADMIN, preview);
    expect(await byName('甲')).toMatchObject({ referrer: '同名' });
    expect((await byName('甲')).referrerId).toBeUndefined();
  });
});

describe('birthdays and important days, as people write them', () => {
  it('reads 农历 and undated days into the card, refuses an unreadable one naming it, and greets what it imports', async () => {
    const typed = await createCard(h, ADMIN, { name: '老客户', phone: '13900000001' });
    const csv = [
      '姓名,手机,生日,纪念日',
      '甲,,农历八月十五,结婚纪念日 5-20',
      '乙,,下个月,',
      '老客户,13900000001,1970-03-10,',
    ].join('\n');
    const preview = await previewFile(h, ADMIN, 'days.csv', Buffer.from(csv));
    const text = shownText(preview.args.blocks);
    expect(text).toContain('新建 1 张客户卡，与已有客户卡相同 1 行，无效 1 行');
    expect(text).toMatch(/第 3 行：“生日”的日期不能用：/);
    expect(text).toMatch(/补上：[^\n]*生日/);
    await importFromPreview(h, ADMIN, preview);

    const jia = await byName('甲');
    expect(jia).toMatchObject({
      birthday: { calendar: 'lunar', month: 8, day: 15 },
      importantDays: [{ label: '结婚纪念日', calendar: 'solar', month: 5, day: 20, recurrence: 'yearly' }],
      // 中秋 2026 falls on 25 September, after 20 May.
      nextOccasionOn: '2026-05-20',
    });
    // The matched card had no birthday: the import fills it, and its next day and greeting come with it.
    expect(await customers().findOne({ number: typed.number })).toMatchObject({
      birthday: { calendar: 'solar', year: 1970, month: 3, day: 10 },
      nextOccasionOn: '2026-03-10',
    });
    const greetings = await nudges().find({ kind: 'greeting', status: 'pending' }).toArray();
    expect(greetings.map((n) => [n.customerId.toString(), n.plan, n.occursOn])).toHaveLength(3);
    expect(greetings.map((n) => [n.customerId.toString(), n.plan, n.occursOn])).toEqual(
      expect.arrayContaining([
        [jia._id.toString(), 'birthday', '2026-09-25'],
        [jia._id.toString(), 'day:solar:5-20::yearly', '2026-05-20'],
        [typed.id, 'birthday', '2026-03-10'],
      ]),
    );
    expect(await byName('乙')).toBeNull();
  });
});
