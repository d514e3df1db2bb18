/**
 * `npm run bench:import`: how long reading and mapping a customer book
 * takes, and the peak memory of the process doing it. Generates, in a
 * temporary directory, a 10,000-row workbook and the same rows as a GBK CSV
 * (what Excel on Chinese Windows saves), then the same at the size limits
 * (19,999 rows and the header, with long notes: about 10 MB each); each file is then read
 * (readSheet) and mapped (mapCardRows) in a fresh Node process, so each peak
 * RSS is that file's alone. No database is needed for that part.
 *
 * With MONGODB_URI set (and in `npm run bench`), the 10,000-row files are
 * also imported into a fresh database on that server, each in a fresh
 * process: the preview (read, map, plan against the team's cards, store the
 * plan), then the import's job (bulk steps, the kinds' reminders, referrals,
 * segments), then, for scale, the raw driver's insertMany of the very
 * documents the job wrote (cards alone, and everything) into empty
 * collections with the same indexes; with the process's peak RSS.
 *
 *   npm run bench:import
 *   MONGODB_URI=mongodb://127.0.0.1:27030/ npm run bench:import
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import mongoose from 'mongoose';
import { buildServices } from '../src/application.js';
import { parseEnv } from '../src/config/env.js';
import { mapCardRows } from '../src/importing/mapping.js';
import { readSheet } from '../src/importing/readSheet.js';
import { todayIn } from '../src/time.js';

const HEADER = [
  '序号',
  '姓名',
  '手机',
  '公司',
  '职务',
  '地区',
  '地址',
  '生日',
  '兴趣爱好',
  '信用额度（元）',
  '付款方式',
  '宣传大使',
  '负责人',
  '备注',
];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英';
const REGIONS = ['上海', '北京', '成都', '广州', '深圳', '杭州', '南京', '武汉', '西安', '重庆'];
/** Common characters for names and places. */
const PROSE =
  '客户喜欢喝茶每月进货一次付款及时关系良好需要跟进下次拜访带样品介绍新产品价格敏感注重质量售后服务满意推荐朋友合作多年';
/** Notes of any CJK character (all in GBK): they compress as little as a file of real, varied notes, so the files reach the size limit. */
const CJK_FIRST = 0x4e00;
const CJK_COUNT = 0x9fa5 - 0x4e00 + 1;

/** A deterministic pseudo-random sequence (mulberry32), so every run benchmarks the same files. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function customerRows(count: number, noteChars: number): unknown[][] {
  const next = random(count + noteChars);
  const pick = (text: string) => text[Math.floor(next() * text.length)]!;
  const prose = (n: number) => Array.from({ length: n }, () => pick(PROSE)).join('');
  const notes = (n: number) =>
    String.fromCharCode(...Array.from({ length: n }, () => CJK_FIRST + Math.floor(next() * CJK_COUNT)));
  return Array.from({ length: count }, (_, i) => [
    i + 1,
    pick(SURNAMES) + pick(GIVEN) + (next() < 0.5 ? pick(GIVEN) : ''),
    13_800_000_000 + Math.floor(next() * 99_999_999),
    `${REGIONS[i % REGIONS.length]}${prose(4)}有限公司`,
    next() < 0.5 ? '总经理' : '采购',
    REGIONS[i % REGIONS.length],
    `${REGIONS[i % REGIONS.length]}市${prose(6)}路${i % 999}号`,
    new Date(Date.UTC(1950 + (i % 50), i % 12, 1 + (i % 28))),
    prose(8),
    Math.floor(next() * 100) * 1000,
    next() < 0.5 ? '转账' : '月结',
    next() < 0.1 ? '是' : '否',
    `销售${i % 20}`,
    notes(noteChars),
  ]);
}

async function writeXlsx(path: string, rows: unknown[][]): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet('客户');
  sheet.addRow(HEADER).commit();
  for (const values of rows) {
    const row = sheet.addRow(values);
    row.getCell(3).numFmt = '0';
    row.getCell(8).numFmt = 'yyyy-mm-dd';
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}

async function writeGbkCsv(path: string, rows: unknown[][]): Promise<void> {
  const cells = rows.map((r) => r.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))));
  await writeFile(path, iconv.encode(stringify([HEADER, ...cells], { record_delimiter: 'windows' }), 'gbk'));
}

interface Measured {
  baseRssMb: number;
  readMs: number;
  mapMs: number;
  rows: number;
  valid: number;
  peakRssMb: number;
}

/** In the child: read and map one file, sampling RSS; the kernel's own peak (maxRSS) covers what sampling misses. */
async function measure(path: string): Promise<Measured> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const baseRss = process.memoryUsage().rss;
  const bytes = await readFile(path);
  const started = performance.now();
  const sheet = await readSheet(bytes);
  const read = performance.now();
  if (!sheet.ok) throw new Error(`refused: ${sheet.reason}`);
  const mapped = mapCardRows(sheet.rows, todayIn(new Date(), 'Asia/Shanghai'));
  const done = performance.now();
  clearInterval(sampler);
  if (!mapped.ok) throw new Error(`not mapped: ${mapped.reason}`);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  return {
    baseRssMb: Math.round(baseRss / 1024 / 1024),
    readMs: Math.round(read - started),
    mapMs: Math.round(done - read),
    rows: mapped.rows.length,
    valid: mapped.rows.filter((r) => r.ok).length,
    peakRssMb: Math.round(Math.max(peak, maxRss) / 1024 / 1024),
  };
}

