import { NUDGE_SCAN_JOB } from '../src/jobs/nudgeScan.js';
import { eventually } from './support/eventually.js';
import { Harness, NUDGE_CHANNEL, visibleText } from './support/harness.js';
import { cardWithFollowUp } from './support/visits.js';

let h: Harness;

beforeAll(async () => {
  // Agenda polls on real time; a short interval lets it run here. Follow-up dates still follow the fake clock.
  h = await Harness.start({ instances: 2, env: { FOLLOWUP_SCAN_SECONDS: '1' } });
});

afterAll(async () => {
  await h.stop();
});

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
  await eventually(async () => expect(await spare.db.collection('agendaJobs').countDocuments({ name: NUDGE_SCAN_JOB, lastFinishedAt: { $exists: true } })).toBe(1));
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
