import { domain } from '../config/domain.js';
import { en } from '../i18n/en.js';
import { zh, type Messages } from '../i18n/zh.js';
import type { SheetRow } from './rows.js';
import { CARD_FIELDS, type CardFieldKey } from '../domain/cardFields.js';

/**
 * Finding the header of an imported sheet and what each column holds, in
 * Chinese and English, as offices label them and as `/card export` does.
 */

/** What a card sheet's column can fill: a card field, or what only the import knows (matched to people and cards later). */
export type CardTarget =
  | Exclude<CardFieldKey, 'ownerId' | 'referrerId'>
  | 'owner'
  | 'ownerSlackId'
  | 'referrer'
  | 'referrerNumber'
  | 'legacyReferrer'
  | 'number';

/** What a sales sheet's column can fill; the customer is named by any of the first three. */
export type SaleTarget =
  | 'customerNumber'
  | 'customerName'
  | 'customerPhone'
  | 'date'
  | 'product'
  | 'model'
  | 'style'
  | 'quantity'
  | 'amount'
  | 'profit'
  | 'dueDate'
  | 'paid'
  | 'recordedBy'
  | 'recordedBySlackId'
  | 'creditOverriddenBy'
  | 'creditOverriddenBySlackId';

/**
 * `field`: read into its target. `ignored`: known and left out on purpose (a
 * row counter, or what the app computes itself: segment, tier, timestamps).
 * `extra`: nothing to fill, or its target already taken by a column to its
 * left; its cells are kept as labelled notes, so nothing in the file is lost.
 */
export type ColumnMapping<T extends string> =
  | { column: number; header: string; role: 'field'; target: T; unit?: 'wan' }
  | { column: number; header: string; role: 'ignored' | 'extra' };

/** A header name the target answers to, and how surely: rank 0 is the field's own name; a higher rank yields to a lower one. */
interface Alias<T> {
  target: T | 'ignored';
  rank: number;
}

type AliasTable<T extends string> = readonly { target: T | 'ignored'; rank: number; names: readonly string[] }[];

const CARD_ALIASES: AliasTable<CardTarget> = [
  { target: 'name', rank: 0, names: ['姓名', '客户姓名', '名字', 'name', 'full name', 'customer name'] },
  { target: 'name', rank: 1, names: ['联系人', '联系人姓名', 'contact', 'contact name', 'contact person'] },
  // 客户名称 is a person or a company: the name, unless a person's column takes that, then the company.
  { target: 'name', rank: 2, names: ['客户名称', '客户', '名称', 'customer'] },
  { target: 'company', rank: 3, names: ['客户名称', '名称'] },
  {
    target: 'company',
    rank: 0,
    names: ['公司', '单位', '公司名称', '单位名称', '工作单位', '企业名称', 'company', 'organization', 'organisation'],
  },
  { target: 'title', rank: 0, names: ['职务', '职位', '岗位', 'title', 'job title', 'position'] },
  {
    target: 'phone',
    rank: 0,
    names: ['手机', '手机号', '手机号码', '移动电话', 'mobile', 'mobile phone', 'cell', 'cellphone'],
  },
  { target: 'phone', rank: 1, names: ['电话', '联系电话', '联系方式', '电话号码', 'phone', 'tel', 'telephone'] },
  { target: 'address', rank: 0, names: ['地址', '联系地址', '详细地址', '通讯地址', 'address'] },
  { target: 'region', rank: 0, names: ['地区', '区域', '城市', '所在地区', '片区', 'region', 'area', 'city'] },
  { target: 'birthday', rank: 0, names: ['生日', '出生日期', '出生年月日', 'birthday', 'date of birth', 'dob'] },
  {
    target: 'importantDays',
    rank: 0,
    names: ['重要日子', '重要的日子', '纪念日', '重要纪念日', 'important days', 'anniversaries'],
  },
  { target: 'education', rank: 0, names: ['学历', 'education'] },
  { target: 'family', rank: 0, names: ['家庭', '家庭情况', 'family'] },
  { target: 'interests', rank: 0, names: ['爱好', '兴趣爱好', '兴趣', 'hobbies', 'interests'] },
  { target: 'personality', rank: 0, names: ['性格', 'personality'] },
  { target: 'background', rank: 0, names: ['背景', '经历', '经历背景', 'background'] },
  { target: 'achievements', rank: 0, names: ['成就', 'achievements'] },
  { target: 'travel', rank: 0, names: ['旅行', '旅游', 'travel'] },
  { target: 'culture', rank: 0, names: ['文化背景', 'culture'] },
  { target: 'preferences', rank: 0, names: ['偏好', '喜好', 'preferences'] },
  { target: 'customs', rank: 0, names: ['习俗', '当地习俗', 'customs'] },
  { target: 'potential', rank: 0, names: ['发展潜力', 'potential'] },
  { target: 'marketPolicy', rank: 0, names: ['市场政策', 'market policy'] },
  { target: 'tradeActivity', rank: 0, names: ['销售情况', 'sales activity'] },
  { target: 'problems', rank: 0, names: ['问题', 'problems'] },
  { target: 'futurePotential', rank: 0, names: ['future potential'] },
  { target: 'financialStatus', rank: 0, names: ['财务', 'financial status'] },
  { target: 'creditRating', rank: 0, names: ['信用', '信用等级', '信用度', 'credit rating'] },
  { target: 'creditLimitFen', rank: 0, names: ['信用额度', '授信额度', '额度', 'credit limit'] },
  { target: 'paymentTerms', rank: 0, names: ['付款条件', '账期', '结算周期', 'payment terms'] },
  { target: 'paymentMethod', rank: 0, names: ['付款方式', '结算方式', '支付方式', 'payment method'] },
  { target: 'competitors', rank: 0, names: ['竞争对手', 'competitors'] },
  { target: 'loyalty', rank: 0, names: ['忠诚度', 'loyalty'] },
  {
    target: 'owner',
    rank: 0,
    names: [
      '负责人',
      '业务员',
      '销售',
      '销售员',
      '客户经理',
      '跟进人',
      'owner',
      'salesperson',
      'sales rep',
      'account owner',
    ],
  },
  { target: 'referrer', rank: 0, names: ['推荐人', '介绍人', '转介绍人', 'referrer', 'referred by'] },
  { target: 'ambassador', rank: 0, names: ['宣传大使', '大使', '是否宣传大使', 'ambassador'] },
  { target: 'notes', rank: 0, names: ['备注', '说明', '备注信息', 'notes', 'note', 'remark', 'remarks', 'comments'] },
  {
    target: 'number',
    rank: 0,
    names: ['卡号', '编号', '客户编号', '客户卡号', 'card number', 'card no', 'customer number', 'customer no'],
  },
  { target: 'ignored', rank: 0, names: ['序号', 'no', '#'] },
];