interface Imported {
  rows: number;
  previewMs: number;
  importMs: number;
  created: number;
  /** The raw driver's insertMany of the cards the job wrote, and of every document it wrote, into empty collections. */
  rawCardsMs: number;
  rawAllMs: number;
  written: number;
  peakRssMb: number;
}

const BENCH_TEAM = 'TBENCHIMPORT';
const BENCH_USER = 'UBENCHADMIN';
/** What the preview stores and the job only reads: not among the documents the import writes. */
const PLAN_COLLECTIONS = new Set(['imports', 'importRows', 'agendaJobs']);

/** In the child: preview and import one file into a fresh database, then the raw driver's insertMany of what it wrote. */
async function measureImport(path: string, uri: string): Promise<Imported> {
  const dbName = `import-bench-${process.pid}`;
  const env = parseEnv({
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    LOG_LEVEL: 'error',
  });
  const open = async (name: string) => {
    const connection = await mongoose.createConnection(uri, { dbName: name, autoIndex: false }).asPromise();
    await connection.db!.dropDatabase();
    const services = buildServices(
      connection,
      env,
      () => new Date(),
      async () => undefined,
      async () => undefined,
    );
    // Every index built before anything is timed, as on a running server.
    for (const model of Object.values(services.models)) await model.createIndexes();
    return { connection, services };
  };
  const { connection, services } = await open(dbName);
  const bytes = await readFile(path);
  const started = performance.now();
  const outcome = await services.imports.preview({
    teamId: BENCH_TEAM,
    userId: BENCH_USER,
    kind: 'cards',
    source: { fileId: 'FBENCH', fileName: basename(path), bytes },
    forAnyone: true,
    people: [],
  });
  const previewed = performance.now();
  if (outcome.status !== 'previewed') throw new Error(`not previewed: ${JSON.stringify(outcome)}`);
  const importId = outcome.preview.imp._id.toString();
  const queued = await services.imports.start(BENCH_TEAM, BENCH_USER, importId, false);
  if (queued.status !== 'queued') throw new Error(`not queued: ${queued.status}`);
  const running = performance.now();
  const done = await services.imports.run(BENCH_TEAM, importId, {
    touch: async () => undefined,
    progress: async () => undefined,
  });
  const imported = performance.now();
  // The peak of the preview and the import; the raw insert below holds every written document in memory at once.
  const importPeakRss = process.resourceUsage().maxRSS * 1024;
  if (!done) throw new Error('nothing imported');

  // The same documents, as the job left them, inserted by the raw driver into empty collections with the same indexes.
  const raw = await open(`${dbName}-raw`);
  const written = new Map<string, Record<string, unknown>[]>();
  for (const { name } of await connection.db!.listCollections().toArray()) {
    if (PLAN_COLLECTIONS.has(name)) continue;
    const docs = await connection.db!.collection(name).find().toArray();
    if (docs.length > 0) written.set(name, docs);
  }
  const insertAll = async (names: string[]) => {
    const at = performance.now();
    for (const name of names)
      await raw.connection.db!.collection(name).insertMany(written.get(name)!, { ordered: false });
    return performance.now() - at;
  };
  const rawCardsMs = await insertAll(['customers']);
  await raw.connection.db!.collection('customers').deleteMany({});
  const rawAllMs = await insertAll([...written.keys()]);
  await raw.connection.db!.dropDatabase();
  await connection.db!.dropDatabase();
  await raw.connection.close();
  await connection.close();
  return {
    rows: outcome.preview.imp.counts.rows,
    previewMs: Math.round(previewed - started),
    importMs: Math.round(imported - running),
    created: done.result?.created ?? 0,
    rawCardsMs: Math.round(rawCardsMs),
    rawAllMs: Math.round(rawAllMs),
    written: [...written.values()].reduce((n, docs) => n + docs.length, 0),
    peakRssMb: Math.round(importPeakRss / 1024 / 1024),
  };
}

