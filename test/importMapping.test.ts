import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { domain } from '../src/config/domain.js';
import type { CardTarget, SaleTarget } from '../src/importing/headers.js';
import { mapCardRows, mapSaleRows, type CardRow, type IssueCode, type SaleRow } from '../src/importing/mapping.js';
import {
  earliestOnOrAfter,
  excelSerialText,
  latestOnOrBefore,
  readDate,
  readYesNo,
  unguardCell,
} from '../src/domain/importValues.js';
import { messagesFor, type Locale } from '../src/i18n/index.js';
import { readSheet, type ReadRefusal, type SheetRow } from '../src/importing/readSheet.js';
import { userText } from '../src/services/exportRows.js';
import {
  issueText,
  mappingRefusalText,
  readRefusalText,
  refusedRowText,
  targetLabel,
} from '../src/views/importText.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'import');
const TODAY = '2026-03-01';

async function sheetRows(name: string, sheetName?: string): Promise<SheetRow[]> {
  const result = await readSheet(await readFile(join(FIXTURES, name)), sheetName ? { sheetName } : {});
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.rows;
}

/** Rows as a sheet gives them, numbered from 1. */
const rows = (...cells: string[][]): SheetRow[] => cells.map((c, i) => ({ rowNumber: i + 1, cells: c }));

function mapped<R>(result: { ok: true; rows: R[] } | { ok: false }): R[] {
  if (!result.ok) throw new Error(`not mapped: ${JSON.stringify(result)}`);
  return result.rows;
}

const cards = (...cells: string[][]) => mapped(mapCardRows(rows(...cells), TODAY));
const oneCard = (header: string[], cells: string[]) => cards(header, cells)[0]!;
const sales = (...cells: string[][]) => mapped(mapSaleRows(rows(...cells), TODAY));

const ABSENT = { ambassador: false };

