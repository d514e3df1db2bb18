import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { parseExportWords } from '../src/domain/exportRequest.js';
import { parseLookup } from '../src/domain/lookup.js';
import type { RecordedCall } from './support/fakeSlack.js';
import { createCard, recordSale, type CreatedCard } from './support/flows.js';
import { Harness, TEAM_A, TEAM_A_COLLEAGUE, TEAM_B, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';
import { logVisitOn } from './support/visits.js';

const ADMIN: Actor = { teamId: TEAM_A.teamId, userId: 'U9ADMIN' };
const MANAGER: Actor = { teamId: TEAM_A.teamId, userId: 'U8MANAGER' };
const ADMIN_IN_B: Actor = { teamId: TEAM_B.teamId, userId: ADMIN.userId };
const BOM = [0xef, 0xbb, 0xbf];

/** Text a spreadsheet would run: the OWASP CSV-injection examples. */
const HOSTILE = ["=cmd|' /C calc'!A0", '+1', '-2', '@SUM(1)'];
const TRICKY_NOTE = '他说："要快, 要好"\n第二行, 还有 "引号"\r\n第三行';

const h = useHarness({ env: { ADMIN_USER_IDS: ADMIN.userId, MANAGER_USER_ID: MANAGER.userId } });
let full: CreatedCard;
let referrer: CreatedCard;

/** Every field of the card modal, as a user fills it in. */
const FULL_CARD = {
  name: '钱多多',
  company: '多多贸易, 有限公司',
  title: '总经理',
  phone: '138 0013 8000',
  address: '上海市 "浦东" 新区',
  region: '上海',
  birthday: '1970-05-06',
  education: '本科',
  family: '妻子，两个孩子',
  interests: '高尔夫',
  personality: '直爽',
  background: '做了二十年外贸',
  achievements: '省优秀企业家',
  travel: '日本, 法国',
  culture: '江南',
  preferences: TRICKY_NOTE,
  customs: '春节送茶',
  potential: '大',
  marketPolicy: '出口退税',
  tradeActivity: '每月进货',
  problems: '回款慢',
  futurePotential: '开分店',
  financialStatus: '良好',
  creditRating: 'high',
  creditLimitFen: '50,000.5',
  paymentTerms: '月结45天',
  paymentMethod: '转账',
  competitors: '老李家',
  stage: 'trust',
  style: 'driver',
  loyalty: 'loyal',
  ambassador: true,
};

/** The label each entered field has in the Chinese export, and the cell it must show. */
const EXPECTED_CELLS: Record<string, string> = {
  '姓名 / 名称': '钱多多',
  公司: '多多贸易, 有限公司',
  职务: '总经理',
  电话: '138 0013 8000',
  地址: '上海市 "浦东" 新区',
  地区: '上海',
  生日: '1970-05-06',
  学历: '本科',
  '家庭（配偶、子女）': '妻子，两个孩子',
  兴趣爱好: '高尔夫',
  性格: '直爽',
  能力与经历背景: '做了二十年外贸',
  成就: '省优秀企业家',
  旅行过的地方: '日本, 法国',
  文化背景: '江南',
  '偏好（服务时要记住的细节）': TRICKY_NOTE,
  当地文化与习俗: '春节送茶',
  发展潜力: '大',
  出口市场政策: '出口退税',
  目前销售情况: '每月进货',
  存在的问题: '回款慢',
  未来潜力: '开分店',
  财务状况: '良好',
  信用度: '高',
  '信用额度（元）': '50000.50',
  付款条件: '月结45天',
  付款方式: '转账',
  '竞争对手（使用或关注的）': '老李家',
  关系阶段: '信赖',
  沟通风格: '进取型',
  忠诚态度: '忠诚客户',
  负责人: '张销售',
  '负责人 Slack ID': TEAM_A.userId,
  宣传大使: '是',
};

/** Times as the app shows them: the team's time zone (Asia/Shanghai here), to the minute, no milliseconds. */
const SHOWN_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d$/;
const inShanghai = (at: Date) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(at);

interface Exported {
  reply: RecordedCall & { responseUrl: string };
  completion: RecordedCall;
  files: { filename: string; bytes: Buffer; rows: string[][] }[];
}

function rowsOf(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual(BOM);
  return parse(bytes.subarray(3).toString('utf8'), { relax_column_count: false });
}

/** Types `/card <text>` and waits for the files to be shared. */
async function exportAs(actor: Actor, text: string): Promise<Exported> {
  const before = h.fake.mark();
  const reply = await h.command(text, actor);
  const completion = await h.fake.waitFor('files.completeUploadExternal', () => true, before);
  const ids = (completion.args.files as { id: string }[]).map((f) => f.id);
  const files = h.fake
    .sharedFiles()
    .filter((f) => ids.includes(f.id))
    .map((f) => ({ filename: f.filename, bytes: f.bytes!, rows: rowsOf(f.bytes!) }));
  return { reply, completion, files };
}

/** The second thing the app says through a command's response_url (the first is "on its way"). */
async function followUp(responseUrl: string, before: number): Promise<string> {
  const first = await h.fake.waitForResponse(responseUrl, before);
  return visibleText((await h.fake.waitForResponse(responseUrl, h.fake.calls.indexOf(first) + 1)).args.blocks);
}

const column = (rows: string[][], label: string) => {
  const index = rows[0]!.indexOf(label);
  if (index === -1) throw new Error(`no column ${label} in ${rows[0]!.join(',')}`);
  return rows.slice(1).map((r) => r[index]!);
};
const names = (rows: string[][]) => column(rows, '姓名 / 名称');
const rowOf = (rows: string[][], name: string) => {
  const row = rows.find((r) => r[rows[0]!.indexOf('姓名 / 名称')] === name);
  if (!row) throw new Error(`no row for ${name}`);
  return Object.fromEntries(rows[0]!.map((label, i) => [label, row[i]!]));
};

beforeAll(async () => {
  // People as Slack names them; one whose display name a spreadsheet would run as a formula.
  h.fake.setUser(TEAM_A.userId, TEAM_A.teamId, 'member', { displayName: '张销售', realName: 'Zhang Xiaoshou' });
  h.fake.setUser(TEAM_A_COLLEAGUE.userId, TEAM_A.teamId, 'member', {
    displayName: '',
    realName: '=HYPERLINK("http://evil")',
  });
  referrer = await createCard(h, TEAM_A, { name: '老王', region: '上海' });
  full = await createCard(h, TEAM_A, { ...FULL_CARD, referrerId: referrer.id });
  for (const name of HOSTILE) await createCard(h, TEAM_A, { name, region: '深圳' });
  await createCard(h, TEAM_A_COLLEAGUE, { name: '同事的客户', region: '成都' });
  await createCard(h, TEAM_B, { name: '别队客户', region: '上海' });
  await logVisitOn(h, TEAM_A, full, {
    notes: `=HYPERLINK("http://evil")\n${TRICKY_NOTE}`,
    needs: '要样品',
    nextFollowUpDate: '2026-12-01',
    nextFollowUpPlan: '-送样品',
  });
  await recordSale(h, TEAM_A, '钱多多', { product: '空调, 柜机', amountFen: '12,800.5', profitFen: '1500' });
});

/**
 * The export's temporary folders still there, given up to 5 s to go: the app
 * removes its folder after Slack took the file, so just after the upload it
 * may still be there.
 */
async function exportDirsLeft(): Promise<string[]> {
  const left = async () => (await readdir(tmpdir())).filter((f) => f.startsWith('card-export-'));
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    if ((await left()).length === 0) return [];
  }
  return left();
}

