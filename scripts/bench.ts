/**
 * `npm run bench`: seeds N cards (BENCH_CARDS, default 100,000) into the
 * configured MongoDB, then measures `/card` through the HTTP front door,
 * signed as Slack signs it: the ack, and the card reaching a local stand-in
 * for Slack's response_url. Then times follow-up scans. Not part of `npm test`.
 *
 *   MONGODB_URI=mongodb://127.0.0.1:27017/ npm run bench
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { createApplication } from '../src/application.js';
import { parseEnv } from '../src/config/env.js';
import { nameKey, phoneKey } from '../src/domain/lookup.js';
import { instantAt } from '../src/time.js';

const CARDS = Number(process.env.BENCH_CARDS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const PENDING_FOLLOW_UPS = Number(process.env.BENCH_FOLLOW_UPS ?? 10_000);
const DUE_NUDGES = Number(process.env.BENCH_DUE ?? 200);
const MONGODB_URI = process.env.MONGODB_URI;
const DB_NAME = process.env.BENCH_DB ?? 'customer_cards_bench';
const TEAM = 'TBENCH';
const SECRET = 'bench-signing-secret';
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志文斌宇浩凯'];

let clockNow = new Date('2026-11-23T10:00:00+08:00');
const clock = { now: () => new Date(clockNow) };

function nameFor(i: number): string {
  return SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]! + GIVEN[Math.floor(i / 997) % GIVEN.length]!;
}

const phoneFor = (i: number) => `139${String(i).padStart(8, '0')}`;
const numberFor = (i: number) => `KH-2026-${String(i + 1).padStart(6, '0')}`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(label: string, samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(7);
  return `${label.padEnd(26)} p50 ${f(percentile(s, 50))} ms   p95 ${f(percentile(s, 95))} ms   p99 ${f(percentile(s, 99))} ms   max ${f(s.at(-1)!)} ms`;
}

async function seed(db: mongoose.mongo.Db): Promise<void> {
  await db.dropDatabase();
  const started = performance.now();
  const now = clock.now();
  for (let from = 0; from < CARDS; from += 5000) {
    const docs = [];
    for (let i = from; i < Math.min(CARDS, from + 5000); i++) {
      const name = nameFor(i);
      docs.push({
        teamId: TEAM, number: numberFor(i), year: 2026, name, nameKey: nameKey(name), phone: phoneFor(i), phoneKey: phoneKey(phoneFor(i)),
        company: `公司${i % 5000}`, region: `地区${i % 50}`, ownerId: 'UOWNER', ambassador: false, version: 1,
        createdBy: 'UOWNER', updatedBy: 'UOWNER', createdAt: now, updatedAt: now,
      });
    }
    await db.collection('customers').insertMany(docs, { ordered: false });
  }
  const customers = await db.collection('customers').find({}, { projection: { _id: 1 } }).limit(PENDING_FOLLOW_UPS).toArray();
  const followUps = customers.map((c, i) => {
    const dueDate = i < DUE_NUDGES ? '2026-11-25' : '2026-12-20';
    return {
      teamId: TEAM, customerId: c._id, ownerId: 'UOWNER', dueDate, plan: '回访', status: 'pending', attempts: 0, claims: 0,
      nextAttemptAt: instantAt(dueDate, 9, 'Asia/Shanghai'), createdBy: 'UOWNER', createdAt: now, updatedAt: now,
    };
  });
  if (followUps.length > 0) await db.collection('followups').insertMany(followUps, { ordered: false });
  await db.collection('teams').insertOne({ _id: TEAM as never, createdAt: now });
  console.log(`seeded ${CARDS} cards and ${followUps.length} follow-ups in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** A stand-in for Slack: records when each response_url post and chat.postMessage arrives. */