function inChild<T = Measured>(path: string, mode = 'measure'): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), mode, path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`measuring ${path} exited with ${code}`)),
    );
  });
}

/** The 10,000-row files imported into MONGODB_URI's server, each in a fresh process (`npm run bench` calls this too). */
export async function benchImport(uri: string, dir: string): Promise<void> {
  const files: [string, string][] = [
    ['xlsx', join(dir, 'import-10000.xlsx')],
    ['GBK CSV', join(dir, 'import-10000.csv')],
  ];
  await writeXlsx(files[0]![1], customerRows(10_000, 20));
  await writeGbkCsv(files[1]![1], customerRows(10_000, 20));
  console.log(`import into ${uri.replace(/\/\/[^@/]*@/, '//')}`);
  for (const [format, path] of files) {
    const m = await inChild<Imported>(path, 'import');
    console.log(
      `10,000 rows ${format.padEnd(8)} preview ${String(m.previewMs).padStart(6)} ms  import ${String(m.importMs).padStart(6)} ms ` +
        `(${m.created} cards, ${m.written} documents)  raw insertMany: cards ${m.rawCardsMs} ms, all ${m.rawAllMs} ms  ` +
        `ratio import/raw: ${(m.importMs / m.rawAllMs).toFixed(2)} (all), ${(m.importMs / m.rawCardsMs).toFixed(2)} (cards)  ` +
        `peak RSS (preview and import) ${m.peakRssMb} MB`,
    );
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'import-bench-'));
  try {
    // Notes long enough for each format to come near 10 MB at the row limit: GBK takes 2 bytes a character, the xlsx less after deflate.
    const cases: { label: string; count: number; xlsxNotes: number; csvNotes: number }[] = [
      { label: '10,000 rows', count: 10_000, xlsxNotes: 20, csvNotes: 20 },
      { label: '19,999 rows, long notes', count: 19_999, xlsxNotes: 170, csvNotes: 170 },
    ];
    for (const { label, count, xlsxNotes, csvNotes } of cases) {
      const files: [string, string][] = [
        ['xlsx', join(dir, `${count}.xlsx`)],
        ['GBK CSV', join(dir, `${count}.csv`)],
      ];
      await writeXlsx(files[0]![1], customerRows(count, xlsxNotes));
      await writeGbkCsv(files[1]![1], customerRows(count, csvNotes));
      for (const [format, path] of files) {
        const size = (await stat(path)).size / 1024 / 1024;
        const m = await inChild(path);
        console.log(
          `${label.padEnd(24)} ${format.padEnd(8)} ${size.toFixed(1).padStart(5)} MB  read ${String(m.readMs).padStart(5)} ms  map ${String(m.mapMs).padStart(4)} ms  ` +
            `${m.valid}/${m.rows} rows valid  peak RSS ${m.peakRssMb} MB (${m.baseRssMb} MB before reading)`,
        );
      }
    }
    if (process.env.MONGODB_URI) await benchImport(process.env.MONGODB_URI, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'measure') {
  process.stdout.write(JSON.stringify(await measure(process.argv[3]!)));
} else if (process.argv[2] === 'import') {
  process.stdout.write(JSON.stringify(await measureImport(process.argv[3]!, process.env.MONGODB_URI!)));
  process.exit(0);
} else if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  await main();
}
