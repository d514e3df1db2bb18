import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readSheet, type ReadResult } from '../src/importing/readSheet.js';
import { zipFile } from './support/zipFile.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'import');
const fixture = (name: string) => readFile(join(FIXTURES, name));

/** The customer book every text fixture holds, as the reader must give it back: blank rows left out, cells as typed. */
const CUSTOMER_ROWS = [
  { rowNumber: 1, cells: ['2026年客户名单'] },
  {
    rowNumber: 2,
    cells: [
      '序号',
      '*姓名',
      '手机(必填)',
      '公司',
      '职务',
      '地区',
      '生日',
      '兴趣爱好',
      '信用额度（元）',
      '付款方式',
      '宣传大使',
      '负责人',
      '推荐人',
      '备注',
      '微信',
    ],
  },
  {
    rowNumber: 3,
    cells: [
      '1',
      '张三',
      '13800138000',
      '华东贸易有限公司',
      '总经理',
      '上海',
      '1980-05-06',
      '高尔夫',
      '50,000',
      '转账',
      '是',
      '王经理',
      '',
      '老客户，每月进货',
      'zhangsan_wx',
    ],
  },
  {
    rowNumber: 4,
    cells: [
      '2',
      '  李四 ',
      '＋86 139 0013 9000',
      '成都川味食品厂',
      '采购',
      '成都',
      '1975/3/15',
      '喝茶, 钓鱼\n周末爬山',
      '1.5万',
      '月结',
      '否',
      'wang@example.com',
      '张三',
    ],
  },
  {
    rowNumber: 6,
    cells: [
      '3',
      '\u3000王五\u3000',
      '１３７００１３７０００',
      'ＡＢＣ贸易',
      ' 经理 ',
      '广州',
      '1968年11月2日',
      '',
      '￥8,000.00',
      '现金',
      '√',
      '',
      '',
      '他说"好"就好',
      'ww',
    ],
  },
  { rowNumber: 7, cells: ['4', '赵六', '021-62345678、13600136000', '', '', '', '1月5日'] },
  { rowNumber: 8, cells: ['5', '钱七', '1.38E+10'] },
  { rowNumber: 9, cells: ['6', '孙八', '13500135000', '', '区域销售经理'.repeat(9)] },
];

function rowsOf(result: ReadResult) {
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.rows;
}