describe('import values', () => {
  it.each([
    ['2026-01-05', '2026-01-05'],
    ['2026/1/5', '2026-01-05'],
    ['2026.1.5', '2026-01-05'],
    ['2026年1月5日', '2026-01-05'],
    ['２０２６年１月５日', '2026-01-05'],
    [' 2026 年 1 月 5 日 ', '2026-01-05'],
    ['20260105', '2026-01-05'],
    ['46027', '2026-01-05'],
    ['46027.75', '2026-01-05'],
    ['2026-01-05 10:30:00', '2026-01-05'],
    ['2026-01-05T10:30:00.000Z', '2026-01-05'],
    ['2024-02-29', '2024-02-29'],
  ])('reads the date %j', (text, date) => {
    expect(readDate(text)).toEqual({ ok: true, date });
  });

  it.each([
    ['1月5日', 1, 5],
    ['1/5', 1, 5],
    ['12-31', 12, 31],
    ['2月29日', 2, 29],
  ])('reads %j as a day without a year', (text, month, day) => {
    expect(readDate(text)).toEqual({ ok: false, reason: 'noYear', month, day });
  });

  it.each([
    '2026-02-30',
    '2026-13-01',
    '2025-02-29',
    '去年',
    '1985',
    '13/25',
    '2月30日',
    '2026年1月',
    '1.38E+10',
    '123456',
  ])('refuses the date %j', (text) => {
    expect(readDate(text)).toEqual({ ok: false, reason: 'invalidDate' });
  });

  it('counts Excel serials as Excel does, its phantom 29 February 1900 included', () => {
    expect([1, 59, 60, 61, 46027, 0.5, 46027.5].map((s) => excelSerialText(s))).toEqual([
      '1900-01-01',
      '1900-02-28',
      undefined,
      '1900-03-01',
      '2026-01-05',
      '12:00',
      '2026-01-05 12:00',
    ]);
    expect(excelSerialText(0, true)).toBe('1904-01-01');
    expect(excelSerialText(-1)).toBeUndefined();
  });

  it('places a day without a year: a sale on the latest such day up to today, a due date on the first from the sale', () => {
    expect(latestOnOrBefore(TODAY, 1, 5)).toBe('2026-01-05');
    expect(latestOnOrBefore(TODAY, 3, 1)).toBe('2026-03-01');
    expect(latestOnOrBefore(TODAY, 12, 25)).toBe('2025-12-25');
    expect(latestOnOrBefore(TODAY, 2, 29)).toBe('2024-02-29');
    expect(earliestOnOrAfter('2026-01-08', 2, 1)).toBe('2026-02-01');
    expect(earliestOnOrAfter('2026-03-01', 1, 5)).toBe('2027-01-05');
  });

  it.each([
    ['是', true],
    ['Y', true],
    ['yes', true],
    ['TRUE', true],
    ['1', true],
    ['√', true],
    ['✓', true],
    ['是宣传大使', true],
    ['Is an ambassador', true],
    ['否', false],
    ['N', false],
    ['no', false],
    ['FALSE', false],
    ['0', false],
    ['×', false],
    ['', false],
    ['  ', false],
    ['maybe', undefined],
    ['X', undefined],
    ['已付', undefined],
  ])('reads %j as yes/no: %p', (text, value) => {
    expect(readYesNo(text)).toBe(value);
  });

  it('reads how a paid column says it', () => {
    expect(['已付', '已付清', '付清', 'Paid', '是'].map((w) => readYesNo(w, { paid: true }))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['未付', '欠款', 'unpaid', '否', ''].map((w) => readYesNo(w, { paid: true }))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(readYesNo('部分', { paid: true })).toBeUndefined();
  });

  it('undoes exactly the export formula guard', () => {
    expect(["'=SUM(A1)", "'+86 138", "'-5", "'@x", "''=x", "'abc", "'", "it's"].map(unguardCell)).toEqual([
      '=SUM(A1)',
      '+86 138',
      '-5',
      '@x',
      "'=x",
      "'abc",
      "'",
      "it's",
    ]);
    fc.assert(fc.property(fc.string(), (text) => unguardCell(userText(text)) === text));
  });
});

describe('finding the header', () => {
  it('skips a title row, ignores the row counter, maps the Chinese headers and keeps unknown columns as notes', async () => {
    const result = mapCardRows(await sheetRows('customers-gbk.csv'), TODAY);
    expect(result).toMatchObject({ ok: true, headerRows: [2], titleRows: [1] });
    if (!result.ok) return;
    expect(
      result.columns.map((c) => (c.role === 'field' ? `${c.header}→${c.target}` : `${c.header}:${c.role}`)),
    ).toEqual([
      '序号:ignored',
      '*姓名→name',
      '手机(必填)→phone',
      '公司→company',
      '职务→title',
      '地区→region',
      '生日→birthday',
      '兴趣爱好→interests',
      '信用额度（元）→creditLimitFen',
      '付款方式→paymentMethod',
      '宣传大使→ambassador',
      '负责人→owner',
      '推荐人→referrer',
      '备注→notes',
      '微信:extra',
    ]);
  });

  it('merges a two-row header under a merged title: a group heading yields to the names below it', async () => {
    const result = mapCardRows(await sheetRows('customers-and-sales.xlsx'), TODAY);
    expect(result).toMatchObject({ ok: true, headerRows: [2, 3], titleRows: [1] });
    if (!result.ok) return;
    expect(result.columns.map((c) => (c.role === 'field' ? c.target : `${c.header}:${c.role}`))).toEqual([
      'name',
      'phone',
      '座机:extra',
      'company',
      'birthday',
      'creditLimitFen',
      'ambassador',
      'owner',
      'notes',
    ]);
  });

  const targets = (header: string[]) => {
    const result = mapCardRows(
      rows(
        header,
        header.map(() => ''),
      ),
      TODAY,
    );
    if (!result.ok) throw new Error(result.reason);
    return result.columns.map((c) => (c.role === 'field' ? c.target : c.role));
  };

  it('reads headers however they are decorated: full width, spaces, colons, required marks, remarks in brackets', () => {
    expect(
      targets([
        '＊姓名：',
        ' 手 机 （必填） ',
        '【公司】',
        'Credit_Limit (yuan)',
        '付款条件*',
        '职务\n(选填)',
        '地区:',
      ]),
    ).toEqual(['name', 'phone', 'company', 'creditLimitFen', 'paymentTerms', 'title', 'region']);
  });

  it('reads English headers', () => {
    expect(
      targets([
        'Name',
        'Mobile',
        'Company',
        'Job Title',
        'Region',
        'Birthday',
        'Credit limit',
        'Payment terms',
        'Owner',
        'Referred by',
        'Notes',
        'Card No.',
        'E-mail',
      ]),
    ).toEqual([
      'name',
      'phone',
      'company',
      'title',
      'region',
      'birthday',
      'creditLimitFen',
      'paymentTerms',
      'owner',
      'referrer',
      'notes',
      'number',
      'extra',
    ]);
  });

  it('gives 客户名称 to the name, unless a contact person column takes it; then to the company', () => {
    expect(targets(['客户名称', '手机'])).toEqual(['name', 'phone']);
    expect(targets(['客户名称', '联系人', '手机'])).toEqual(['company', 'name', 'phone']);
    expect(targets(['客户名称', '联系人', '公司'])).toEqual(['extra', 'name', 'company']);
  });

  it('fills a target once: the surer header wins, else the leftmost; the other column is kept as notes', () => {
    expect(targets(['姓名', '电话', '手机'])).toEqual(['name', 'extra', 'phone']);
    expect(targets(['姓名', '备注', '备注'])).toEqual(['name', 'notes', 'extra']);
    expect(targets(['姓名', '推荐人', '推荐人（旧记录）'])).toEqual(['name', 'referrer', 'legacyReferrer']);
  });

  it('labels a data column without a header by its letter', () => {
    const result = mapCardRows(rows(['姓名', '手机'], ['张三', '13800138000', '', '微信 zs']), TODAY);
    expect(result.ok && result.columns.map((c) => c.header)).toEqual(['姓名', '手机', 'C', 'D']);
    expect(result.ok && result.rows[0]).toMatchObject({ ok: true, extras: [{ header: 'D', value: '微信 zs' }] });
  });

  it('refuses a sheet without a header, or without a name column, or a header further down than it looks', () => {
    expect(mapCardRows(rows(['张三', '13800138000']), TODAY)).toEqual({ ok: false, reason: 'noHeader' });
    expect(mapCardRows(rows(['手机', '公司'], ['13800138000', '华东']), TODAY)).toEqual({
      ok: false,
      reason: 'missingColumns',
      missing: ['name'],
    });
    const notes = Array.from({ length: domain.import.headerSearchRows }, (_, i) => [`说明 ${i + 1}`]);
    expect(mapCardRows(rows(...notes, ['姓名', '手机'], ['张三', '138']), TODAY)).toEqual({
      ok: false,
      reason: 'noHeader',
    });
  });

  it('refuses a sales sheet missing what a sale needs', () => {
    expect(mapSaleRows(rows(['客户', '日期', '金额'], ['张三', '2026-01-05', '100']), TODAY)).toEqual({
      ok: false,
      reason: 'missingColumns',
      missing: ['product'],
    });
    expect(mapSaleRows(rows(['日期', '产品', '金额']), TODAY)).toEqual({
      ok: false,
      reason: 'missingColumns',
      missing: ['customer'],
    });
  });
});

describe('customer rows', () => {
  it('turns the GBK customer book into card inputs, refusing what cannot be read and keeping what has no field', async () => {
    const result = mapped(mapCardRows(await sheetRows('customers-gbk.csv'), TODAY));
    expect(result).toEqual<CardRow[]>([
      {
        ok: true,
        rowNumber: 3,
        card: {
          name: '张三',
          company: '华东贸易有限公司',
          title: '总经理',
          phone: '13800138000',
          region: '上海',
          birthday: { calendar: 'solar', year: 1980, month: 5, day: 6 },
          interests: '高尔夫',
          creditLimitFen: 50_000_00,
          paymentMethod: '转账',
          ambassador: true,
          notes: '老客户，每月进货\n微信: zhangsan_wx',
        },
        owner: '王经理',
        extras: [{ header: '微信', value: 'zhangsan_wx' }],
        warnings: [],
      },
      {
        ok: true,
        rowNumber: 4,
        card: {
          name: '李四',
          company: '成都川味食品厂',
          title: '采购',
          phone: '+86 139 0013 9000',
          region: '成都',
          birthday: { calendar: 'solar', year: 1975, month: 3, day: 15 },
          interests: '喝茶, 钓鱼\n周末爬山',
          creditLimitFen: 15_000_00,
          paymentMethod: '月结',
          ambassador: false,
        },
        owner: 'wang@example.com',
        referrer: '张三',
        extras: [],
        warnings: [],
      },
      {
        ok: true,
        rowNumber: 6,
        card: {
          name: '王五',
          company: 'ＡＢＣ贸易',
          title: '经理',
          phone: '13700137000',
          region: '广州',
          birthday: { calendar: 'solar', year: 1968, month: 11, day: 2 },
          creditLimitFen: 8_000_00,
          paymentMethod: '现金',
          ambassador: true,
          notes: '他说"好"就好\n微信: ww',
        },
        extras: [{ header: '微信', value: 'ww' }],
        warnings: [],
      },
      {
        ok: true,
        rowNumber: 7,
        card: {
          name: '赵六',
          phone: '021-62345678',
          // A birthday without its year is a birthday all the same: greeted every year, no age said.
          birthday: { calendar: 'solar', month: 1, day: 5 },
          ambassador: false,
          notes: '手机(必填): 13600136000',
        },
        extras: [{ header: '手机(必填)', value: '13600136000' }],
        warnings: [],
      },
      {
        ok: false,
        rowNumber: 8,
        cells: ['5', '钱七', '1.38E+10'],
        issues: [{ code: 'phoneDigitsLost', field: 'phone', header: '手机(必填)' }],
      },
      {
        ok: false,
        rowNumber: 9,
        cells: ['6', '孙八', '13500135000', '', '区域销售经理'.repeat(9)],
        issues: [{ code: 'tooLong', field: 'title', header: '职务', max: 50 }],
      },
    ]);
  });

  it('reads birthdays as people write them into dates, solar or lunar, and important days one per line', () => {
    const read = (birthday: string) => oneCard(['姓名', '生日'], ['张三', birthday]);
    expect(read('1990-05-20')).toMatchObject({
      ok: true,
      card: { birthday: { calendar: 'solar', year: 1990, month: 5, day: 20 } },
    });
    expect(read('1990/5/20')).toMatchObject({
      ok: true,
      card: { birthday: { calendar: 'solar', year: 1990, month: 5, day: 20 } },
    });
    // An Excel serial, as a CSV saved from a sheet whose column had no date format holds it.
    expect(read('32983')).toMatchObject({
      ok: true,
      card: { birthday: { calendar: 'solar', year: 1990, month: 4, day: 20 } },
    });
    expect(read('5月20日')).toMatchObject({ ok: true, card: { birthday: { calendar: 'solar', month: 5, day: 20 } } });
    expect(read('农历八月十五')).toMatchObject({
      ok: true,
      card: { birthday: { calendar: 'lunar', month: 8, day: 15 } },
    });
    expect(read('腊月初八')).toMatchObject({ ok: true, card: { birthday: { calendar: 'lunar', month: 12, day: 8 } } });
    expect(read('下个月')).toMatchObject({
      ok: false,
      issues: [{ code: 'invalidOccasion', field: 'birthday', header: '生日', problem: 'notADate' }],
    });
    expect(read('2030-01-01')).toMatchObject({
      ok: false,
      issues: [{ code: 'invalidOccasion', field: 'birthday', problem: 'birthInFuture' }],
    });
    expect(read('1'.repeat(41))).toMatchObject({
      ok: false,
      issues: [{ code: 'tooLong', field: 'birthday', max: 40 }],
    });
    expect(oneCard(['姓名', '纪念日'], ['张三', '结婚纪念日 5-20\n公司周年：农历三月初八'])).toMatchObject({
      ok: true,
      card: {
        importantDays: [
          { label: '结婚纪念日', calendar: 'solar', month: 5, day: 20, recurrence: 'yearly' },
          { label: '公司周年', calendar: 'lunar', month: 3, day: 8, recurrence: 'yearly' },
        ],
      },
    });
    expect(oneCard(['姓名', '纪念日'], ['张三', '结婚纪念日 5-20\n生日'])).toMatchObject({
      ok: false,
      issues: [{ code: 'invalidOccasion', field: 'importantDays', header: '纪念日', line: 2 }],
    });
  });

  it('reads the workbook: merged header, serial birthday, phone from a formula, rich text', async () => {
    const result = mapped(mapCardRows(await sheetRows('customers-and-sales.xlsx'), TODAY));
    expect(result.map((r) => r.ok && { ...r.card, owner: r.owner, extras: r.extras })).toEqual([
      {
        name: '张三',
        company: '华东贸易有限公司',
        phone: '13800138000',
        birthday: { calendar: 'solar', year: 1980, month: 5, day: 6 },
        creditLimitFen: 50_000_00,
        ambassador: true,
        owner: 'U0123ABCD',
        notes: '老客户\n座机: 021-62345678',
        extras: [{ header: '座机', value: '021-62345678' }],
      },
      {
        name: '李四',
        company: '成都川味食品厂',
        phone: '13900139000',
        birthday: { calendar: 'solar', year: 1975, month: 3, day: 15 },
        creditLimitFen: 15_000_00,
        ambassador: false,
        owner: 'wang@example.com',
        extras: [],
      },
      {
        name: '王五',
        company: 'ＡＢＣ贸易',
        phone: '137 0013 7000',
        birthday: { calendar: 'solar', year: 1968, month: 11, day: 2 },
        creditLimitFen: 8_000_00,
        ambassador: true,
        owner: undefined,
        extras: [],
      },
      { name: '赵六', phone: '13600136000', ambassador: false, owner: undefined, extras: [] },
    ]);
  });

  it('reads choices by their label in either language or by their key', () => {
    const header = ['姓名', '信用度', '关系阶段', '沟通风格', '忠诚态度'];
    expect(oneCard(header, ['张三', '高', '信赖', '进取型', '忠诚客户'])).toMatchObject({
      ok: true,
      card: { creditRating: 'high', stage: 'trust', style: 'driver', loyalty: 'loyal' },
    });
    expect(oneCard(header, ['Zhang', 'Medium', 'ALLIANCE', 'amiable', 'No brand loyalty'])).toMatchObject({
      ok: true,
      card: { creditRating: 'medium', stage: 'alliance', style: 'amiable', loyalty: 'nonLoyal' },
    });
  });

  it('keeps a customer category column as notes: the category shown is the one computed from sales and contacts', () => {
    const row = oneCard(['姓名', '客户类别'], ['张三', '潜在客户']);
    expect(row).toMatchObject({ ok: true, extras: [{ header: '客户类别', value: '潜在客户' }] });
    expect(row.ok && 'status' in row.card).toBe(false);
  });

  it('reads a credit limit as people write it, in 万元 when the header says so, and 0 as a limit', () => {
    const limit = (header: string, cell: string) => {
      const row = oneCard(['姓名', header], ['张三', cell]);
      return row.ok ? row.card.creditLimitFen : row.issues;
    };
    expect(limit('信用额度', '¥50,000.50')).toBe(50_000_50);
    expect(limit('信用额度', '５万')).toBe(50_000_00);
    expect(limit('信用额度（万元）', '1.5')).toBe(15_000_00);
    expect(limit('信用额度', '0')).toBe(0);
    expect(limit('信用额度', '500000000')).toBe(500_000_000_00);
    expect(limit('信用额度', '12.345')).toEqual([
      { code: 'invalidMoney', field: 'creditLimitFen', header: '信用额度' },
    ]);
  });

  it('refuses a row with every reason it has, naming each column, and never cuts a value to fit', () => {
    const header = ['姓名', '手机', '生日', '信用度', '宣传大使', '公司'];
    expect(oneCard(header, ['', '待补', '去年', '很好', '也许', '华'.repeat(101)])).toEqual({
      ok: false,
      rowNumber: 2,
      cells: ['', '待补', '去年', '很好', '也许', '华'.repeat(101)],
      issues: [
        { code: 'invalidBoolean', field: 'ambassador', header: '宣传大使' },
        { code: 'required', field: 'name' },
        { code: 'tooLong', field: 'company', header: '公司', max: 100 },
        { code: 'invalidPhone', field: 'phone', header: '手机' },
        { code: 'invalidChoice', field: 'creditRating', header: '信用度' },
        { code: 'invalidOccasion', field: 'birthday', header: '生日', problem: 'notADate' },
      ],
    });
  });

  it('takes a name of exactly its field length, and one past it is refused', () => {
    expect(oneCard(['姓名'], ['张'.repeat(100)])).toMatchObject({ ok: true, card: { name: '张'.repeat(100) } });
    expect(oneCard(['姓名'], ['张'.repeat(101)])).toMatchObject({
      ok: false,
      issues: [{ code: 'tooLong', field: 'name', max: 100 }],
    });
  });

  it('keeps every unmapped cell as a labelled line of the notes, and refuses the row when they do not fit', () => {
    expect(oneCard(['姓名', '备注', '微信', 'QQ'], ['张三', '老客户', 'zs', '10001'])).toMatchObject({
      ok: true,
      card: { notes: '老客户\n微信: zs\nQQ: 10001' },
    });
    const long = 'x'.repeat(2990);
    expect(oneCard(['姓名', '备注', '微信'], ['张三', long, 'zhangsan_wx'])).toEqual({
      ok: false,
      rowNumber: 2,
      cells: ['张三', long, 'zhangsan_wx'],
      issues: [{ code: 'notesTooLong', field: 'notes', header: '备注', max: 3000 }],
    });
  });

  it('undoes the export formula guard on every cell', () => {
    expect(
      oneCard(['姓名', '电话', '备注', '偏好'], ["'=张三", "'+86 138 0013 8000", '\'=HYPERLINK("x")', "''@home"]),
    ).toEqual({
      ok: true,
      rowNumber: 2,
      card: { name: '=张三', phone: '+86 138 0013 8000', preferences: "'@home", notes: '=HYPERLINK("x")', ...ABSENT },
      extras: [],
      warnings: [],
    });
  });

  it('skips totals rows and repeated headers, saying why', () => {
    const result = cards(
      ['姓名', '手机'],
      ['张三', '138 0013 8000'],
      ['合计', ''],
      ['姓名', '手机'],
      ['李四', '13900139000'],
    );
    expect(result.map((r) => (r.ok ? r.card.name : r.issues[0]!.code))).toEqual([
      '张三',
      'summaryRow',
      'repeatedHeader',
      '李四',
    ]);
  });
});

describe('sales rows', () => {
  it('turns the sales sheet into sale inputs: fen, dates, paid, a profit of 0 kept; the totals row refused', async () => {
    const result = mapped(mapSaleRows(await sheetRows('customers-and-sales.xlsx', '销售记录'), TODAY));
    expect(result).toEqual<SaleRow[]>([
      {
        ok: true,
        rowNumber: 2,
        customer: { name: '张三', phone: '13800138000' },
        sale: {
          date: '2026-01-05',
          product: '茶叶礼盒',
          model: 'A-1',
          quantity: 2,
          amountFen: 1_280_00,
          profitFen: 300_00,
          paidInFull: true,
        },
        extras: [],
        warnings: [],
      },
      {
        ok: true,
        rowNumber: 3,
        customer: { name: '李四' },
        sale: { date: '2026-01-08', product: '白酒', quantity: 1, amountFen: 12_000_00, paidInFull: false },
        extras: [],
        warnings: [],
      },
      // A sale at cost: its profit is 0, kept as 0 (not refused, not taken as unknown).
      {
        ok: true,
        rowNumber: 4,
        customer: { name: '王五' },
        sale: { date: '2026-01-09', product: '茶具', quantity: 3, amountFen: 600_00, profitFen: 0, paidInFull: true },
        extras: [],
        warnings: [],
      },
      { ok: false, rowNumber: 5, cells: ['合计', '', '', '', '', '6', '13880'], issues: [{ code: 'summaryRow' }] },
    ]);
  });

  const header = ['卡号', '客户', '日期', '产品', '数量', '金额（万元）', '到期日', '已付'];

  it('places dates without a year, and says so', () => {
    const [row] = sales(header, ['KH-2026-0001', '', '12月30日', '茶叶', '', '0.5', '1月10日', '']);
    expect(row).toEqual({
      ok: true,
      rowNumber: 2,
      customer: { number: 'KH-2026-0001' },
      sale: {
        date: '2025-12-30',
        product: '茶叶',
        quantity: 1,
        amountFen: 5_000_00,
        dueDate: '2026-01-10',
        paidInFull: false,
      },
      extras: [],
      warnings: [
        { code: 'noYearAssumed', field: 'date', header: '日期' },
        { code: 'noYearAssumed', field: 'dueDate', header: '到期日' },
      ],
    });
  });

  it('refuses a sale without a customer, in the future, due before it, of no quantity or an unreadable paid flag', () => {
    const result = sales(
      header,
      ['', '', '2026-01-05', '茶叶', '1', '1', '', ''],
      ['', '张三', '2026-03-02', '茶叶', '1', '1', '', ''],
      ['', '张三', '2026-01-05', '茶叶', '1', '1', '2026-01-04', ''],
      ['', '张三', '2026-01-05', '茶叶', '0', '1', '', '部分'],
    );
    expect(result.map((r) => !r.ok && r.issues.map((i) => `${i.code}:${i.field ?? ''}`))).toEqual([
      ['noCustomer:'],
      ['dateInFuture:date'],
      ['dueBeforeSale:dueDate'],
      ['invalidBoolean:paid', 'invalidQuantity:quantity'],
    ]);
  });
});

describe('import messages', () => {
  const LOCALES: Locale[] = ['zh', 'en'];

  const REFUSALS: ReadRefusal[] = [
    { reason: 'tooLarge', maxBytes: domain.import.maxBytes },
    { reason: 'empty' },
    { reason: 'notSpreadsheet' },
    { reason: 'legacyExcel' },
    { reason: 'encrypted' },
    { reason: 'zipBomb' },
    { reason: 'unreadable' },
    { reason: 'sheetNotFound', sheetName: '客户2', sheetNames: ['客户', '销售记录'] },
    { reason: 'tooManyRows', maxRows: 20_000 },
    { reason: 'tooManyColumns', maxColumns: 200 },
    { reason: 'tooManyCells', maxCells: 1_000_000 },
  ];

  it.each(LOCALES)('words every refusal of a file in %s', (locale) => {
    const t = messagesFor(locale);
    const texts = REFUSALS.map((r) => readRefusalText(t, r));
    expect(texts.every((text) => text.length > 5 && !text.includes('undefined'))).toBe(true);
    expect(texts[0]).toContain('10 MB');
    expect(texts[7]).toContain('客户2');
    expect(texts[7]).toContain(`客户${t.imports.listSeparator}销售记录`);
    expect(texts[8]).toContain('20000');
    expect(
      mappingRefusalText(t, 'sales', { ok: false, reason: 'missingColumns', missing: ['customer', 'product'] }),
    ).toContain(t.imports.targets.customer);
    expect(mappingRefusalText(t, 'cards', { ok: false, reason: 'noHeader' })).toBe(t.imports.refusals.noHeader);
  });

  /** Every code, with the field it comes with: a record so a new code fails to compile until it is listed. */
  const ISSUES: Record<IssueCode, { sheet: 'cards' | 'sales'; field?: CardTarget | SaleTarget }> = {
    required: { sheet: 'cards', field: 'name' },
    tooLong: { sheet: 'cards', field: 'title' },
    invalidChoice: { sheet: 'cards', field: 'creditRating' },
    invalidPhone: { sheet: 'cards', field: 'phone' },
    invalidMoney: { sheet: 'cards', field: 'creditLimitFen' },
    invalidDate: { sheet: 'cards', field: 'birthday' },
    dateInFuture: { sheet: 'sales', field: 'date' },
    amountFormat: { sheet: 'sales', field: 'amount' },
    amountTooManyDecimals: { sheet: 'sales', field: 'amount' },
    amountNotPositive: { sheet: 'sales', field: 'profit' },
    amountTooLarge: { sheet: 'sales', field: 'amount' },
    invalidQuantity: { sheet: 'sales', field: 'quantity' },
    dueBeforeSale: { sheet: 'sales', field: 'dueDate' },
    invalidValue: { sheet: 'cards', field: 'region' },
    invalidBoolean: { sheet: 'cards', field: 'ambassador' },
    phoneDigitsLost: { sheet: 'cards', field: 'phone' },
    invalidOccasion: { sheet: 'cards', field: 'birthday' },
    noYearAssumed: { sheet: 'sales', field: 'date' },
    notesTooLong: { sheet: 'cards', field: 'notes' },
    noCustomer: { sheet: 'sales' },
    summaryRow: { sheet: 'cards' },
    repeatedHeader: { sheet: 'sales' },
  };

  it.each(LOCALES)(
    'words every row issue in %s, naming the column as the file heads it, else as the card does',
    (locale) => {
      const t = messagesFor(locale);
      for (const [code, { sheet, field }] of Object.entries(ISSUES) as [IssueCode, (typeof ISSUES)[IssueCode]][]) {
        const issue = { code, ...(field ? { field } : {}), ...(code === 'tooLong' ? { max: 50 } : {}) };
        const text = issueText(t, sheet, issue);
        expect(text.length).toBeGreaterThan(5);
        expect(text).not.toContain('undefined');
        if (field) {
          expect(text).toContain(targetLabel(t, sheet, field));
          expect(issueText(t, sheet, { ...issue, header: '我的列' })).toContain('我的列');
        }
      }
      expect(issueText(t, 'cards', { code: 'tooLong', field: 'title', max: 50 })).toContain(`${t.fields.title}`);
      expect(issueText(t, 'cards', { code: 'tooLong', field: 'title', header: '职位', max: 50 })).toContain('50');
      expect(issueText(t, 'cards', { code: 'invalidChoice', field: 'creditRating' })).toContain(
        [t.options.creditRating.high, t.options.creditRating.medium, t.options.creditRating.low].join(
          t.imports.listSeparator,
        ),
      );
      expect(issueText(t, 'sales', { code: 'required', field: 'product' })).toContain(t.money.product);
    },
  );

  it('writes a refused row as one line with its number and every reason', () => {
    const row = {
      rowNumber: 8,
      issues: [
        { code: 'phoneDigitsLost' as const, field: 'phone' as const, header: '手机(必填)' },
        { code: 'required' as const, field: 'name' as const },
      ],
    };
    expect(refusedRowText(messagesFor('zh'), 'cards', row)).toBe(
      '第 8 行：“手机(必填)”被 Excel 写成了科学计数法（例如 1.38E+10），号码后面几位已经丢了。请把这一列设为“文本”格式、重新输入号码后再导入。 “姓名 / 名称”是必填的，这一格是空的。',
    );
    expect(refusedRowText(messagesFor('en'), 'cards', row)).toMatch(
      /^Row 8: Excel turned “手机\(必填\)” into scientific notation/,
    );
  });
});
