import { spawn, type ChildProcess } from 'node:child_process';
import { domain } from '../src/config/domain.js';
import { Harness, NUDGE_CHANNEL, visibleText } from './support/harness.js';
import { cardWithFollowUp } from './support/visits.js';

let h: Harness;

beforeAll(async () => {
  h = await Harness.start();
});

afterAll(async () => {
  await h.stop();
});

const DUE_AT = '2026-11-25T09:00:00+08:00';
const NAMES = ['崩溃甲', '崩溃乙', '崩溃丙'];

/** A second instance, in its own process, scanning at DUE_AT (its scheduler's first run and one more, at once). */
function scanInChildProcess(): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'test/support/scanChild.ts'], {
    env: { ...process.env, DB_NAME: h.dbName, SLACK_API_URL: h.fake.apiUrl, NUDGE_CHANNEL_ID: NUDGE_CHANNEL, NOW: DUE_AT },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const acceptedFor = (name: string) => h.fake.accepted('chat.postMessage').filter((c) => visibleText(c.args.blocks).includes(name));

describe('an instance killed (SIGKILL) in the middle of a nudge scan', () => {
  it('loses no nudge and posts none twice', async () => {
    for (const name of NAMES) await cardWithFollowUp(h, name, '2026-11-25', `${name}的计划`);
    const held = h.fake.holdNext('chat.postMessage', 1);

    const child = scanInChildProcess();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const heldText = visibleText((await held).args.blocks);
    const heldName = NAMES.find((name) => heldText.includes(name))!;
    child.kill('SIGKILL');
    await exited;
    expect(h.fake.accepted('chat.postMessage')).toHaveLength(1);

    // The survivor posts what the dead instance never reached, but leaves the nudge it died posting alone...
    h.clock.set(DUE_AT);
    await h.instances[0]!.app.scanNudges();
    expect(acceptedFor(heldName)).toHaveLength(0);
    // ...until that claim has expired: then it is posted, once.
    h.clock.advanceMs(domain.nudges.claimTimeoutMs + 1000);
    await h.instances[0]!.app.scanNudges();
    expect(await h.instances[0]!.app.scanNudges()).toEqual({ sent: 0, retrying: 0, failed: 0 });

    for (const name of NAMES) expect(acceptedFor(name)).toHaveLength(1);
    expect(await h.db.collection('nudges').countDocuments({ status: 'sent' })).toBe(3);
    expect(await h.db.collection('writeintents').countDocuments({ state: 'pending' })).toBe(0);
  }, 60_000);
});
