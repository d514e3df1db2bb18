import { ACTION } from '../src/views/ids.js';
import { eventually } from './support/eventually.js';
import { createCard } from './support/flows.js';
import { TEAM_A, visibleText } from './support/harness.js';
import { useHarnessOnRestartableDatabase } from './support/useHarness.js';
import { cardWithFollowUp } from './support/visits.js';

const { h, database } = useHarnessOnRestartableDatabase({}, { checkPayloads: false });

const UNAVAILABLE = '数据库暂时无法访问';
const healthz = async () => (await fetch(`${h.instances[0]!.url}/healthz`)).status;
const nudgesFor = (name: string) =>
  h.fake.accepted('chat.postMessage').filter((c) => visibleText(c.args.blocks).includes(name));

describe('the database going away under a running app', () => {
  it('answers, waits and recovers by itself with nothing lost', async () => {
    await cardWithFollowUp(h, '断线客户', '2026-11-25', '断线后跟进');
    const created = await createCard(h, TEAM_A, { name: '断线前客户' });

    await database.stop();
    expect(await healthz()).toBe(503);

    const started = performance.now();
    const lookup = await h.command('断线客户');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(visibleText(lookup.args.blocks)).toContain(UNAVAILABLE);
    // A lookup saves nothing, so it does not say nothing was saved; a save does.
    expect(visibleText(lookup.args.blocks)).not.toContain('没有保存');

    const { view } = await h.openModal(TEAM_A, {
      action_id: ACTION.newCard,
      value: JSON.stringify({ name: '断线中新建' }),
    });
    const beganSave = performance.now();
    const save = await h.submitView(TEAM_A, view);
    expect(performance.now() - beganSave).toBeLessThan(3000);
    expect(save.json()).toEqual({ response_action: 'errors', errors: { name: expect.stringContaining(UNAVAILABLE) } });
    expect(save.json().errors.name).toContain('没有保存');

    h.clock.set('2026-11-25T09:00:00+08:00');
    await expect(h.instances[0]!.app.scanNudges()).rejects.toThrow();
    expect(nudgesFor('断线客户')).toHaveLength(0);

    await database.start();
    await eventually(async () => expect(await healthz()).toBe(200), 15_000);
    expect(visibleText((await h.command('断线前客户')).args.blocks)).toContain(created.number);
    expect((await h.submitView(TEAM_A, view)).body).toBe('');
    expect(await h.db.collection('customers').countDocuments({ name: '断线中新建' })).toBe(1);

    const report = await h.instances[0]!.app.scanNudges();
    expect(report.sent).toBe(1);
    await h.instances[0]!.app.scanNudges();
    expect(nudgesFor('断线客户')).toHaveLength(1);
  }, 60_000);
});
