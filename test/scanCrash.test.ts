import { spawn, type ChildProcess } from 'node:child_process';
import { domain } from '../src/config/domain.js';
import { NUDGE_CHANNEL, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';
import { cardsWithFollowUps, isReminder } from './support/visits.js';

const h = useHarness({}, { checkPayloads: false });

const DUE_AT = '2026-11-25T09:00:00+08:00';
const NAMES = ['崩溃甲', '崩溃乙', '崩溃丙'];

/** A second instance, in its own process, scanning at `now` (its scheduler's first run and one more, at once). */
function scanInChildProcess(now = DUE_AT, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'test/support/scanChild.ts'], {
    env: {
      ...process.env,
      DB_NAME: h.dbName,
      SLACK_API_URL: h.fake.apiUrl,
      NUDGE_CHANNEL_ID: NUDGE_CHANNEL,
      NOW: now,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const never = new Promise<void>(() => undefined);

const acceptedFor = (name: string) =>
  h.fake.accepted('chat.postMessage').filter((c) => visibleText(c.args.blocks).includes(name));

describe('an instance killed (SIGKILL) in the middle of a nudge scan', () => {
  it('loses no nudge and posts none twice', async () => {
    await cardsWithFollowUps(h, NAMES, '2026-11-25');
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

describe('an instance killed right after Slack took its post, before it could record it', () => {
  it('does not post that nudge again: the survivor finds it in the channel, records it and brings its buttons up to date', async () => {
    const due = '2026-11-27T09:00:00+08:00';
    const names = ['已发甲', '已发乙'];
    await cardsWithFollowUps(h, names, '2026-11-27');
    const held = h.fake.holdAnswer('chat.postMessage', never, 1);
    // Slack stamps messages with the time they arrive: the test's clock, which the child's starts from.
    h.clock.set(due);
    const child = scanInChildProcess(due);
    const heldCall = await held;
    await killed(child);

    h.clock.advanceMs(domain.nudges.claimTimeoutMs + 1000);
    await h.instances[0]!.app.scanNudges();
    await h.instances[0]!.app.scanNudges();

    for (const name of names) expect(acceptedFor(`${name}的计划`)).toHaveLength(1);
    const heldName = names.find((name) => visibleText(heldCall.args.blocks).includes(name))!;
    const recorded = await h.db.collection('nudges').findOne({ plan: `${heldName}的计划` });
    expect(recorded).toMatchObject({ status: 'sent', messageTs: heldCall.result!.ts });
    // Its buttons were made for the dead instance's claim: the message now answers the recorded version.
    const updated = await h.fake.waitFor('chat.update', (c) => c.args.ts === heldCall.result!.ts);
    expect(JSON.stringify(updated.args.blocks)).toContain(`${recorded!._id.toString()}:${recorded!.version}`);
  }, 60_000);

  it('mid-digest: the survivor adds only the missing replies to the same digest’s thread, and no second digest', async () => {
    const due = '2026-11-28T09:00:00+08:00';
    const names = ['摘要崩溃1', '摘要崩溃2', '摘要崩溃3', '摘要崩溃4'];
    await cardsWithFollowUps(h, names, '2026-11-28');
    const before = h.fake.mark();
    // The digest, then its first reply are answered; the second reply is taken by Slack but its answer never comes.
    const held = h.fake.holdAnswer('chat.postMessage', never, 2);
    h.clock.set(due);
    const child = scanInChildProcess(due, { DIGEST_ABOVE: '2' });
    await held;
    await killed(child);

    h.clock.advanceMs(domain.nudges.claimTimeoutMs + 1000);
    await h.instances[0]!.app.scanNudges();
    await h.instances[0]!.app.scanNudges();

    const posts = h.fake.calls.slice(before).filter((c) => c.method === 'chat.postMessage' && !c.error);
    const digests = posts.filter((c) => !isReminder(c));
    expect(digests).toHaveLength(1);
    for (const name of names) {
      const replies = posts.filter((c) => isReminder(c) && visibleText(c.args.blocks).includes(`${name}的计划`));
      expect(replies.map((c) => c.args.thread_ts)).toEqual([digests[0]!.result!.ts]);
    }
    expect(await h.db.collection('nudges').countDocuments({ plan: /^摘要崩溃/, status: 'sent' })).toBe(4);
  }, 60_000);
});
