import { ACTION } from '../src/views/ids.js';
import { findButton, NUDGE_CHANNEL, TEAM_A, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';
import { cardWithFollowUp } from './support/visits.js';

/**
 * One contact reminder a day per customer: a follow-up asked for today, for a
 * customer reminded today already, goes out tomorrow, and the save and the
 * card say so instead of it moving silently.
 */
const h = useHarness({ now: '2026-11-23T08:00:00+08:00' });

const followUpPosts = (name: string) =>
  h.fake
    .accepted('chat.postMessage')
    .filter((c) => c.args.channel === NUDGE_CHANNEL && String(c.args.text).includes(name));

describe('a follow-up for today, for a customer reminded today already', () => {
  it('is moved to tomorrow, and the answer to the save and the card say so', async () => {
    await cardWithFollowUp(h, '今天已提醒', '2026-11-23', '上午电话');
    await h.scanAt('2026-11-23T09:00:00+08:00');
    expect(followUpPosts('今天已提醒')).toHaveLength(1);

    h.clock.set('2026-11-23T10:00:00+08:00');
    const card = await h.command('今天已提醒');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.logVisit), {
      responseUrl: card.responseUrl,
    });
    const before = h.fake.mark();
    const res = await h.submitView(TEAM_A, view, {
      notes: '上午打过',
      nextFollowUpDate: '2026-11-23',
      nextFollowUpPlan: '下午再打',
    });
    const answer = res.json();
    expect(answer.response_action).toBe('update');
    expect(visibleText(answer.view.blocks)).toContain(
      '原定 2026-11-23：这位客户今天已经有过一条联系提醒（每位客户每天最多一条），所以顺延到 2026-11-24',
    );

    const shown = visibleText((await h.fake.waitForResponse(card.responseUrl, before)).args.blocks);
    expect(shown).toContain('2026-11-24 · 下午再打');
    expect(shown).toContain('原定 2026-11-23');

    await h.scanAt('2026-11-23T15:00:00+08:00');
    expect(followUpPosts('今天已提醒')).toHaveLength(1);
    await h.scanAt('2026-11-24T09:00:00+08:00');
    expect(followUpPosts('今天已提醒')).toHaveLength(2);
  });

  it('for a customer not reminded today, keeps today and closes the modal as usual', async () => {
    h.clock.set('2026-11-24T10:00:00+08:00');
    await cardWithFollowUp(h, '今天没提醒', '2026-11-30', '下周');
    const card = await h.command('今天没提醒');
    const { view } = await h.openModal(TEAM_A, findButton(card.args.blocks, ACTION.logVisit), {
      responseUrl: card.responseUrl,
    });
    const res = await h.submitView(TEAM_A, view, {
      notes: '又聊了',
      nextFollowUpDate: '2026-11-24',
      nextFollowUpPlan: '下午再打',
    });
    expect(res.body).toBe('');
    const shown = visibleText((await h.command('今天没提醒')).args.blocks);
    expect(shown).toContain('2026-11-24 · 下午再打');
    expect(shown).not.toContain('原定');
  });
});