const SALE_ALIASES: AliasTable<SaleTarget> = [
  {
    target: 'customerNumber',
    rank: 0,
    names: ['卡号', '编号', '客户编号', '客户卡号', 'card number', 'customer number'],
  },
  {
    target: 'customerName',
    rank: 0,
    names: ['客户', '客户名称', '客户姓名', '姓名', '名称', '联系人', 'customer', 'name'],
  },
  { target: 'customerPhone', rank: 0, names: ['手机', '手机号', '电话', '联系电话', 'phone', 'mobile'] },
  { target: 'date', rank: 0, names: ['日期', '销售日期', '交易日期', '成交日期', '购买日期', 'date', 'sale date'] },
  { target: 'product', rank: 0, names: ['产品', '产品名称', '商品', '商品名称', '品名', 'product', 'item'] },
  { target: 'model', rank: 0, names: ['型号', '规格', '规格型号', 'model'] },
  { target: 'style', rank: 0, names: ['款式', '颜色', 'style', 'colour', 'color'] },
  { target: 'quantity', rank: 0, names: ['数量', 'quantity', 'qty'] },
  { target: 'amount', rank: 0, names: ['金额', '销售额', '销售金额', '成交金额', '总价', 'amount', 'total'] },
  { target: 'profit', rank: 0, names: ['利润', '毛利', 'profit'] },
  { target: 'dueDate', rank: 0, names: ['到期日', '付款日期', '应付日期', 'due date'] },
  { target: 'paid', rank: 0, names: ['已付', '是否付清', '已付清', '付款状态', '付清', '已付款', 'paid'] },
  { target: 'ignored', rank: 0, names: ['序号', 'no', '#'] },
];

/** A header cell as a lookup key: full-width folded, lower case, without spaces, punctuation runs or required marks (`*手机：` is `手机`). */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.:*※]/g, '');
}

const REMARK = /\([^)]*\)|\[[^\]]*\]|【[^】]*】/g;

/** Without bracketed remarks (`手机(必填)` is `手机`, `信用额度(万元)` is `信用额度`); a label all in brackets (`【姓名】`) only loses them. */
function withoutRemarks(key: string): string {
  return key.replace(REMARK, '') || key.replace(/[()[\]【】]/g, '');
}

