import { domain } from '../src/config/domain.js';
import { collectionsOf, TEAM_A, TEAM_B } from './support/harness.js';
import { dropInDm, fixture, openImportModal, previewFile, shownText, waitForDmNotice } from './support/imports.js';
import { useHarness } from './support/useHarness.js';
import { zipFile } from './support/zipFile.js';
import { IMPORT_BLOCK } from '../src/views/ids.js';

/**
 * Issue 21, "Permissions, limits and bad input": a file the import cannot
 * take gets one clear message in the importer's DM naming the reason, and
 * nothing is written — no card, and no plan left behind.
 */
const h = useHarness({ now: '2026-03-02T10:00:00+08:00' }, { checkLogs: true });
const { customers } = collectionsOf(h);
const ADMIN = TEAM_A;

beforeAll(() => {
  h.fake.setUser(ADMIN.userId, 'T1', 'admin', { displayName: 'boss', realName: '管理员' });
});

beforeEach(async () => {
  for (const name of ['customers', 'imports', 'importRows']) await h.db.collection(name).deleteMany({});
});

/** The file given to the import modal; resolves with the notice the DM got instead of a preview. */
async function refusedNotice(name: string, bytes: Buffer, fileId?: string): Promise<string> {
  const id = fileId ?? h.fake.hostFile(ADMIN.teamId, name, bytes);
  const view = await openImportModal(h, ADMIN);
  const after = h.fake.mark();
  const res = await h.submitView(ADMIN, view, { [IMPORT_BLOCK.file]: [{ id, name }] });
  expect(res.status).toBe(200);
  return waitForDmNotice(h, ADMIN, after);
}

/** Nothing of the file was written: no card, no stored plan. */
async function nothingWritten(): Promise<void> {
  expect(await customers().countDocuments()).toBe(0);
  expect(await h.db.collection('imports').countDocuments()).toBe(0);
  expect(await h.db.collection('importRows').countDocuments()).toBe(0);
}

/** A workbook of the smallest parts around one worksheet's XML (`declaredSize` lies about its size). */
const workbook = (sheetData: Buffer, declaredSize?: number) =>
  zipFile([
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" ' +
          'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
          '<sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: Buffer.concat([
        Buffer.from('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'),
        sheetData,
        Buffer.from('</sheetData></worksheet>'),
      ]),
      ...(declaredSize === undefined ? {} : { declaredSize }),
    },
  ]);

describe('limits: one clear message and nothing written', () => {
  it(`refuses a file of more than ${domain.import.maxRows} rows`, async () => {
    const rows = Array.from(
      { length: domain.import.maxRows },
      (_, i) => `客户${i},1380000${String(i).padStart(4, '0')}`,
    );
    const csv = Buffer.from(['姓名,手机', ...rows].join('\n'));
    expect(await refusedNotice('big.csv', csv)).toBe(
      `行数太多了：一个文件最多 ${domain.import.maxRows} 行。请分成几个文件导入。`,
    );
    await nothingWritten();
  });

  it('takes a file of exactly the row limit', async () => {
    const rows = Array.from({ length: domain.import.maxRows - 1 }, (_, i) => `客户${i}`);
    const preview = await previewFile(h, ADMIN, 'limit.csv', Buffer.from(['姓名', ...rows].join('\n')));
    expect(shownText(preview.args.blocks)).toContain(`新建 ${domain.import.maxRows - 1} 张客户卡`);
    expect(await customers().countDocuments()).toBe(0);
  });

  it(`refuses a file over ${domain.import.maxBytes / 1024 / 1024} MB before downloading it`, async () => {
    const big = Buffer.alloc(domain.import.maxBytes + 1, 'a');
    const after = h.fake.mark();
    expect(await refusedNotice('big.csv', big)).toBe('文件太大了：最多 10 MB。请分成几个文件导入。');
    expect(h.fake.calls.slice(after).some((c) => c.method === 'files.download')).toBe(false);
    await nothingWritten();
  });
});

