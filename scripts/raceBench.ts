/**
 * Races on the app's own write paths against MONGODB_URI, in a database of
 * its own that is dropped afterwards. Each round:
 *   - WRITERS people save the same card version at once (writeIfUnchanged):
 *     exactly one may win, and the card and its history must show that one;
 *   - WRITERS first cards of a new workspace at once (createCustomer): all
 *     created, under distinct numbers;
 *   - WRITERS people claim one pooled card (公海) at once (pool.claim): exactly
 *     one owns it, with one `claimed` history entry; the rest are told it is taken.
 * Exits non-zero when any round breaks a rule. Not part of `npm test`.
 *
 *   MONGODB_URI=mongodb://127.0.0.1:27017/ npm run race
 */
import mongoose, { type Types } from 'mongoose';
import { buildServices } from '../src/application.js';
import { parseEnv } from '../src/config/env.js';
import { ensureIndexes } from '../src/models/index.js';
import { historyDoc } from '../src/services/history.js';

type Services = ReturnType<typeof buildServices>;

const MONGODB_URI = process.env.MONGODB_URI;
const ROUNDS = Number(process.env.RACE_ROUNDS ?? 10);
const WRITERS = Number(process.env.RACE_WRITERS ?? 50);
const DB_NAME = process.env.RACE_DB ?? `race_bench_${Date.now()}`;
const TEAM = 'TRACE';
const now = () => new Date();

interface SaveRace {
  written: number;
  conflict: number;
  failed: string[];
  cardOk: boolean;
  historyOk: boolean;
  ms: number;
}

interface CreateRace {
  created: number;
  distinct: number;
  stored: number;
  failed: string[];
  ms: number;
}

interface ClaimRace {
  claimed: number;
  taken: number;
  failed: string[];
  cardOk: boolean;
  ms: number;
}

const settle = <T>(work: Promise<T>) => work.catch((error: Error) => new Error(error.message));

function updateFrom(services: Services, id: Types.ObjectId, version: number, i: number) {
  const { models } = services;
  const entry = {
    teamId: TEAM,
    customerId: id,
    action: 'updated' as const,
    userId: `UWRITER${i}`,
    at: now(),
    changes: [{ field: 'preferences', from: undefined, to: `writer-${i}` }],
  };
  return {
    teamId: TEAM,
    model: models.customers,
    id,
    version,
    set: { preferences: `writer-${i}`, updatedBy: `UWRITER${i}` },
    records: [{ model: models.history, doc: historyDoc(entry) }],
  };
}

async function raceSaves(services: Services, round: number): Promise<SaveRace> {
  const { models, writes, customers } = services;
  const created = await customers.createCustomer(TEAM, 'UOWNER', { name: `竞速${round}`, ambassador: false });
  if (created.status !== 'created') throw new Error(`card not created: ${created.status}`);
  const card = created.customer;
  const t0 = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: WRITERS }, (_, i) =>
      settle(writes.writeIfUnchanged(updateFrom(services, card._id, card.version, i))),
    ),
  );
  const ms = performance.now() - t0;
  const winners = outcomes.flatMap((outcome, i) => (outcome === 'written' ? [i] : []));
  const after = await models.customers.findOne({ _id: card._id, teamId: TEAM }).lean();
  const entries = await models.history.find({ teamId: TEAM, customerId: card._id, action: 'updated' }).lean();
  const [winner] = winners;
  const won = winners.length === 1;
  return {
    written: winners.length,
    conflict: outcomes.filter((o) => o === 'conflict').length,
    failed: outcomes.flatMap((o) =>
      o instanceof Error ? [o.message] : o === 'written' || o === 'conflict' ? [] : [o],
    ),
    cardOk: won && after?.preferences === `writer-${winner}` && after.version === card.version + 1,
    historyOk: won && entries.length === 1 && entries[0]!.userId === `UWRITER${winner}`,
    ms,
  };
}

async function raceCreates({ models, customers }: Services, round: number): Promise<CreateRace> {
  const team = `TNEW${round}`;
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: WRITERS }, (_, i) =>
      settle(customers.createCustomer(team, `U${i}`, { name: `新客${round}-${i}`, ambassador: false })),
    ),
  );
  const ms = performance.now() - t0;
  const cards = results.flatMap((r) => (r instanceof Error || r.status !== 'created' ? [] : [r.customer]));
  return {
    created: cards.length,
    distinct: new Set(cards.map((c) => c.number)).size,
    stored: await models.customers.countDocuments({ teamId: team }),
    failed: results.flatMap((r) => (r instanceof Error ? [r.message] : [])),
    ms,
  };
}