describe('/card export by an admin', () => {
  let exported: Exported;

  beforeAll(async () => {
    exported = await exportAs(ADMIN, 'export');
  });

  it('says at once that the file is on its way, then shares one CSV in the DM', async () => {
    expect(exported.reply.args.response_type).toBe('ephemeral');
    expect(visibleText(exported.reply.args.blocks)).toContain('导出中');
    expect(exported.completion.args.channel_id).toBe(h.fake.dmOf(ADMIN.userId));
    expect(h.fake.accepted('conversations.open').at(-1)!.args.users).toBe(ADMIN.userId);
    expect(exported.completion.args.initial_comment).toContain('7 张客户卡');
    expect(exported.files.map((f) => f.filename)).toEqual(['客户卡-2026-11-23.csv']);
  });

  it('has Chinese headers and every field entered on a card, as entered, people by name and times as the app shows them', async () => {
    const [{ rows }] = exported.files as [Exported['files'][number]];
    expect(rows[0]).toEqual(
      expect.arrayContaining(['卡号', ...Object.keys(EXPECTED_CELLS), '推荐人', '客户分层', '创建时间', '更新时间']),
    );
    const row = rowOf(rows, '钱多多');
    for (const [label, value] of Object.entries(EXPECTED_CELLS)) expect([label, row[label]]).toEqual([label, value]);
    expect(row['卡号']).toBe(full.number);
    expect(row['推荐人']).toBe('老王');
    expect(row['推荐人卡号']).toBe(referrer.number);
    expect(row['客户分层']).toBe('现有客户');
    // The category is the computed segment; the form asks for none, so no hand-set column competes with it.
    expect(rows[0]).not.toContain('客户类别');
    expect(row['创建时间']).toMatch(SHOWN_TIME);
    expect(row['更新时间']).toMatch(SHOWN_TIME);
    const stored = await h.db.collection('customers').findOne({ name: '钱多多' });
    expect([row['创建时间'], row['更新时间']]).toEqual([inShanghai(stored!.createdAt), inShanghai(stored!.updatedAt)]);
  });

  it("lists the team's cards by number and never another team's", () => {
    const rows = exported.files[0]!.rows;
    expect(column(rows, '卡号')).toEqual([...column(rows, '卡号')].sort());
    expect(names(rows)).toHaveLength(7);
    expect(names(rows)).toContain('同事的客户');
    expect(names(rows)).not.toContain('别队客户');
  });

  it('neutralises text a spreadsheet would run as a formula, and keeps it otherwise as typed', async () => {
    const shown = names(exported.files[0]!.rows);
    for (const name of HOSTILE) {
      expect(shown).toContain(`'${name}`);
      expect(shown).not.toContain(name);
      expect(await h.db.collection('customers').countDocuments({ name })).toBe(1);
    }
  });

  it('keeps commas, quotes and line breaks inside one cell', () => {
    const raw = exported.files[0]!.bytes.toString('utf8');
    expect(raw).toContain('"他说：""要快, 要好""');
    expect(rowOf(exported.files[0]!.rows, '钱多多')['偏好（服务时要记住的细节）']).toBe(TRICKY_NOTE);
  });

  it('leaves no temporary file behind', async () => {
    expect(await exportDirsLeft()).toEqual([]);
  });
});