async function startSlackStandIn() {
  const arrivals = new Map<string, (at: number) => void>();
  let posts = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const at = performance.now();
      const path = req.url ?? '';
      if (path.startsWith('/response/')) arrivals.get(path.slice('/response/'.length))?.(at);
      if (path.includes('chat.postMessage')) posts += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, channel: 'CBENCH', ts: `${Date.now() / 1000}`, user_id: 'UBOT', bot_id: 'BBOT', team_id: TEAM }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    posts: () => posts,
    expect: (id: string) => new Promise<number>((resolve) => arrivals.set(id, resolve)),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function postSigned(port: number, body: string): Promise<number> {
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': signature, 'x-slack-request-timestamp': String(ts) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function queryFor(i: number): string {
  const k = Math.floor(Math.random() * CARDS);
  switch (i % 5) {
    case 0: return nameFor(k);
    case 1: return phoneFor(k);
    case 2: return numberFor(k);
    case 3: return nameFor(k).slice(0, 2);
    default: return `无此人${i}`;
  }
}

async function measureLookups(port: number, slack: Awaited<ReturnType<typeof startSlackStandIn>>) {
  const acks: number[] = [];
  const cards: number[] = [];
  for (let i = 0; i < REQUESTS + 20; i++) {
    const id = randomBytes(6).toString('hex');
    const body = new URLSearchParams({
      team_id: TEAM, user_id: 'UBENCH', command: '/card', text: queryFor(i), channel_id: 'CBENCH', api_app_id: 'A1',
      response_url: `${slack.url}/response/${id}`, trigger_id: `t${i}`,
    }).toString();
    const arrived = slack.expect(id);
    const t0 = performance.now();
    const status = await postSigned(port, body);
    const acked = performance.now();
    const shown = await arrived;
    if (status !== 200) throw new Error(`/card answered ${status}`);
    if (i >= 20) {
      acks.push(acked - t0);
      cards.push(shown - t0);
    }
  }
  console.log(summary('/card ack', acks));
  console.log(summary('/card card delivered', cards));
}

async function measureScans(scan: () => Promise<{ sent: number }>, slack: Awaited<ReturnType<typeof startSlackStandIn>>) {
  clockNow = new Date('2026-11-24T10:00:00+08:00');
  let t0 = performance.now();
  await scan();
  console.log(`follow-up scan, nothing due (${PENDING_FOLLOW_UPS} pending):  ${(performance.now() - t0).toFixed(1)} ms`);
  clockNow = new Date('2026-11-25T09:00:00+08:00');
  const postsBefore = slack.posts();
  t0 = performance.now();
  const report = await scan();
  const ms = performance.now() - t0;
  console.log(`follow-up scan, ${report.sent} due (posted ${slack.posts() - postsBefore}): ${ms.toFixed(1)} ms (${(ms / Math.max(1, report.sent)).toFixed(2)} ms per nudge)`);
}

async function main(): Promise<void> {
  if (!MONGODB_URI) throw new Error('Set MONGODB_URI to the MongoDB server to benchmark, e.g. mongodb://127.0.0.1:27017/');
  const slack = await startSlackStandIn();
  const env = parseEnv({
    SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: `${slack.url}/api/`,
    NUDGE_CHANNEL_ID: 'CBENCH', FOLLOWUP_SCAN_SECONDS: '86400', LOG_LEVEL: 'error',
  });
  // Seed first: the app builds its indexes at boot, over the seeded data.
  const seeding = await mongoose.createConnection(MONGODB_URI, { dbName: DB_NAME }).asPromise();
  await seed(seeding.db as unknown as mongoose.mongo.Db);
  await seeding.close();
  const booted = performance.now();
  const app = await createApplication({ env, mongoUri: MONGODB_URI, dbName: DB_NAME, clock });
  console.log(`app booted (indexes built) in ${((performance.now() - booted) / 1000).toFixed(1)} s`);
  const { port } = await app.start({ port: 0, host: '127.0.0.1' });
  console.log(`${REQUESTS} lookups (names, phones, card numbers, prefixes, misses) against ${CARDS} cards:`);
  await measureLookups(port!, slack);
  await measureScans(app.scanFollowUps, slack);
  await app.stop();
  await slack.close();
  process.exit(0);
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.message}`);
  process.exit(1);
});
