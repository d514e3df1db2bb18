import { ObjectId } from 'mongodb';
import { buildServices } from '../src/application.js';
import { domain } from '../src/config/domain.js';
import { parseEnv } from '../src/config/env.js';
import { POOL_REPLAN_JOB } from '../src/nudgeKinds/pool.js';
import { createCard, recordSale } from './support/flows.js';
import { collectionsOf } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

/**
 * The segmentation's bulk writes, driven through the services between the plan and its writes (where a user's edit or
 * a dead writer's change can fall), with the cards and sales made through the app as a user makes them.
 */
const h = useHarness({ now: '2026-11-23T10:00:00+08:00', env: { SEGMENT_HOUR: '2' } });
const { customers, history, nudges } = collectionsOf(h);

/** The app's services on the harness's database and clock, as the bench drives them. */
const services = () =>
  buildServices(
    h.instances[0]!.app.connection,
    parseEnv({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 'unused', LOG_LEVEL: 'error' }),
    () => h.clock.now(),
  );

const seller = (teamId: string): Actor => ({ teamId, userId: `U${teamId}` });
const NAMES = ['甲', '乙', '丙', '丁'];

/** Four customers of their own team, each with one sale (so current, not ranked yet). */
async function team(teamId: string) {
  for (const [i, name] of NAMES.entries()) {
    await createCard(h, seller(teamId), { name });
    await recordSale(h, seller(teamId), name, { amountFen: String(100 * (i + 1)), profitFen: null });
  }
}

const card = async (teamId: string, name: string) => (await customers().findOne({ teamId, name }))!;
const tierChanges = async (teamId: string, name: string) =>
  history().countDocuments({ teamId, customerId: (await card(teamId, name))._id, action: 'tierChanged' });
/** The ids of the card's open cadence nudges: a new tier replaces the one it had. */
const openCadence = async (teamId: string, name: string) =>
  (
    await nudges()
      .find({
        teamId,
        customerId: (await card(teamId, name))._id,
        kind: 'cadence',
        status: { $in: ['pending', 'sending', 'sent', 'failed'] },
      })
      .toArray()
  ).map((n) => n._id.toString());
const rankedEvents = (teamId: string, state: 'pending' | 'handled') =>
  h.db.collection('cardEvents').countDocuments({ teamId, 'event.type': 'ranked', state });