describe('visits and sales', () => {
  it('come as a file each, their rows joined with the card number and name', async () => {
    const { files } = await exportAs(ADMIN, 'export visits sales');
    expect(files.map((f) => f.filename)).toEqual([
      '客户卡-2026-11-23.csv',
      '拜访记录-2026-11-23.csv',
      '交易记录-2026-11-23.csv',
    ]);
    const [, visits, sales] = files as [unknown, Exported['files'][number], Exported['files'][number]];
    expect(visits.rows).toHaveLength(2);
    const visit = Object.fromEntries(visits.rows[0]!.map((label, i) => [label, visits.rows[1]![i]]));
    expect(visit).toMatchObject({
      卡号: full.number,
      客户: '钱多多',
      日期: '2026-11-23',
      方式: '拜访',
      谈了什么: `'=HYPERLINK("http://evil")\n${TRICKY_NOTE}`,
      客户需求: '要样品',
      跟进内容: "'-送样品",
      记录人: '张销售',
      '记录人 Slack ID': TEAM_A.userId,
    });
    expect(visit['记录时间']).toMatch(SHOWN_TIME);
    expect(sales.rows).toHaveLength(2);
    const sale = Object.fromEntries(sales.rows[0]!.map((label, i) => [label, sales.rows[1]![i]]));
    expect(sale).toMatchObject({
      卡号: full.number,
      客户: '钱多多',
      产品: '空调, 柜机',
      数量: '1',
      '金额（元）': '12800.50',
      '利润（元）': '1500.00',
      已全额付款: '是',
    });
    expect(sale).toMatchObject({ 记录人: '张销售', '记录人 Slack ID': TEAM_A.userId });
    expect(sale['记录时间']).toMatch(SHOWN_TIME);
  });

  it('name who recorded each, through the formula neutraliser like any text not written by the app', async () => {
    await recordSale(h, TEAM_A_COLLEAGUE, '同事的客户', { product: '风扇', amountFen: '100' });
    const { files } = await exportAs(ADMIN, 'export sales owner:<@U2COLLEAGUE>');
    const sales = files[1]!.rows;
    const sale = Object.fromEntries(sales[0]!.map((label, i) => [label, sales[1]![i]]));
    expect(sale).toMatchObject({
      产品: '风扇',
      记录人: `'=HYPERLINK("http://evil")`,
      '记录人 Slack ID': TEAM_A_COLLEAGUE.userId,
    });
    expect(rowOf(files[0]!.rows, '同事的客户')['负责人']).toBe(`'=HYPERLINK("http://evil")`);
  });

  it('follow the language of the team', async () => {
    const restarted = await Harness.start({ env: { ADMIN_USER_IDS: ADMIN.userId } });
    try {
      // An app of its own, so the team's language is read fresh (settings are cached).
      await restarted.db
        .collection('teams')
        .insertOne({ _id: TEAM_B.teamId as never, locale: 'en', createdAt: new Date() });
      await createCard(restarted, ADMIN_IN_B, { name: 'Li Lei', region: 'Chengdu' });
      const before = restarted.fake.mark();
      await restarted.command('export visits', ADMIN_IN_B);
      const completion = await restarted.fake.waitFor('files.completeUploadExternal', () => true, before);
      const shared = restarted.fake
        .sharedFiles()
        .filter((f) => (completion.args.files as { id: string }[]).some((c) => c.id === f.id));
      expect(shared.map((f) => f.filename)).toEqual(['customer-cards-2026-11-23.csv', 'visits-2026-11-23.csv']);
      expect(rowsOf(shared[0]!.bytes!)[0]).toEqual(expect.arrayContaining(['Card number', 'Name', 'Region']));
    } finally {
      await restarted.stop();
    }
  });
});