async function raceClaims(services: Services, round: number): Promise<ClaimRace> {
  const { models, customers, pool } = services;
  const created = await customers.createCustomer(TEAM, 'UOWNER', { name: `公海${round}`, ambassador: false });
  if (created.status !== 'created') throw new Error(`card not created: ${created.status}`);
  const { _id } = created.customer;
  // Pooled as the release leaves it: no owner, pooledAt set.
  await models.customers.updateOne(
    { _id, teamId: TEAM },
    { $set: { pooledAt: now(), previousOwnerId: 'UOWNER' }, $unset: { ownerId: 1 }, $inc: { version: 1 } },
  );
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: WRITERS }, (_, i) => settle(pool.claim(TEAM, `UCLAIM${i}`, _id.toString()))),
  );
  const ms = performance.now() - t0;
  const winners = results.flatMap((r, i) => (!(r instanceof Error) && r.status === 'claimed' ? [i] : []));
  const after = await models.customers.findOne({ _id, teamId: TEAM }).lean();
  const claims = await models.history.find({ teamId: TEAM, customerId: _id, action: 'claimed' }).lean();
  const [winner] = winners;
  return {
    claimed: winners.length,
    taken: results.filter((r) => !(r instanceof Error) && r.status === 'taken').length,
    failed: results.flatMap((r) => (r instanceof Error ? [r.message] : [])),
    cardOk:
      winners.length === 1 &&
      after?.ownerId === `UCLAIM${winner}` &&
      !after.pooledAt &&
      claims.length === 1 &&
      claims[0]!.userId === `UCLAIM${winner}`,
    ms,
  };
}

/** FerretDB 2 names its version under `ferretdb`, FerretDB 1 as `ferretdbVersion`. */
async function serverName(connection: mongoose.Connection): Promise<string> {
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  const ferretdb = info.ferretdb?.version ?? info.ferretdbVersion;
  return ferretdb
    ? `FerretDB ${String(ferretdb)} (as MongoDB ${String(info.version)})`
    : `MongoDB ${String(info.version)}`;
}

const cell = (value: unknown, width: number) => String(value).padStart(width);

async function main(): Promise<void> {
  if (!MONGODB_URI) throw new Error('Set MONGODB_URI to the server to race on, e.g. mongodb://127.0.0.1:27017/');
  const env = parseEnv({ SLACK_BOT_TOKEN: 'xoxb-race', SLACK_SIGNING_SECRET: 'race', LOG_LEVEL: 'error' });
  const connection = await mongoose.createConnection(MONGODB_URI, { dbName: DB_NAME, autoIndex: false }).asPromise();
  let broken = 0;
  try {
    const services = buildServices(connection, env, now);
    await ensureIndexes(services.models);
    console.log(
      `${await serverName(connection)} at ${MONGODB_URI}, db ${DB_NAME}: ${ROUNDS} rounds, ${WRITERS} at once`,
    );
    console.log(
      'round | saves: written conflict failed card history     ms | creates: created distinct stored failed     ms | claims: claimed taken failed card     ms',
    );
    for (let round = 1; round <= ROUNDS; round++) {
      const save = await raceSaves(services, round);
      const create = await raceCreates(services, round);
      const claim = await raceClaims(services, round);
      const ok =
        save.written === 1 &&
        save.failed.length === 0 &&
        save.cardOk &&
        save.historyOk &&
        create.created === WRITERS &&
        create.distinct === WRITERS &&
        create.stored === WRITERS &&
        claim.claimed === 1 &&
        claim.taken === WRITERS - 1 &&
        claim.failed.length === 0 &&
        claim.cardOk;
      if (!ok) broken += 1;
      console.log(
        `${cell(round, 5)} | ${cell(save.written, 14)} ${cell(save.conflict, 8)} ${cell(save.failed.length, 6)} ${cell(save.cardOk ? 'ok' : 'BAD', 4)} ${cell(save.historyOk ? 'ok' : 'BAD', 7)} ${cell(save.ms.toFixed(0), 6)} |` +
          ` ${cell(create.created, 16)} ${cell(create.distinct, 8)} ${cell(create.stored, 6)} ${cell(create.failed.length, 6)} ${cell(create.ms.toFixed(0), 6)} |` +
          ` ${cell(claim.claimed, 15)} ${cell(claim.taken, 5)} ${cell(claim.failed.length, 6)} ${cell(claim.cardOk ? 'ok' : 'BAD', 4)} ${cell(claim.ms.toFixed(0), 6)}${ok ? '' : '  <- broken'}`,
      );
      for (const message of new Set([...save.failed, ...create.failed, ...claim.failed]))
        console.log(`      failed: ${message}`);
    }
    console.log(broken === 0 ? `all ${ROUNDS} rounds held` : `${broken} of ${ROUNDS} rounds broken`);
  } finally {
    await connection.dropDatabase();
    await connection.close();
  }
  process.exit(broken === 0 ? 0 : 1);
}

main().catch((error: Error) => {
  console.error(`race bench failed: ${error.message}`);
  process.exit(1);
});
