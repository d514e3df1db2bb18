import { FUNCTION, SHORTCUT } from '../src/views/ids.js';
import { eventually } from './support/eventually.js';
import { createCard } from './support/flows.js';
import { TEAM_A, TEAM_B, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

/**
 * Installed to any workspace (OAuth), each with its own token: a message
 * shortcut or a workflow step never reaches across workspaces, and a step of
 * a workspace the app does not serve is failed, never run with another's token.
 */
const h = useHarness({ oauth: true, now: '2026-11-23T10:00:00+08:00' }, { checkLogs: false });
const tokenOf = (teamId: string) => h.fake.installOf(teamId)!.token;
const counts = async () =>
  Promise.all(['customers', 'visits', 'history'].map((name) => h.db.collection(name).countDocuments()));

beforeAll(async () => {
  await h.install(TEAM_A.teamId);
  await h.install(TEAM_B.teamId);
});

describe('a message shortcut naming another workspace’s message', () => {
  it('is read with the requester’s workspace token, which cannot see it: nothing is saved', async () => {
    const ts = h.fake.postUserMessage(TEAM_A.teamId, 'CATEAM', { user: TEAM_A.userId, text: '甲队的机密报价' });
    const own = await h.openFromMessage(TEAM_A, SHORTCUT.saveMessage, { channel: 'CATEAM', ts });
    expect(JSON.stringify(own.view)).toContain('甲队的机密报价');

    const before = h.fake.mark();
    const crafted = await h.openFromMessage(TEAM_B, SHORTCUT.saveMessage, {
      channel: 'CATEAM',
      ts,
      text: '甲队的机密报价',
      teamId: TEAM_A.teamId,
    });
    expect(visibleText(crafted.view.blocks)).toContain('客户卡读不到这条消息');
    const reads = h.fake.calls.slice(before).filter((c) => c.method === 'conversations.history');
    expect(reads.map((c) => [c.token, c.error])).toEqual([[tokenOf(TEAM_B.teamId), 'channel_not_found']]);
    const shown = h.fake.calls.slice(before).filter((c) => c.method.startsWith('views.'));
    expect(JSON.stringify(shown)).not.toContain('机密');
  });
});

describe('a workflow step', () => {
  it('runs in its own workspace with the execution’s own token', async () => {
    const before = h.fake.mark();
    const run = await h.executeStep(TEAM_B.teamId, FUNCTION.createCard, { name: '乙队客户', owner: TEAM_B.userId });
    expect(await h.stepEnd(run.executionId)).toMatchObject({ outcome: 'success', token: run.token });
    const calls = h.fake.calls.slice(before);
    expect(calls.filter((c) => c.token === tokenOf(TEAM_A.teamId))).toEqual([]);
    expect(await h.db.collection('customers').findOne({ name: '乙队客户' })).toMatchObject({ teamId: TEAM_B.teamId });
  });

  it('of a workspace that never installed the app is failed with a reason; nothing runs', async () => {
    const before = h.fake.mark();
    const saved = await counts();
    const run = await h.executeStep('T9STRANGER', FUNCTION.createCard, { name: '陌生客户', owner: 'U9X' });
    expect(run.status).toBe(200);
    const end = await h.stepEnd(run.executionId);
    expect(end).toMatchObject({ outcome: 'error', token: run.token });
    expect(end.error).toBe('客户卡没有安装在这个工作区（或已经卸载），这一步没有执行。请先安装客户卡，再运行工作流。');
    expect(h.fake.calls.slice(before).map((c) => c.method)).toEqual(['functions.completeError']);
    expect(await counts()).toEqual(saved);
  });

  it('of a workspace that uninstalled the app is failed the same way, never run with another workspace’s token', async () => {
    const card = await createCard(h, TEAM_A, { name: '甲队客户' });
    expect((await h.event(TEAM_A, { type: 'app_uninstalled' })).status).toBe(200);
    await eventually(async () =>
      expect(await h.db.collection('installations').findOne({ _id: TEAM_A.teamId as never })).toMatchObject({
        uninstalledAt: expect.any(Date),
      }),
    );
    const before = h.fake.mark();
    const saved = await counts();
    const run = await h.executeStep(TEAM_A.teamId, FUNCTION.logVisit, {
      customer: card.number,
      note: '卸载后',
      logged_by: TEAM_A.userId,
    });
    expect(await h.stepEnd(run.executionId)).toMatchObject({ outcome: 'error', token: run.token });
    const calls = h.fake.calls.slice(before);
    expect(calls.map((c) => c.method)).toEqual(['functions.completeError']);
    expect(calls.some((c) => c.token === tokenOf(TEAM_B.teamId))).toBe(false);
    expect(await counts()).toEqual(saved);
  });
});
