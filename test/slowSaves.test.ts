import { ACTION } from '../src/views/ids.js';
import { createCard } from './support/flows.js';
import { findButton, TEAM_A, visibleText } from './support/harness.js';
import { LatencyProxy } from './support/latencyProxy.js';
import { useHarness } from './support/useHarness.js';

/**
 * A save Slack's 3 seconds cannot wait for (a loaded machine, a distant
 * database): the person sees "saving…", never an error for something that
 * worked, and is told the outcome in a message once it is known.
 */

let proxy: LatencyProxy;
const h = useHarness(
  async () => {
    proxy = await LatencyProxy.for(process.env.MONGODB_URI!);
    return { mongoUri: proxy.uri(process.env.MONGODB_URI!) };
  },
  {
    stop: async (stopHarness) => {
      proxy.delayMs = 0;
      await stopHarness();
      await proxy.stop();
    },
  },
);

afterEach(() => {
  proxy.delayMs = 0;
});

/** Submits `view` and times Slack's wait for the answer. */
async function timedSubmit(view: Record<string, any>, changes: Record<string, unknown>) {
  const started = performance.now();
  const res = await h.submitView(TEAM_A, view, changes);
  return { res, ms: performance.now() - started };
}

describe('a save slower than Slack waits', () => {
  it('answers within 3 s with "saving…", then saves and says so in a DM; the card is shown as usual', async () => {
    const { view, responseUrl } = await h.openModal(TEAM_A, {
      action_id: ACTION.newCard,
      value: JSON.stringify({ name: '慢保存' }),
    });
    const after = h.fake.mark();
    proxy.delayMs = 600;
    const { res, ms } = await timedSubmit(view, { name: '慢保存', company: '慢公司' });
    expect(ms).toBeLessThan(3000);
    expect(res.json()).toMatchObject({ response_action: 'update', view: { title: { text: '正在保存' } } });
    expect(visibleText(res.json().view.blocks)).toContain('「新建客户卡」正在保存');

    const dm = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === TEAM_A.userId, after, 30_000);
    proxy.delayMs = 0;
    expect(visibleText(dm.args.blocks)).toBe('✅「新建客户卡」已保存。');
    expect(visibleText((await h.fake.waitForResponse(responseUrl, after)).args.blocks)).toContain('慢公司');
    expect(await h.db.collection('customers').countDocuments({ name: '慢保存' })).toBe(1);
    const shown = await h.fake.waitFor('views.update', (c) => c.args.view_id === view.id, after);
    expect(visibleText(shown.args.view.blocks)).toBe('✅「新建客户卡」已保存。');
  }, 60_000);

  it('a late save that is refused says why in the DM, and saves nothing', async () => {
    const card = await createCard(h, TEAM_A, { name: '慢冲突' });
    const { view } = await h.openModal(TEAM_A, findButton(card.shown.args.blocks, ACTION.editCard));
    const { view: other } = await h.openModal(TEAM_A, findButton(card.shown.args.blocks, ACTION.editCard));
    expect((await h.submitView(TEAM_A, other, { title: '经理' })).body).toBe('');

    const after = h.fake.mark();
    // Each of the refusal's few reads takes longer than a second.
    proxy.delayMs = 1300;
    const { res, ms } = await timedSubmit(view, { company: '不该保存' });
    expect(ms).toBeLessThan(3000);
    expect(res.json()).toMatchObject({ response_action: 'update' });
    const dm = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === TEAM_A.userId, after, 30_000);
    proxy.delayMs = 0;
    expect(visibleText(dm.args.blocks)).toContain(
      '「编辑客户卡」没有保存：保存失败：在你编辑期间，别人已经修改了这张卡',
    );
    expect(await h.db.collection('customers').findOne({ name: '慢冲突' })).toMatchObject({ title: '经理' });
    expect(await h.db.collection('customers').findOne({ name: '慢冲突' })).not.toHaveProperty('company');
  }, 60_000);

  it('a save in time is answered as before: closed, no DM', async () => {
    const { view } = await h.openModal(TEAM_A, {
      action_id: ACTION.newCard,
      value: JSON.stringify({ name: '快保存' }),
    });
    const after = h.fake.mark();
    const { res } = await timedSubmit(view, { name: '快保存' });
    expect(res.body).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fake.calls.slice(after).filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });
});
