import { ObjectId } from 'mongodb';
import { NUDGE_SCAN_JOB } from '../src/jobs/nudgeScan.js';
import { POOL_REPLAN_JOB } from '../src/nudgeKinds/pool.js';
import { eventually } from './support/eventually.js';
import { createCard } from './support/flows.js';
import { Harness, NUDGE_CHANNEL, TEAM_A, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';
import { cardWithFollowUp } from './support/visits.js';

// Agenda polls on real time; a short interval lets it run here. Follow-up dates still follow the fake clock.
const h = useHarness({ instances: 2, env: { FOLLOWUP_SCAN_SECONDS: '1' } }, { checkPayloads: false });

it('runs the follow-up scan as one repeating Agenda job shared by the instances', async () => {
  const jobs = await h.db.collection('agendaJobs').find({ name: NUDGE_SCAN_JOB }).toArray();
  expect(jobs).toHaveLength(1);
  expect(jobs[0]).toMatchObject({ repeatInterval: '1 seconds', type: 'single' });

  await cardWithFollowUp(h, '郑十一', '2026-12-02', '年终拜访');
  h.clock.set('2026-12-02T09:00:00+08:00');
  const posted = await h.fake.waitFor('chat.postMessage', (c) => visibleText(c.args.blocks).includes('郑十一'));
  expect(posted.args.channel).toBe(NUDGE_CHANNEL);
  await eventually(async () =>
    expect(await h.db.collection('nudges').findOne({ plan: '年终拜访' })).toMatchObject({ status: 'sent' }),
  );
  expect(h.fake.accepted('chat.postMessage')).toHaveLength(1);
});

it('releases the scan job when instances shut down, so others can run it at once', async () => {
  const { MongoClient } = await import('mongodb');
  const spare = await Harness.start({ instances: 2, env: { FOLLOWUP_SCAN_SECONDS: '1' } });
  await eventually(async () =>
    expect(
      await spare.db
        .collection('agendaJobs')
        .countDocuments({ name: NUDGE_SCAN_JOB, lastFinishedAt: { $exists: true } }),
    ).toBe(1),
  );
  for (const { app } of spare.instances) await app.stop();
  await spare.fake.stop();

  const client = await MongoClient.connect(process.env.MONGODB_URI!);
  try {
    const db = client.db(spare.dbName);
    const [job] = await db.collection('agendaJobs').find({ name: NUDGE_SCAN_JOB }).toArray();
    expect(job?.lockedAt ?? null).toBeNull();
    await db.dropDatabase();
  } finally {
    await client.close();
  }
});

it('finishes a pool replan whose instance died: another instance takes the job once its lock is old', async () => {
  h.clock.set('2026-12-02T10:00:00+08:00');
  const card = await createCard(h, TEAM_A, { name: '公海重排' });
  const warning = () =>
    h.db.collection('nudges').findOne({ customerId: new ObjectId(card.id), kind: 'poolWarning', status: 'pending' });
  // Made today: warned 90 days on.
  expect(await warning()).toMatchObject({ dueDate: '2027-03-02' });

  // As an instance leaves it when it dies mid-replan: the new thresholds saved, its job locked long ago.
  await h.db
    .collection('teams')
    .updateOne({ _id: TEAM_A.teamId as never }, { $set: { kindSettings: { pool: { afterDays: 30 } } } });
  const longAgo = new Date(Date.now() - 2 * 60 * 60_000);
  await h.db.collection('agendaJobs').insertOne({
    name: POOL_REPLAN_JOB,
    data: { teamId: TEAM_A.teamId },
    type: 'normal',
    priority: 0,
    nextRunAt: longAgo,
    lockedAt: longAgo,
    lastModifiedBy: 'a-dead-instance',
  });

  await eventually(async () => expect(await warning()).toMatchObject({ dueDate: '2027-01-01' }), 15_000);
  await eventually(async () =>
    expect(await h.db.collection('agendaJobs').countDocuments({ name: POOL_REPLAN_JOB })).toBe(0),
  );
});