describe('who may export what', () => {
  it('gives anyone but an admin or the manager only their own cards, and says so', async () => {
    const { reply, files, completion } = await exportAs(TEAM_A_COLLEAGUE, 'export owner:<@U1SELLER>');
    expect(visibleText(reply.args.blocks)).toContain('只导出你负责的客户卡');
    expect(completion.args.channel_id).toBe(h.fake.dmOf(TEAM_A_COLLEAGUE.userId));
    expect(names(files[0]!.rows)).toEqual(['同事的客户']);
  });

  it('gives the manager every card of the team', async () => {
    const { reply, files } = await exportAs(MANAGER, 'export');
    expect(visibleText(reply.args.blocks)).not.toContain('只导出');
    expect(names(files[0]!.rows)).toHaveLength(7);
  });

  it('keeps an admin inside the workspace the command came from', async () => {
    const { files } = await exportAs(ADMIN_IN_B, '导出');
    expect(names(files[0]!.rows)).toEqual(['别队客户']);
  });
});

describe('filters', () => {
  it('by region, owner and year', async () => {
    expect(names((await exportAs(ADMIN, 'export region:深圳')).files[0]!.rows).sort()).toEqual(
      [...HOSTILE].map((n) => `'${n}`).sort(),
    );
    expect(
      names((await exportAs(ADMIN, `export 负责人:<@${TEAM_A_COLLEAGUE.userId}|colleague>`)).files[0]!.rows),
    ).toEqual(['同事的客户']);
    expect(names((await exportAs(ADMIN, '导出 年份:2026 地区：上海')).files[0]!.rows)).toEqual(['老王', '钱多多']);
  });

  it('by tier, once an admin has refreshed the segments', async () => {
    await h.command('segments refresh', ADMIN);
    const { files } = await exportAs(ADMIN, 'export tier:顶级');
    expect(names(files[0]!.rows)).toEqual(['钱多多']);
    expect(rowOf(files[0]!.rows, '钱多多')['金字塔层级']).toBe('顶级客户');
  });

  it('says when nothing matches, and sends no file', async () => {
    const before = h.fake.mark();
    const reply = await h.command('export year:2025', ADMIN);
    expect(await followUp(reply.responseUrl, before)).toContain('没有符合条件的客户卡');
    expect(h.fake.calls.slice(before).filter((c) => c.method.startsWith('files.'))).toEqual([]);
  });

  it('refuses a filter it does not know, naming the accepted forms', async () => {
    const before = h.fake.mark();
    const reply = await h.command('export tier:金牌 visits', ADMIN);
    const text = visibleText(reply.args.blocks);
    expect(text).toContain('看不懂「tier:金牌」');
    expect(text).toContain('region:');
    expect(text).toContain('year:2026');
    expect(
      h.fake.calls.slice(before).filter((c) => c.method.startsWith('files.') || c.method === 'conversations.open'),
    ).toEqual([]);
  });
});