/** Each catalog's own names for the targets: the card modal's labels and the export's headers, so an export reads back. */
function catalogCardNames(t: Messages): [CardTarget | 'ignored', string][] {
  const fields = t.fields as Record<string, string>;
  const own = CARD_FIELDS.map((f): [CardTarget, string] => [
    f.key === 'ownerId' ? 'owner' : f.key === 'referrerId' ? 'referrer' : f.key,
    fields[f.key]!,
  ]);
  return [
    ...own,
    // The export gives a person's Slack ID, and a referrer's card number, a column of its own beside the name.
    ['ownerSlackId', t.exports.columns.slackId(fields.ownerId!)],
    ['referrerNumber', t.exports.columns.referrerNumber],
    ['number', t.fields.number],
    ['legacyReferrer', t.fields.referrer],
    ...[t.fields.segment, t.fields.tier, t.fields.abc, t.exports.columns.createdAt, t.exports.columns.updatedAt].map(
      (n): ['ignored', string] => ['ignored', n],
    ),
  ];
}

function catalogSaleNames(t: Messages): [SaleTarget | 'ignored', string][] {
  const { money: m, exports: e } = t;
  return [
    ['customerNumber', t.fields.number],
    ['customerName', e.columns.customerName],
    ['date', m.date],
    ['product', m.product],
    ['model', m.model],
    ['style', m.style],
    ['quantity', m.quantity],
    ['amount', m.amount],
    ['profit', m.profit],
    ['dueDate', m.dueDate],
    ['paid', m.paidInFull],
    ['creditOverriddenBy', e.columns.creditOverriddenBy],
    ['creditOverriddenBySlackId', e.columns.slackId(e.columns.creditOverriddenBy)],
    ['recordedBy', e.columns.recordedBy],
    ['recordedBySlackId', e.columns.slackId(e.columns.recordedBy)],
    ['ignored', e.columns.recordedAt],
  ];
}

/** Header keys, exact and without remarks, to the targets they may mean. Exact keys win, so `推荐人（旧记录）` is not `推荐人`. */
interface HeaderIndex<T extends string> {
  exact: Map<string, Alias<T>[]>;
  loose: Map<string, Alias<T>[]>;
}

function buildIndex<T extends string>(table: AliasTable<T>, catalogNames: [T | 'ignored', string][]): HeaderIndex<T> {
  // The table first: where it ranks a catalog's name (电话 yields to 手机), its rank stands.
  const entries: [string, Alias<T>][] = [
    ...table.flatMap(({ target, rank, names }) => names.map((name): [string, Alias<T>] => [name, { target, rank }])),
    ...catalogNames.map(([target, name]): [string, Alias<T>] => [name, { target, rank: 0 }]),
  ];
  const exact = new Map<string, Alias<T>[]>();
  const add = (map: Map<string, Alias<T>[]>, key: string, alias: Alias<T>) => {
    const list = map.get(key) ?? [];
    if (!list.some((a) => a.target === alias.target)) list.push(alias);
    map.set(key, list);
  };
  for (const [name, alias] of entries) add(exact, headerKey(name), alias);
  const loose = new Map<string, Alias<T>[]>();
  for (const [name, alias] of entries) {
    const key = withoutRemarks(headerKey(name));
    if (!exact.has(key) || exact.get(key)!.some((a) => a.target === alias.target)) add(loose, key, alias);
  }
  return { exact, loose };
}

const CARD_INDEX = buildIndex(CARD_ALIASES, [...catalogCardNames(zh), ...catalogCardNames(en)]);
const SALE_INDEX = buildIndex(SALE_ALIASES, [...catalogSaleNames(zh), ...catalogSaleNames(en)]);

function aliasesOf<T extends string>(index: HeaderIndex<T>, header: string): Alias<T>[] {
  const key = headerKey(header);
  if (key === '') return [];
  return index.exact.get(key) ?? index.loose.get(withoutRemarks(key)) ?? [];
}

