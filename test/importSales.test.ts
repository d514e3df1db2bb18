import { parse } from 'csv-parse/sync';
import { ACTION, IMPORT_BLOCK } from '../src/views/ids.js';
import { collectionsOf, TEAM_A } from './support/harness.js';
import {
  fixture,
  importFromPreview,
  openImportModal,
  previewFile,
  refusedFile,
  shownText,
  waitForPreview,
} from './support/imports.js';
import { useHarness } from './support/useHarness.js';

/**
 * Issue 21, items 7 and 8 through Slack: a sheet of past sales imported the
 * same way as customers (so receivables, the pyramid and overdue reminders
 * work from the first day), and what `/card export` writes read back by
 * `/card import` to the same cards.
 */
const h = useHarness({ now: '2026-03-02T10:00:00+08:00' }, { checkLogs: true });
const { customers, nudges } = collectionsOf(h);
const ADMIN = TEAM_A;

beforeAll(() => {
  h.fake.setUser(ADMIN.userId, 'T1', 'admin', { displayName: 'boss', realName: '管理员' });
  h.fake.setUser('U7WANG', 'T1', 'member', { displayName: '王经理', realName: '王大力', email: 'wang@example.com' });
});

beforeEach(async () => {
  for (const name of ['customers', 'history', 'nudges', 'sales', 'ledgers', 'imports', 'importRows', 'cardEvents'])
    await h.db.collection(name).deleteMany({});
});

/** `/card import sales` (导入 销售) with the file given to the modal: the preview posted. */
async function previewSales(name: string, bytes: Buffer) {
  const fileId = h.fake.hostFile(ADMIN.teamId, name, bytes);
  const view = await openImportModal(h, ADMIN, '导入 销售');
  const after = h.fake.mark();
  const res = await h.submitView(ADMIN, view, { [IMPORT_BLOCK.file]: [{ id: fileId, name }] });
  expect(res.status).toBe(200);
  return waitForPreview(h, ADMIN, after);
}

describe('a sheet of past sales', () => {
  it('is imported as the workbook’s sales sheet: receivables, segments and overdue reminders from the first day', async () => {
    const workbook = fixture('customers-and-sales.xlsx');
    await importFromPreview(h, ADMIN, await previewFile(h, ADMIN, '客户与销售.xlsx', workbook));
    expect(await customers().countDocuments()).toBe(4);

    // Asked for sales, the workbook's first sheet (customers) is passed over for the one that holds sales.
    const preview = await previewSales('客户与销售.xlsx', workbook);
    const text = shownText(preview.args.blocks);
    expect(text).toContain('工作表：销售记录');
    expect(text).toContain('第 5 行：这是合计行');
    expect(await h.db.collection('sales').countDocuments()).toBe(0);
    const summary = await importFromPreview(h, ADMIN, preview);
    expect(shownText(summary.args.blocks)).toMatch(/导入完成：记录 3 笔交易，已经有的 0 笔，无效 1 行。/);

    const byName = async (name: string) => (await customers().findOne({ name }))!;
    const [zhang, li, wang] = [await byName('张三'), await byName('李四'), await byName('王五')];
    const sales = await h.db.collection('sales').find().sort({ date: 1 }).toArray();
    expect(sales.map((s) => [s.customerId.toString(), s.date, s.product, s.amountFen, s.paidInFull])).toEqual([
      [zhang._id.toString(), '2026-01-05', '茶叶礼盒', 1_280_00, true],
      [li._id.toString(), '2026-01-08', '白酒', 12_000_00, false],
      [wang._id.toString(), '2026-01-09', '茶具', 600_00, true],
    ]);
    // 李四 owes the 12,000 yuan: on the ledger, chased once past due.
    expect(await h.db.collection('ledgers').findOne({ _id: li._id })).toMatchObject({ outstandingFen: 12_000_00 });
    const overdue = await nudges().find({ kind: 'overdue' }).toArray();
    expect(overdue.map((n) => n.customerId.toString())).toEqual([li._id.toString()]);
    // Segments refreshed once at the end: each buyer is a current customer with a tier.
    for (const card of [await byName('张三'), await byName('李四'), await byName('王五')])
      expect(card).toMatchObject({ segment: 'current', tier: expect.any(String) });
    expect((await byName('赵六')).segment).toBeUndefined();

    // The same sales again: recorded already, nothing twice.
    const again = await previewSales('客户与销售.xlsx', workbook);
    expect(shownText(again.args.blocks)).toContain('记录 0 笔交易，已经记录过 3 笔，无效 1 行。');
    // Nothing left to write: no Import button to press.
    expect(JSON.stringify(again.args.blocks)).not.toContain(ACTION.importConfirm);
    expect(await h.db.collection('sales').countDocuments()).toBe(3);
  });

  it('refuses a sale whose customer is no card of the team, naming the row', async () => {
    const csv = '客户,日期,产品,金额\n没人,2026-01-05,茶叶,100\n';
    const text = shownText((await previewSales('sales.csv', Buffer.from(csv))).args.blocks);
    expect(text).toMatch(/第 2 行：/);
    expect(text).toContain('无效 1 行');
  });
});

describe('round trip: what /card export writes, /card import reads back to the same cards', () => {
  it('imports the export of imported cards as the same cards: nothing new, nothing to change', async () => {
    const imported = h.fake.mark();
    await importFromPreview(h, ADMIN, await previewFile(h, ADMIN, '客户名单.csv', fixture('customers-gbk.csv')));
    await refusedFile(h, ADMIN, imported);
    const before = await customers().find().sort({ number: 1 }).toArray();

    const mark = h.fake.mark();
    await h.command('export', ADMIN);
    const done = await h.fake.waitFor('files.completeUploadExternal', () => true, mark, 20_000);
    const ids = (done.args.files as { id: string }[]).map((f) => f.id);
    const exported = h.fake.sharedFiles().filter((f) => ids.includes(f.id) && /客户/.test(f.filename))[0]!;
    const rows: string[][] = parse(exported.bytes!.toString('utf8').replace(/^\uFEFF/, ''));
    expect(rows).toHaveLength(before.length + 1);

    const preview = await previewFile(h, ADMIN, exported.filename, exported.bytes!);
    const text = shownText(preview.args.blocks);
    expect(text).toContain(
      `读取 ${before.length} 行：新建 0 张客户卡，与已有客户卡相同 ${before.length} 行，无效 0 行。`,
    );
    const summary = await importFromPreview(h, ADMIN, preview, { overwrite: true });
    expect(shownText(summary.args.blocks)).toContain(`新建 0 张，更新 0 张，不用改 ${before.length} 张`);
    const after = await customers().find().sort({ number: 1 }).toArray();
    expect(after.map((c) => c.version)).toEqual(before.map((c) => c.version));
  });
});
