import { domain } from '../src/config/domain.js';
import { visibleText } from './support/harness.js';
import { useHarnessOnRestartableDatabase } from './support/useHarness.js';
import { cardsWithFollowUps, isReminder } from './support/visits.js';

/**
 * The database restarting in the middle of a scan on three instances: Slack
 * takes a post, recording it fails, and the nudge must still be posted
 * exactly once, not again by the next scan or by another instance.
 */

const { h, database } = useHarnessOnRestartableDatabase(
  { instances: 3, env: { DIGEST_ABOVE: '1000' } },
  { checkPayloads: false },
);

const COUNT = 12;
const DUE = '2026-11-25T09:00:00+08:00';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the database restarting while a scan posts', () => {
  it('posts every due nudge exactly once across three instances, none lost, none twice', async () => {
    const names = Array.from({ length: COUNT }, (_, i) => `重启${String(i + 1).padStart(2, '0')}`);
    await cardsWithFollowUps(h, names, '2026-11-25');

    // Slack takes the fourth post, then the database goes away before its answer reaches the app.
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    const held = h.fake.holdAnswer('chat.postMessage', answered, 3);
    h.clock.set(DUE);
    const scans = h.instances.map((i) => i.app.scanNudges().catch((error: Error) => error));
    await held;
    await database.stop();
    release();
    await sleep(1500);
    await database.start();
    await Promise.all(scans);

    // Whatever was left claimed goes out once the claims lapse, after a look at the channel's history.
    for (const at of [DUE, new Date(new Date(DUE).getTime() + domain.nudges.claimTimeoutMs + 1000).toISOString()]) {
      await h.scanAt(at, 2);
    }

    const posted = h.fake.accepted('chat.postMessage').filter(isReminder);
    expect(
      names.map((name) => posted.filter((c) => visibleText(c.args.blocks).includes(`${name}的计划`)).length),
    ).toEqual(names.map(() => 1));
    const nudges = h.db.collection('nudges');
    expect(await nudges.countDocuments({ kind: 'followUp', status: 'sent' })).toBe(COUNT);
    expect(await h.db.collection('writeintents').countDocuments({ state: 'pending' })).toBe(0);
    // The post whose answer was held was recorded by the instance that made it, as the message Slack took.
    const heldCall = await held;
    const heldName = names.find((name) => visibleText(heldCall.args.blocks).includes(`${name}的计划`))!;
    expect(await nudges.findOne({ plan: `${heldName}的计划` })).toMatchObject({
      status: 'sent',
      messageTs: heldCall.result!.ts,
    });
  }, 120_000);
});