describe('placing a batch of cards', () => {
  it('leaves a card whose placement changed after the plan as it is, without history; the rest of the batch is placed and reacted to', async () => {
    const TEAM = 'TBULKMOVED';
    await team(TEAM);
    const { segments, writes, models } = services();
    const { moves } = await segments.planRefresh(TEAM);
    expect(moves).toHaveLength(4);
    // Another refresh placed 乙 meanwhile.
    const moved = await card(TEAM, '乙');
    expect(
      await writes.writeIfUnchanged({
        teamId: TEAM,
        model: models.customers,
        id: moved._id,
        version: moved.version,
        set: { tier: 'large', abc: 'B' },
      }),
    ).toBe('written');

    const cadenced = await openCadence(TEAM, '甲');
    expect(await segments.applyMoves(TEAM, moves)).toBe(3);
    expect(await card(TEAM, '乙')).toMatchObject({ tier: 'large', abc: 'B', version: moved.version + 1 });
    expect(await tierChanges(TEAM, '乙')).toBe(0);
    for (const name of ['甲', '丙', '丁']) {
      expect((await card(TEAM, name)).tier).toBeDefined();
      expect(await tierChanges(TEAM, name)).toBe(1);
      expect(await openCadence(TEAM, name)).toHaveLength(1);
    }
    expect(await openCadence(TEAM, '甲')).not.toEqual(cadenced);
    expect(await h.db.collection('cardEvents').countDocuments({ teamId: TEAM, state: 'pending' })).toBe(0);
    expect(await h.db.collection('writeintents').countDocuments({ teamId: TEAM, state: 'pending' })).toBe(0);
  });

  it("finishes a dead writer's change holding a card's next step, keeps it, and places that card after it", async () => {
    const TEAM = 'TBULKTAKEN';
    await team(TEAM);
    const { segments } = services();
    const { moves } = await segments.planRefresh(TEAM);
    const held = await card(TEAM, '丙');
    const editId = new ObjectId();
    // An edit whose writer stopped after claiming the step, longer ago than the lease.
    await h.db.collection('writeintents').insertOne({
      _id: `customers:${held._id.toHexString()}:${held.version + 1}` as never,
      teamId: TEAM,
      targetCollection: 'customers',
      targetId: held._id,
      version: held.version + 1,
      state: 'pending',
      set: { preferences: '死前写的' },
      unset: [],
      records: [
        {
          into: 'history',
          doc: {
            _id: editId,
            teamId: TEAM,
            customerId: held._id,
            action: 'updated',
            userId: 'UDEAD',
            at: h.clock.now(),
          },
        },
      ],
      createdAt: new Date(h.clock.now().getTime() - domain.writes.intentLeaseMs - 1000),
    });

    expect(await segments.applyMoves(TEAM, moves)).toBe(4);
    expect(await card(TEAM, '丙')).toMatchObject({ preferences: '死前写的', version: held.version + 2 });
    expect((await card(TEAM, '丙')).tier).toBeDefined();
    expect(await history().findOne({ _id: editId })).toMatchObject({ userId: 'UDEAD' });
    for (const name of NAMES) expect(await tierChanges(TEAM, name)).toBe(1);
  });

  it('stopped after its bulk update, before its history and events: the next scan writes them once and the kinds react', async () => {
    const TEAM = 'TBULKCRASH';
    await team(TEAM);
    const { segments, models } = services();
    const { moves } = await segments.planRefresh(TEAM);
    const cadenced = await Promise.all(NAMES.map((name) => openCadence(TEAM, name)));
    const ranked = await rankedEvents(TEAM, 'handled');
    // The instance stops as it inserts the batch's history entries.
    const insertMany = models.history.collection.insertMany.bind(models.history.collection);
    models.history.collection.insertMany = () => Promise.reject(new Error('instance stopped'));
    await expect(segments.applyMoves(TEAM, moves)).rejects.toThrow('instance stopped');
    models.history.collection.insertMany = insertMany;
    for (const name of NAMES) {
      expect((await card(TEAM, name)).tier).toBeDefined();
      expect(await tierChanges(TEAM, name)).toBe(0);
    }
    // Neither are their events: the kinds know nothing yet.
    expect(await rankedEvents(TEAM, 'pending')).toBe(0);
    expect(await Promise.all(NAMES.map((name) => openCadence(TEAM, name)))).toEqual(cadenced);

    h.clock.advanceMs(Math.max(domain.writes.intentLeaseMs, domain.cardEvents.leftOverAfterMs) + 1000);
    await h.instances[0]!.app.scanNudges();
    h.clock.advanceMs(domain.cardEvents.leftOverAfterMs + 1000);
    await h.instances[0]!.app.scanNudges();
    for (const [i, name] of NAMES.entries()) {
      expect(await tierChanges(TEAM, name)).toBe(1);
      const open = await openCadence(TEAM, name);
      expect(open).toHaveLength(1);
      expect(open).not.toEqual(cadenced[i]);
    }
    expect(await rankedEvents(TEAM, 'handled')).toBe(ranked + NAMES.length);
    expect(await h.db.collection('writeintents').countDocuments({ teamId: TEAM, state: 'pending' })).toBe(0);
    expect(await h.db.collection('cardEvents').countDocuments({ teamId: TEAM, state: 'pending' })).toBe(0);
  });
});