describe('when Slack refuses the file', () => {
  it('tells the user and leaves no temporary file', async () => {
    h.fake.failNext('files.completeUploadExternal', { error: 'not_in_channel' });
    const before = h.fake.mark();
    const reply = await h.command('export', ADMIN);
    expect(await followUp(reply.responseUrl, before)).toContain('导出失败');
    expect(h.logs.join('\n')).toContain('export failed');
    expect(await exportDirsLeft()).toEqual([]);
  });
});

describe('the export command words', () => {
  const word = fc.constantFrom;
  const part = fc.oneof(
    word('visits', '拜访', 'VISITS').map((w) => ({ words: [w], request: { visits: true } })),
    word('sales', '交易').map((w) => ({ words: [w], request: { sales: true } })),
    fc
      .tuple(word('tier', '层级', 'TIER'), word(['顶级', 'top'], ['大', 'large'], ['小客户', 'small']))
      .map(([k, [v, tier]]) => ({ words: [`${k}:${v}`], request: { tier } })),
    fc
      .tuple(word('region', '地区'), fc.stringMatching(/^[^\s]{1,20}$/))
      .map(([k, v]) => ({ words: [`${k}:${v}`], request: { region: v } })),
    fc
      .tuple(word('owner', '负责人'), fc.stringMatching(/^U[A-Z0-9]{4,10}$/))
      .map(([k, id]) => ({ words: [`${k}:<@${id}>`], request: { ownerId: id } })),
    fc
      .tuple(word('year', '年'), fc.integer({ min: 2000, max: 2999 }))
      .map(([k, y]) => ({ words: [`${k}:${y}`], request: { year: y } })),
  );
  /** Parts with distinct keys, so each appears once. */
  const parts = fc.uniqueArray(part, { maxLength: 6, selector: (p) => Object.keys(p.request)[0] });

  it('reads every combination of parts, in any order', () => {
    fc.assert(
      fc.property(parts, (ps) => {
        const parsed = parseExportWords(ps.flatMap((p) => p.words));
        expect(parsed).toEqual({
          ok: true,
          request: { visits: false, sales: false, ...Object.assign({}, ...ps.map((p) => p.request)) },
        });
      }),
    );
  });

  it('refuses any other word, naming it', () => {
    const known = /^(visits?|sales?|拜访|交易)$/i;
    fc.assert(
      fc.property(
        parts,
        fc
          .string({ minLength: 1 })
          .filter(
            (w) =>
              !/\s/.test(w) && !known.test(w) && !/^(tier|层级|分层|region|地区|owner|负责人|year|年份|年):/i.test(w),
          ),
        (ps, stray) => {
          expect(parseExportWords([...ps.flatMap((p) => p.words), stray])).toEqual({ ok: false, word: stray });
        },
      ),
    );
  });

  it.each([
    'tier:金牌',
    'year:26',
    'owner:@someone',
    'region:',
    'constructor:x',
    '__proto__:x',
    'tier:constructor',
    'visits',
    'region:a',
  ])('refuses %p (bad value, unknown key, or a part given twice)', (bad) => {
    const words = bad === 'visits' || bad === 'region:a' ? ['visits', 'region:a', bad] : [bad];
    expect(parseExportWords(words)).toEqual({ ok: false, word: bad });
  });

  it('is what `/card export` and `/card 导出` ask for, in full-width or half-width', () => {
    expect(parseLookup('导出 拜访 地区：成都')).toEqual({
      kind: 'export',
      request: { visits: true, sales: false, region: '成都' },
    });
    expect(parseLookup('EXPORT')).toEqual({ kind: 'export', request: { visits: false, sales: false } });
  });
});