describe('bad input: each with its reason', () => {
  it('a file that is no spreadsheet (a photo named .csv)', async () => {
    expect(await refusedNotice('photo.csv', fixture('photo.csv'))).toBe(
      '这不是表格文件。请上传 Excel 文件（.xlsx）或 CSV 文件（.csv、.txt）。',
    );
    await nothingWritten();
  });

  it('an old .xls workbook', async () => {
    expect(await refusedNotice('old.xls', fixture('legacy.xls'))).toContain('旧版 Excel 文件（.xls）');
    await nothingWritten();
  });

  it('a password-protected workbook', async () => {
    expect(await refusedNotice('locked.xlsx', fixture('encrypted.xlsx'))).toBe(
      '这个 Excel 文件设了密码，无法读取。请在 Excel 里去掉密码（文件 → 信息 → 保护工作簿）后再导入。',
    );
    await nothingWritten();
  });

  it('a zip bomb: by the sizes it declares, and one that lies about them', async () => {
    const spaces = Buffer.alloc(30 * 1024 * 1024, ' ');
    const bomb = workbook(spaces);
    expect(bomb.length).toBeLessThan(100_000);
    expect(await refusedNotice('bomb.xlsx', bomb)).toBe(
      '这个文件解压后大得异常，为了安全没有读取。请在 Excel 里重新保存后再试。',
    );
    expect(await refusedNotice('liar.xlsx', workbook(spaces, 1000))).toBe(
      '这个文件解压后大得异常，为了安全没有读取。请在 Excel 里重新保存后再试。',
    );
    await nothingWritten();
  });

  it('a file of another workspace: shared from it, or known only to its token', async () => {
    const shared = h.fake.hostFile(ADMIN.teamId, '别人的.csv', Buffer.from('姓名\n张三\n'), TEAM_B.teamId);
    expect(await refusedNotice('别人的.csv', Buffer.alloc(0), shared)).toBe('这个文件来自别的工作区，不能导入。');
    const theirs = h.fake.hostFile(TEAM_B.teamId, '别人的.csv', Buffer.from('姓名\n张三\n'));
    expect(await refusedNotice('别人的.csv', Buffer.alloc(0), theirs)).toBe(
      '找不到这个文件：它可能已被删除或过期，或者不属于这个工作区。请重新上传。',
    );
    await nothingWritten();
  });

  it('an expired (deleted) file id, dropped into the DM', async () => {
    const id = h.fake.hostFile(ADMIN.teamId, '客户.csv', fixture('customers-gbk.csv'));
    h.fake.deleteFile(id);
    const after = h.fake.mark();
    expect((await dropInDm(h, ADMIN, [{ id, name: '客户.csv' }])).status).toBe(200);
    expect(await waitForDmNotice(h, ADMIN, after)).toBe(
      '找不到这个文件：它可能已被删除或过期，或者不属于这个工作区。请重新上传。',
    );
    await nothingWritten();
  });

  it('a sheet without a header it understands', async () => {
    expect(await refusedNotice('list.csv', Buffer.from('a,b,c\n1,2,3\n'))).toContain('找不到表头');
    await nothingWritten();
  });

  it('a cell longer than its field: the row is refused naming the row and field, the others are previewed', async () => {
    const long = '长'.repeat(3001);
    const preview = await previewFile(h, ADMIN, 'long.csv', Buffer.from(`姓名,备注\n张三,短\n李四,${long}\n`));
    const text = shownText(preview.args.blocks);
    expect(text).toContain('新建 1 张客户卡');
    expect(text).toContain('第 3 行：“备注”太长了：最多 3000 个字。');
    expect(await customers().countDocuments()).toBe(0);
  });

  it('a message in the DM without a file says what the DM is for', async () => {
    const after = h.fake.mark();
    await dropInDm(h, ADMIN, [], '你好');
    expect(await waitForDmNotice(h, ADMIN, after)).toContain('把 Excel 或 CSV 文件发到这里就能导入客户资料');
  });
});