describe('the pool replan in bulk', () => {
  it('run twice at once, leaves each card one open warning, on its new day', async () => {
    const TEAM = 'TBULKPOOL';
    await team(TEAM);
    const { kinds } = services();
    const warnings = (name: string) =>
      card(TEAM, name).then((c) =>
        nudges()
          .find({
            teamId: TEAM,
            customerId: c._id,
            kind: 'poolWarning',
            status: { $in: ['pending', 'sending', 'sent', 'failed'] },
          })
          .toArray(),
      );
    const before = await warnings('甲');
    expect(before).toHaveLength(1);
    await h.db
      .collection('teams')
      .updateOne({ _id: TEAM as never }, { $set: { 'kindSettings.pool.afterDays': 30 }, $inc: { version: 1 } });
    const replan = kinds.jobs.find((job) => job.name === POOL_REPLAN_JOB)!;
    await Promise.all([replan.run({ teamId: TEAM }), replan.run({ teamId: TEAM })]);
    for (const name of NAMES) {
      const open = await warnings(name);
      expect(open).toHaveLength(1);
      expect(open[0]!.dueDate).not.toBe(before[0]!.dueDate);
    }
  });
  it("closes a warning another replan opened after this one read what was open, so the card keeps one: this one's", async () => {
    const TEAM = 'TBULKPOOLLATE';
    await team(TEAM);
    const { nudges: service } = services();
    const warned = await card(TEAM, '甲');
    const seen = await service.openOfMany(TEAM, [warned._id], ['poolWarning', 'poolRelease']);
    expect(seen).toHaveLength(1);
    const warning = (dueDate: string, createdBy: string) => ({
      _id: new ObjectId(),
      teamId: TEAM,
      kind: 'poolWarning' as const,
      customerId: warned._id,
      ownerId: warned.ownerId as string,
      dueDate,
      createdBy,
    });
    // The other replan, on thresholds saved a moment before, moves the warning between this one's read and its insert.
    const theirs = warning('2027-01-05', 'UOTHER');
    await service.scheduleMany(TEAM, [theirs], { replacing: true });
    const ours = warning('2027-01-12', 'UOURS');
    await service.scheduleMany(TEAM, [ours], { replacing: true, seen });

    const open = await nudges()
      .find({
        teamId: TEAM,
        customerId: warned._id,
        kind: 'poolWarning',
        status: { $in: ['pending', 'sending', 'sent', 'failed'] },
      })
      .toArray();
    expect(open.map((n) => n._id.toString())).toEqual([ours._id.toString()]);
    expect(await nudges().findOne({ _id: theirs._id })).toMatchObject({ status: 'superseded', closedBy: 'UOURS' });
    expect(await nudges().findOne({ _id: seen[0]!._id })).toMatchObject({ status: 'superseded', closedBy: 'UOTHER' });
  });
});

describe('bulk guarded writes', () => {
  it('tell a record a plain $inc moved between the read and the write (a retimed nudge) from one they changed', async () => {
    const TEAM = 'TBULKINC';
    await team(TEAM);
    const { writes, models } = services();
    const [kept, retimed] = await nudges()
      .find({ teamId: TEAM, kind: 'poolWarning', status: 'pending' })
      .limit(2)
      .toArray();
    // The team's nudge hour changed: retiming bumps the version without a claim.
    await nudges().updateOne({ _id: retimed!._id }, { $inc: { version: 1 } });

    const cancel = { status: 'cancelled', closedBy: 'UTEST' };
    const outcomes = await writes.writeManyIfUnchanged(models.nudges, TEAM, [
      { id: kept!._id, version: kept!.version, set: cancel },
      { id: retimed!._id, version: retimed!.version, set: cancel },
    ]);
    expect(outcomes).toEqual(['written', 'conflict']);
    expect(await nudges().findOne({ _id: kept!._id })).toMatchObject({
      status: 'cancelled',
      version: kept!.version + 1,
    });
    expect(await nudges().findOne({ _id: retimed!._id })).toMatchObject({
      status: 'pending',
      version: retimed!.version + 1,
    });
    expect(
      await h.db
        .collection('writeintents')
        .findOne({ _id: `nudges:${retimed!._id.toHexString()}:${retimed!.version + 1}` as never }),
    ).toMatchObject({ state: 'void' });
  });
});