describe('readSheet: text files', () => {
  it.each([
    ['customers-gbk.csv', 'gb18030', ','],
    ['customers-utf16.txt', 'utf-16le', '\t'],
    ['customers-utf8-bom.csv', 'utf-8', ','],
    ['customers-semicolon.csv', 'utf-8', ';'],
  ])('reads %s (%s, %j) to the same Chinese text', async (name, encoding, delimiter) => {
    const result = await readSheet(await fixture(name));
    expect(result).toEqual({ ok: true, format: 'text', encoding, delimiter, rows: CUSTOMER_ROWS });
  });

  const text = '姓名\t手机\r\n张三\t13800138000\r\n李四\t13900139000\r\n';

  it('reads UTF-16 without a BOM, either byte order', async () => {
    for (const encoding of ['utf-16le', 'utf-16be']) {
      const result = await readSheet(iconv.encode(text, encoding));
      expect(rowsOf(result).map((r) => r.cells)).toEqual([
        ['姓名', '手机'],
        ['张三', '13800138000'],
        ['李四', '13900139000'],
      ]);
    }
  });

  it('reads UTF-16BE with its BOM', async () => {
    const result = await readSheet(iconv.encode(text, 'utf-16be', { addBOM: true }));
    expect(result).toMatchObject({ ok: true, encoding: 'utf-16be', delimiter: '\t' });
  });

  it('reads a short GBK file, and Big5 from Taiwan and Hong Kong offices', async () => {
    const gbk = await readSheet(iconv.encode('姓名,手机,公司\r\n张三,13800138000,华东贸易\r\n', 'gbk'));
    expect(rowsOf(gbk)[1]!.cells).toEqual(['张三', '13800138000', '华东贸易']);
    const big5 = await readSheet(
      iconv.encode('姓名,手機,公司\r\n張三,13800138000,華東貿易有限公司\r\n李四,13900139000,台北商行\r\n', 'big5'),
    );
    expect(rowsOf(big5)[1]!.cells).toEqual(['張三', '13800138000', '華東貿易有限公司']);
  });

  it('takes the delimiter that gives rows of one width, whatever the title line and notes hold', async () => {
    const csv = '客户名单; 2026年\n姓名,手机,备注\n张三,138,"喜欢喝茶; 周末钓鱼"\n李四,139,"a\tb"\n';
    expect(rowsOf(await readSheet(Buffer.from(csv))).map((r) => r.cells.length)).toEqual([1, 3, 3, 3]);
  });

  it('reads a file of one column', async () => {
    expect(rowsOf(await readSheet(Buffer.from('姓名\n张三\n李四\n'))).map((r) => r.cells)).toEqual([
      ['姓名'],
      ['张三'],
      ['李四'],
    ]);
  });

  it.each([
    ['nothing at all', Buffer.alloc(0), { reason: 'empty' }],
    ['only blank lines and separators', Buffer.from('\r\n , ,\r\n\r\n'), { reason: 'empty' }],
    [
      'a web page saved as .xls',
      Buffer.from('<html><body><table><tr><td>姓名</td></tr></table></body></html>'),
      { reason: 'notSpreadsheet' },
    ],
    [
      'binary data',
      Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0xfe, 0x00, 0x10, 0x11, 0x12]),
      { reason: 'notSpreadsheet' },
    ],
  ])('refuses %s', async (_what, bytes, refusal) => {
    expect(await readSheet(bytes)).toEqual({ ok: false, ...refusal });
  });

  it('refuses an image named .csv', async () => {
    expect(await readSheet(await fixture('photo.csv'))).toEqual({ ok: false, reason: 'notSpreadsheet' });
  });

  it('refuses a file over the size limit before reading it', async () => {
    expect(await readSheet(await fixture('customers-gbk.csv'), { limits: { maxBytes: 100 } })).toEqual({
      ok: false,
      reason: 'tooLarge',
      maxBytes: 100,
    });
  });

  it('counts non-blank rows against the limit, title and header included', async () => {
    const bytes = await fixture('customers-gbk.csv');
    expect(await readSheet(bytes, { limits: { maxRows: 8 } })).toMatchObject({ ok: true });
    expect(await readSheet(bytes, { limits: { maxRows: 7 } })).toEqual({
      ok: false,
      reason: 'tooManyRows',
      maxRows: 7,
    });
  });

  it('refuses a row wider than the column limit', async () => {
    const csv = `姓名,手机\n张三,138${',x'.repeat(300)}\n`;
    expect(await readSheet(Buffer.from(csv))).toEqual({ ok: false, reason: 'tooManyColumns', maxColumns: 200 });
  });

  it('refuses a sheet past the cell limit, counting each row to its last non-blank cell', async () => {
    const csv = `姓名,手机,,\n张三,138,,\n李四,139,,\n`;
    expect(await readSheet(Buffer.from(csv), { limits: { maxCells: 6 } })).toMatchObject({ ok: true });
    expect(await readSheet(Buffer.from(csv), { limits: { maxCells: 5 } })).toEqual({
      ok: false,
      reason: 'tooManyCells',
      maxCells: 5,
    });
  });

  it('stops at the row limit instead of reading on', async () => {
    const csv = `姓名\n${'张三\n'.repeat(200_000)}`;
    const started = Date.now();
    expect(await readSheet(Buffer.from(csv), { limits: { maxRows: 10 } })).toEqual({
      ok: false,
      reason: 'tooManyRows',
      maxRows: 10,
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('readSheet: xlsx', () => {
  it('reads the first visible sheet past a merged title and a merged two-row header: dates, serials, phones as numbers, cached formula values', async () => {
    const result = await readSheet(await fixture('customers-and-sales.xlsx'));
    expect(result).toEqual({
      ok: true,
      format: 'xlsx',
      sheetNames: ['客户', '销售记录'],
      sheetName: '客户',
      rows: [
        { rowNumber: 1, cells: ['2026年客户名单'] },
        {
          rowNumber: 2,
          cells: ['姓名', '联系方式', '', '公司', '生日', '信用额度（元）', '宣传大使', '负责人', '备注'],
        },
        { rowNumber: 3, cells: ['', '手机', '座机'] },
        {
          rowNumber: 4,
          cells: [
            '张三',
            '13800138000',
            '021-62345678',
            '华东贸易有限公司',
            '1980-05-06',
            '50000',
            '是',
            'U0123ABCD',
            '老客户',
          ],
        },
        {
          rowNumber: 6,
          cells: ['李四', '13900139000', '', '成都川味食品厂', '27468', '15000', '否', 'wang@example.com'],
        },
        {
          rowNumber: 7,
          cells: ['\u3000王五 ', '１３７ ００１３ ７０００', '', 'ＡＢＣ贸易', '1968-11-02', '￥8,000.00', '√'],
        },
        { rowNumber: 8, cells: ['赵六', '13600136000'] },
      ],
    });
  });

  it('reads the sheet asked for by name, hidden ones too', async () => {
    const bytes = await fixture('customers-and-sales.xlsx');
    expect(rowsOf(await readSheet(bytes, { sheetName: '销售记录' }))).toEqual([
      { rowNumber: 1, cells: ['客户', '手机', '销售日期', '产品', '型号', '数量', '金额', '利润', '是否付清'] },
      { rowNumber: 2, cells: ['张三', '13800138000', '2026-01-05', '茶叶礼盒', 'A-1', '2', '1280', '300', '已付'] },
      { rowNumber: 3, cells: ['李四', '', '2026/1/8', '白酒', '', '1', '1.2万', '', '未付'] },
      { rowNumber: 4, cells: ['王五', '', '46031', '茶具', '', '3', '600', '0', '是'] },
      { rowNumber: 5, cells: ['合计', '', '', '', '', '6', '13880'] },
    ]);
    expect(rowsOf(await readSheet(bytes, { sheetName: '下拉选项' }))).toEqual([{ rowNumber: 1, cells: ['是', '否'] }]);
  });

  it('names the sheets there are when the one asked for is not', async () => {
    expect(await readSheet(await fixture('customers-and-sales.xlsx'), { sheetName: '客户2' })).toEqual({
      ok: false,
      reason: 'sheetNotFound',
      sheetName: '客户2',
      sheetNames: ['客户', '销售记录'],
    });
  });

  async function workbookWith(fill: (sheet: ExcelJS.Worksheet) => void, date1904 = false): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    if (date1904) workbook.properties.date1904 = true;
    fill(workbook.addWorksheet('Sheet1'));
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  it('writes every kind of cell as the user sees it, never evaluating a formula', async () => {
    const bytes = await workbookWith((sheet) => {
      sheet.addRow([
        8613800138000,
        0.1 + 0.2,
        0.05,
        new Date(Date.UTC(2026, 0, 5, 14, 30)),
        true,
        { error: '#N/A' },
        { text: '官网', hyperlink: 'https://example.com' },
        { formula: 'NOW()', result: 46027 },
        { formula: 'A1&"x"' },
        { sharedFormula: 'H1', result: 7 },
        0.5,
      ]);
      sheet.getCell('C1').numFmt = '0%';
      sheet.getCell('D1').numFmt = 'yyyy-mm-dd hh:mm';
      sheet.getCell('H1').numFmt = 'yyyy/m/d';
      sheet.getCell('K1').numFmt = 'h:mm';
    });
    expect(rowsOf(await readSheet(bytes))[0]!.cells).toEqual([
      '8613800138000',
      '0.3',
      '5%',
      '2026-01-05 14:30',
      'TRUE',
      '#N/A',
      '官网',
      '2026-01-05',
      '',
      '7',
      '12:00',
    ]);
  });

  it('counts days from 1904 in a workbook that does (old Mac Excel)', async () => {
    const bytes = await workbookWith((sheet) => {
      sheet.addRow([{ formula: 'DATE(2026,1,5)', result: 44565 }]);
      sheet.getCell('A1').numFmt = 'yyyy-mm-dd';
    }, true);
    expect(rowsOf(await readSheet(bytes))[0]!.cells).toEqual(['2026-01-05']);
  });

  it('refuses an empty workbook, naming its sheets', async () => {
    expect(await readSheet(await workbookWith(() => undefined))).toEqual({
      ok: false,
      reason: 'empty',
      sheetNames: ['Sheet1'],
    });
  });

  it('refuses a password-protected workbook and a legacy .xls, each with its own reason', async () => {
    expect(await readSheet(await fixture('encrypted.xlsx'))).toEqual({ ok: false, reason: 'encrypted' });
    expect(await readSheet(await fixture('legacy.xls'))).toEqual({ ok: false, reason: 'legacyExcel' });
  });

  it('refuses a zip that is no workbook, and a damaged one', async () => {
    expect(await readSheet(zipFile([{ name: 'notes.txt', data: Buffer.from('hello') }]))).toEqual({
      ok: false,
      reason: 'notSpreadsheet',
    });
    const bytes = await fixture('customers-and-sales.xlsx');
    expect(await readSheet(bytes.subarray(0, bytes.length - 400))).toEqual({ ok: false, reason: 'unreadable' });
  });

  /** A workbook's smallest parts, around a worksheet of our making. */
  const workbookParts = (sheet: Buffer, declaredSize?: number) => [
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
    { name: 'xl/worksheets/sheet1.xml', data: sheet, ...(declaredSize === undefined ? {} : { declaredSize }) },
  ];
  const sheetXml = (rows: string | Buffer) =>
    Buffer.concat([
      Buffer.from('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'),
      Buffer.from(rows),
      Buffer.from('</sheetData></worksheet>'),
    ]);
  const bombSheet = sheetXml(Buffer.alloc(30 * 1024 * 1024, ' '));

  it('reads a workbook of the smallest parts', async () => {
    const bytes = zipFile(workbookParts(sheetXml('<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c></row>')));
    expect(await readSheet(bytes)).toEqual({
      ok: true,
      format: 'xlsx',
      sheetNames: ['客户'],
      sheetName: '客户',
      rows: [{ rowNumber: 2, cells: ['张三'] }],
    });
  });

  it('refuses a workbook whose cells name shared strings it does not hold, rather than read them as blank', async () => {
    const bytes = zipFile(workbookParts(sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')));
    expect(await readSheet(bytes)).toEqual({ ok: false, reason: 'unreadable' });
  });

  it('refuses a zip bomb by the sizes its directory declares, before inflating it', async () => {
    const bomb = zipFile(workbookParts(bombSheet));
    expect(bomb.length).toBeLessThan(100_000);
    expect(await readSheet(bomb)).toEqual({ ok: false, reason: 'zipBomb' });
  });

  it('refuses a zip bomb that lies about its sizes, by counting what it inflates to', async () => {
    const bomb = zipFile(workbookParts(bombSheet, 1000));
    expect(await readSheet(bomb)).toEqual({ ok: false, reason: 'zipBomb' });
  });

  it('refuses a workbook past the absolute inflated-size cap, whatever its ratio', async () => {
    const bytes = await fixture('customers-and-sales.xlsx');
    expect(await readSheet(bytes, { limits: { maxInflatedBytes: 10_000 } })).toEqual({ ok: false, reason: 'zipBomb' });
  });

  it('refuses a sheet past the row limit', async () => {
    expect(await readSheet(await fixture('customers-and-sales.xlsx'), { limits: { maxRows: 3 } })).toEqual({
      ok: false,
      reason: 'tooManyRows',
      maxRows: 3,
    });
  });

  // ExcelJS's own streaming pass can drop the zip entries stored last (exceljs#3064), as ExcelJS stores xl/workbook.xml.
  it('reads a workbook whose xl/workbook.xml is stored last, every time, and spools nothing to disk', async () => {
    const spooled = async () => (await readdir(tmpdir())).filter((f) => f.startsWith(`tmp-${process.pid}-`));
    const bytes = await fixture('customers-and-sales.xlsx');
    const reads = await Promise.all(
      Array.from({ length: 40 }, (_, i) => readSheet(bytes, i % 2 === 0 ? {} : { sheetName: '销售记录' })),
    );
    expect(reads.filter((r) => !r.ok)).toEqual([]);
    expect(await spooled()).toEqual([]);
  });
});
