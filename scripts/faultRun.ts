/**
 * `npm run fault`: the nudge pipeline under faults, at scale, end to end. Not
 * part of `npm test` (it takes minutes); its figures go in the closing notes.
 *
 * FAULT_NUDGES reminders (default 1,000) fall due at once for the nudge
 * channel of one team, on FAULT_INSTANCES app instances (default 3) that all
 * scan every few seconds of the test clock, against the fake Slack of the
 * tests. Slack answers every post to the channel with 429 (Retry-After: 1)
 * for the first 30 seconds; once posting is under way, the database is
 * stopped right after Slack takes a post (its answer waits until the
 * database is down) and started again FAULT_OUTAGE_MS later (default 3,000).
 * At the end: how many times each reminder was posted (by the nudge id each
 * post carries), how many digests listed it, and how many were given up.
 *
 * Needs MONGODB_URI (for the throw-away server's binary: FERRETDB_BIN from
 * scripts/ferretdb.sh, or mongodb-memory-server elsewhere).
 *   source scripts/ferretdb.sh && npm run fault
 */
import { Types } from 'mongoose';
import { domain } from '../src/config/domain.js';
import { instantAt } from '../src/time.js';
import { Harness, NUDGE_CHANNEL } from '../test/support/harness.js';
import { startRestartableDatabase } from '../test/support/restartableDatabase.js';

const NUDGES = Number(process.env.FAULT_NUDGES ?? 1000);
const INSTANCES = Number(process.env.FAULT_INSTANCES ?? 3);
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 3000);
const DUE_DATE = '2026-11-25';
const DUE = instantAt(DUE_DATE, 9, 'Asia/Shanghai');
const TEAM = 'T1';
const OWNER = 'U1SELLER';
const STEP_MS = 5_000;
/** Scan rounds before giving up on the run: each round moves the clock STEP_MS on. */
const MAX_ROUNDS = 400;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function seed(h: Harness): Promise<void> {
  const customers = [];
  const nudges = [];
  const at = new Date('2026-11-20T02:00:00Z');
  for (let i = 0; i < NUDGES; i++) {
    const customerId = new Types.ObjectId();
    const name = `故障${String(i).padStart(4, '0')}`;
    customers.push({
      _id: customerId,
      teamId: TEAM,
      number: `KH-2026-${String(i + 1).padStart(4, '0')}`,
      year: 2026,
      name,
      nameKey: name,
      ownerId: OWNER,
      ambassador: false,
      version: 1,
      createdBy: OWNER,
      updatedBy: OWNER,
      createdAt: at,
      updatedAt: at,
    });
    nudges.push({
      _id: new Types.ObjectId(),
      teamId: TEAM,
      kind: 'followUp',
      customerId,
      sourceId: new Types.ObjectId(),
      ownerId: OWNER,
      dueDate: DUE_DATE,
      plan: `${name}的计划`,
      status: 'pending',
      version: 1,
      nextAttemptAt: DUE,
      attempts: 0,
      claims: 0,
      createdBy: OWNER,
      createdAt: at,
      updatedAt: at,
    });
  }
  // The scan visits the teams that have used the app.
  await h.db.collection('teams').insertOne({ _id: TEAM as never, teamId: TEAM, createdAt: at });
  await h.db.collection('customers').insertMany(customers);
  await h.db.collection('nudges').insertMany(nudges);
}

async function main(): Promise<void> {
  const database = await startRestartableDatabase();
  const h = await Harness.start({ instances: INSTANCES, mongoUri: database.uri, now: '2026-11-25T08:59:00+08:00' });
  const started = performance.now();
  try {
    await seed(h);
    h.fake.rateLimitUntil(NUDGE_CHANNEL, DUE.getTime() + 30_000);
    // The restart: right after Slack takes the 200th post of the run, before its answer reaches the app.
    let restarted = false;
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    void h.fake.holdAnswer('chat.postMessage', answered, Math.min(200, NUDGES)).then(async () => {
      await database.stop();
      release();
      await sleep(OUTAGE_MS);
      await database.start();
      restarted = true;
    });

    let failedScans = 0;
    let rounds = 0;
    for (; rounds < MAX_ROUNDS; rounds++) {
      h.clock.set(new Date(DUE.getTime() + rounds * STEP_MS).toISOString());
      const reports = await Promise.all(h.instances.map((i) => i.app.scanNudges().catch(() => null)));
      failedScans += reports.filter((r) => r === null).length;
      const open = await h.db
        .collection('nudges')
        .countDocuments({ teamId: TEAM, status: { $in: ['pending', 'sending'] } })
        .catch(() => -1);
      if (rounds % 10 === 0)
        console.error(`round ${rounds}: ${open} open, ${Math.round((performance.now() - started) / 1000)} s`);
      if (restarted && open === 0) break;
    }

    const posts = h.fake
      .accepted('chat.postMessage')
      .filter((c) => c.args.metadata?.event_type === 'customer_cards_nudge');
    const perNudge = new Map<string, number>();
    for (const post of posts)
      perNudge.set(
        post.args.metadata.event_payload.nudge_id,
        (perNudge.get(post.args.metadata.event_payload.nudge_id) ?? 0) + 1,
      );
    const digests = h.fake
      .accepted('chat.postMessage')
      .filter((c) => c.args.metadata?.event_type === 'customer_cards_digest');
    const listed = new Map<string, number>();
    for (const d of digests)
      for (const id of String(d.args.metadata.event_payload.nudge_ids).split(','))
        listed.set(id, (listed.get(id) ?? 0) + 1);
    const statuses = await h.db
      .collection('nudges')
      .aggregate([{ $group: { _id: '$status', n: { $sum: 1 } } }])
      .toArray();
    const counts = [...perNudge.values()];
    console.log(
      JSON.stringify(
        {
          nudges: NUDGES,
          instances: INSTANCES,
          rounds,
          clockMinutes: Math.round((rounds * STEP_MS) / 60_000),
          wallSeconds: Math.round((performance.now() - started) / 1000),
          databaseRestarted: restarted,
          scansThatFailed: failedScans,
          rateLimited: h.fake.calls.filter((c) => c.error === 'ratelimited').length,
          postedOnce: counts.filter((n) => n === 1).length,
          postedTwiceOrMore: counts.filter((n) => n > 1).length,
          neverPosted: NUDGES - perNudge.size,
          digests: digests.length,
          listedInTwoDigests: [...listed.values()].filter((n) => n > 1).length,
          historyLookups: h.fake.calls.filter((c) => c.method === 'conversations.history').length,
          statuses: Object.fromEntries(statuses.map((s) => [s._id, s.n])),
          claimTimeoutMinutes: domain.nudges.claimTimeoutMs / 60_000,
        },
        null,
        2,
      ),
    );
  } finally {
    await database.start().catch(() => undefined);
    await h.stop();
    await database.dispose();
  }
}

await main();
process.exit(0);
