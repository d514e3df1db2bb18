/**
 * Writes the import fixtures in test/fixtures/import/: the same customer
 * book as Chinese offices save it (GBK CSV from Excel on Chinese Windows,
 * Excel's "Unicode text", UTF-8 with a BOM, a semicolon CSV), a workbook
 * with a merged title, a two-row merged header, real date cells, a date
 * serial, phones stored as numbers, formulas with cached values, a sales
 * sheet and a hidden sheet; and files that must be refused (a password-
 * protected workbook, a legacy .xls, an image). The files are committed;
 * run this only to change them, and commit what it writes.
 *
 *   npx tsx scripts/makeImportFixtures.ts
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

const DIR = join(import.meta.dirname, '..', 'test', 'fixtures', 'import');

const HEADER = [
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
];
const blankRow = () => HEADER.map(() => '');
const titleRow = () => ['2026年客户名单', ...HEADER.slice(1).map(() => '')];

/** One customer book with what real ones hold: stray and ideographic spaces, full-width digits, two phones in a cell, a birthday without a year, Excel's 1.38E+10, a title too long. */
const CUSTOMERS: string[][] = [
  titleRow(),
  HEADER,
  [
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
  [
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
    '',
    '',
  ],
  blankRow(),
  [
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
  ['4', '赵六', '021-62345678、13600136000', '', '', '', '1月5日', '', '', '', '', '', '', '', ''],
  ['5', '钱七', '1.38E+10', '', '', '', '', '', '', '', '', '', '', '', ''],
  ['6', '孙八', '13500135000', '', '区域销售经理'.repeat(9), '', '', '', '', '', '', '', '', '', ''],
];

/** Text as Excel writes it: every row as wide as the widest, CRLF line ends. */
function csvText(rows: string[][], delimiter: string): string {
  return stringify(rows, { delimiter, record_delimiter: 'windows' });
}

function encode(text: string, encoding: string, bom = false): Buffer {
  const bytes = iconv.encode(text, encoding, { addBOM: bom });
  if (iconv.decode(bytes, encoding) !== text) throw new Error(`${encoding} cannot hold every character of the fixture`);
  return bytes;
}

async function customersWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('客户');
  sheet.mergeCells('A1:I1');
  sheet.getCell('A1').value = '2026年客户名单';
  sheet.getRow(2).values = ['姓名', '联系方式', '', '公司', '生日', '信用额度（元）', '宣传大使', '负责人', '备注'];
  sheet.getRow(3).values = ['', '手机', '座机'];
  for (const range of ['A2:A3', 'B2:C2', 'D2:D3', 'E2:E3', 'F2:F3', 'G2:G3', 'H2:H3', 'I2:I3']) sheet.mergeCells(range);

  sheet.getRow(4).values = [
    '张三',
    13800138000,
    '021-62345678',
    '华东贸易有限公司',
    new Date(Date.UTC(1980, 4, 6)),
    { formula: '5*10000', result: 50000 },
    '是',
    'U0123ABCD',
    '老客户',
  ];
  sheet.getCell('B4').numFmt = '0';
  sheet.getCell('E4').numFmt = 'yyyy-mm-dd';
  // Row 5 is blank but present in the file: a styled empty cell.
  sheet.getCell('A5').numFmt = '@';
  // 27468 is 1975-03-15, typed into a column without a date format: the file holds the serial.
  sheet.getRow(6).values = ['李四', 13900139000, null, '成都川味食品厂', 27468, 15000, '否', 'wang@example.com'];
  sheet.getCell('F6').numFmt = '#,##0.00';
  sheet.getRow(7).values = [
    '\u3000王五 ',
    '１３７ ００１３ ７０００',
    null,
    'ＡＢＣ贸易',
    new Date(Date.UTC(1968, 10, 2)),
    '￥8,000.00',
    '√',
  ];
  sheet.getCell('E7').numFmt = 'yyyy"年"m"月"d"日"';
  sheet.getRow(8).values = [
    { richText: [{ text: '赵' }, { text: '六', font: { bold: true } }] },
    { formula: 'TEXT(13600136000,"0")', result: '13600136000' },
  ];

  const sales = workbook.addWorksheet('销售记录');
  sales.addRow(['客户', '手机', '销售日期', '产品', '型号', '数量', '金额', '利润', '是否付清']);
  sales.addRow(['张三', 13800138000, new Date(Date.UTC(2026, 0, 5)), '茶叶礼盒', 'A-1', 2, 1280, 300, '已付']);
  sales.addRow(['李四', null, '2026/1/8', '白酒', null, 1, '1.2万', null, '未付']);
  sales.addRow(['王五', null, 46031, '茶具', null, 3, 600, 0, '是']);
  sales.addRow([
    '合计',
    null,
    null,
    null,
    null,
    { formula: 'SUM(F2:F4)', result: 6 },
    { formula: 'SUM(G2:G4)', result: 13880 },
  ]);
  sales.getCell('C2').numFmt = 'yyyy/m/d';
  sales.getCell('G2').numFmt = '"¥"#,##0.00';

  const lists = workbook.addWorksheet('下拉选项', { state: 'hidden' });
  lists.addRow(['是', '否']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** An OLE compound file's signature and the stream names its directory would hold; enough for the reader, which opens nothing in it. */
function compoundFile(streamNames: string[]): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  const directory = Buffer.alloc(512);
  streamNames.forEach((name, i) => Buffer.from(name, 'utf16le').copy(directory, i * 128));
  return Buffer.concat([header, directory]);
}

/** The smallest PNG: a 1×1 transparent pixel. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

async function main(): Promise<void> {
  await mkdir(DIR, { recursive: true });
  const files: [string, Buffer][] = [
    ['customers-gbk.csv', encode(csvText(CUSTOMERS, ','), 'gbk')],
    ['customers-utf16.txt', encode(csvText(CUSTOMERS, '\t'), 'utf-16le', true)],
    ['customers-utf8-bom.csv', encode(csvText(CUSTOMERS, ','), 'utf-8', true)],
    ['customers-semicolon.csv', encode(csvText(CUSTOMERS, ';'), 'utf-8')],
    ['customers-and-sales.xlsx', await customersWorkbook()],
    ['encrypted.xlsx', compoundFile(['Root Entry', 'EncryptionInfo', 'EncryptedPackage'])],
    ['legacy.xls', compoundFile(['Root Entry', 'Workbook', 'SummaryInformation'])],
    ['photo.csv', PNG],
  ];
  for (const [name, bytes] of files) await writeFile(join(DIR, name), bytes);
  console.log(`wrote ${files.length} files to ${DIR}`);
}

await main();