/** Spreadsheet column letters (0 is `A`, 26 is `AA`): the label of a column without a header. */
function columnLetter(column: number): string {
  let n = column + 1;
  let letters = '';
  while (n > 0) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Which targets each column fills: the surest claims first, the leftmost column first among equals; a target is filled once. */
function assignColumns<T extends string>(index: HeaderIndex<T>, labels: string[], width: number): ColumnMapping<T>[] {
  const claims = labels.flatMap((label, column) => aliasesOf(index, label).map((alias) => ({ column, ...alias })));
  claims.sort((a, b) => a.rank - b.rank || a.column - b.column);
  const byColumn = new Map<number, ColumnMapping<T>>();
  const taken = new Set<string>();
  for (const claim of claims) {
    if (byColumn.has(claim.column)) continue;
    const header = labels[claim.column]!.trim();
    if (claim.target === 'ignored') {
      byColumn.set(claim.column, { column: claim.column, header, role: 'ignored' });
    } else if (!taken.has(claim.target)) {
      taken.add(claim.target);
      const unit = /万元/.test(header.normalize('NFKC')) ? { unit: 'wan' as const } : {};
      byColumn.set(claim.column, { column: claim.column, header, role: 'field', target: claim.target, ...unit });
    }
  }
  return Array.from({ length: width }, (_, column): ColumnMapping<T> => {
    const header = labels[column]?.trim() || columnLetter(column);
    return byColumn.get(column) ?? { column, header, role: 'extra' };
  });
}

/** Cells of a row that name a target. */
const recognised = <T extends string>(index: HeaderIndex<T>, row: SheetRow) =>
  row.cells.filter((cell) => aliasesOf(index, cell).length > 0).length;

/**
 * The row under the header continues it when the header has merged cells:
 * a group heading (`联系方式` over `手机 | 座机`) leaves the cells it spans
 * blank, and the row below names them. ExcelJS, like a CSV saved by Excel,
 * gives a merged cell's value in its first cell only.
 */
function isSubHeader<T extends string>(
  index: HeaderIndex<T>,
  header: SheetRow,
  next: SheetRow | undefined,
): next is SheetRow {
  if (!next || next.rowNumber !== header.rowNumber + 1 || recognised(index, next) === 0) return false;
  return next.cells.some((cell, column) => cell.trim() !== '' && (header.cells[column] ?? '').trim() === '');
}

/** Why no columns could be mapped; `missing` names the requirements (card or sale targets, or `customer`) no column meets. */
export type MappingRefusal =
  { ok: false; reason: 'noHeader' } | { ok: false; reason: 'missingColumns'; missing: string[] };

export interface ColumnsFound<T extends string> {
  ok: true;
  /** The header row, and the row under it when it continues a merged header. */
  headerRows: number[];
  /** Non-blank rows above the header (titles, notes): not imported, and listed so nothing goes unmentioned. */
  titleRows: number[];
  columns: ColumnMapping<T>[];
  dataRows: SheetRow[];
}

/** A requirement: met by a column filling any of the targets. */
interface Requirement<T extends string> {
  name: string;
  anyOf: readonly T[];
}

/**
 * The header is the row, among the first few, naming the most targets (the
 * first of equals): titles and notes above it are skipped, a second header
 * row under it merged in.
 */
function findColumns<T extends string>(
  index: HeaderIndex<T>,
  rows: SheetRow[],
  requirements: readonly Requirement<T>[],
): ColumnsFound<T> | MappingRefusal {
  let best = { at: -1, score: 0 };
  rows.slice(0, domain.import.headerSearchRows).forEach((row, at) => {
    const score = recognised(index, row);
    if (score > best.score) best = { at, score };
  });
  const header = rows[best.at];
  if (!header) return { ok: false, reason: 'noHeader' };
  const next = rows[best.at + 1];
  const subHeader = isSubHeader(index, header, next) ? next : undefined;
  const headerRows = subHeader ? [header, subHeader] : [header];
  const width = rows.reduce((max, r) => Math.max(max, r.cells.length), 0);
  const labels = Array.from({ length: width }, (_, column) => {
    const below = subHeader?.cells[column]?.trim();
    return below || (header.cells[column] ?? '');
  });
  const columns = assignColumns(index, labels, width);
  const filled = new Set(columns.flatMap((c) => (c.role === 'field' ? [c.target] : [])));
  const missing = requirements.filter((r) => !r.anyOf.some((t) => filled.has(t))).map((r) => r.name);
  if (missing.length > 0) return { ok: false, reason: 'missingColumns', missing };
  return {
    ok: true,
    headerRows: headerRows.map((r) => r.rowNumber),
    titleRows: rows.slice(0, best.at).map((r) => r.rowNumber),
    columns,
    dataRows: rows.slice(best.at + headerRows.length),
  };
}

const CARD_REQUIREMENTS: readonly Requirement<CardTarget>[] = [{ name: 'name', anyOf: ['name'] }];
const SALE_REQUIREMENTS: readonly Requirement<SaleTarget>[] = [
  { name: 'customer', anyOf: ['customerNumber', 'customerName', 'customerPhone'] },
  { name: 'date', anyOf: ['date'] },
  { name: 'product', anyOf: ['product'] },
  { name: 'amount', anyOf: ['amount'] },
];

export const findCardColumns = (rows: SheetRow[]) => findColumns(CARD_INDEX, rows, CARD_REQUIREMENTS);
export const findSaleColumns = (rows: SheetRow[]) => findColumns(SALE_INDEX, rows, SALE_REQUIREMENTS);
