import { ACTION } from '../src/views/ids.js';
import { totalText } from './support/blockKit.js';
import { createCard, logContact } from './support/flows.js';
import { findButton, NUDGE_CHANNEL, TEAM_A, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';
import { cardWithFollowUp } from './support/visits.js';

/**
 * Messages Slack could refuse as too long: no one block breaks a limit, but
 * all the text of one message together (counted in UTF-16 units, as Slack
 * does) can pass ~12,000 characters with long, escape-heavy or emoji text.
 * The fake Slack refuses such a message (msg_blocks_too_long) and any text
 * over its block's limit counted in UTF-16 units; every message and view here
 * must be accepted, lists saying how many they left out.
 */
const h = useHarness({ now: '2026-11-23T10:00:00+08:00' });

/** 100 characters that escaping makes 350 (`<` is `&lt;`, a typed `*` is kept literal between zero-width spaces). */
const heavy = (tag: string) => `${tag}${'<*'.repeat(50)}`.slice(0, 100);
/** Text of emoji outside the BMP: each one character to a person, two UTF-16 units to Slack. */
const emoji = (n: number) => '😀'.repeat(n);

describe('lists of long, escape-heavy names', () => {
  it('/card pool lists what fits one message and says how many it lists', async () => {
    const names: string[] = [];
    for (let i = 0; i < 20; i++) {
      const name = heavy(`池${i}`);
      names.push(name);
      await createCard(h, TEAM_A, { name, company: heavy('公司'), region: heavy('区').slice(0, 50) });
    }
    // Released to the pool, as the pool's release leaves a card.
    await h.db.collection('customers').updateMany(
      { teamId: 'T1', name: { $in: names } },
      {
        $set: { pooledAt: new Date('2026-11-20T02:00:00Z'), previousOwnerId: TEAM_A.userId },
        $unset: { ownerId: '' },
      },
    );
    const reply = await h.command('pool');
    expect(totalText(reply.args.blocks)).toBeLessThanOrEqual(12_000);
    const listed = JSON.stringify(reply.args.blocks).split(ACTION.poolClaim).length - 1;
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(20);
    expect(visibleText(reply.args.blocks)).toContain(`只列出最早的 ${listed} 张。`);
  });
});

describe('a card posted from Home', () => {
  it('with long, escape-heavy preferences, notes and promises stays inside one message', async () => {
    const note = '<*'.repeat(1500);
    const created = await createCard(h, TEAM_A, {
      name: heavy('长卡'),
      preferences: note.slice(0, 1000),
      address: note.slice(0, 200),
      company: heavy('公司'),
    });
    const promises = Object.fromEntries(
      [1, 2, 3].flatMap((n) => [
        [`promise${n}`, note.slice(0, 300)],
        [`promise${n}Due`, '2026-12-01'],
      ]),
    );
    for (let i = 0; i < 3; i++)
      await logContact(h, TEAM_A, created.number, {
        notes: note,
        needs: note.slice(0, 1000),
        nextFollowUpDate: '2026-12-01',
        nextFollowUpPlan: note.slice(0, 500),
        ...promises,
      });
    const before = h.fake.mark();
    await h.homeAction(TEAM_A, {
      type: 'external_select',
      action_id: ACTION.cardPicker,
      selected_option: { value: created.id },
    });
    const posted = await h.fake.waitFor('chat.postMessage', (c) => c.args.channel === TEAM_A.userId, before);
    expect(totalText(posted.args.blocks)).toBeLessThanOrEqual(12_000);
    findButton(posted.args.blocks, ACTION.editCard);
  });
});

describe('emoji, two UTF-16 units each', () => {
  it('a history of an edit filled with emoji opens: each block cut by what Slack counts', async () => {
    const created = await createCard(h, TEAM_A, { name: '表情卡' });
    const { view } = await h.openModal(TEAM_A, findButton(created.shown.args.blocks, ACTION.editCard));
    const fields = Object.fromEntries(
      (view.blocks as Record<string, any>[])
        .filter(
          (b) =>
            b.type === 'input' &&
            b.element.type === 'plain_text_input' &&
            b.block_id !== 'creditLimitFen' &&
            b.block_id !== 'phone' &&
            b.block_id !== 'birthday' &&
            b.block_id !== 'importantDays' &&
            b.block_id !== 'name',
        )
        .map((b) => [b.block_id, emoji(Math.floor((b.element.max_length ?? 100) / 2))]),
    );
    expect((await h.submitView(TEAM_A, view, fields)).body).toBe('');
    const history = await h.openModal(TEAM_A, findButton(created.shown.args.blocks, ACTION.history));
    expect(visibleText(history.view.blocks)).toContain('😀');
  });
});

describe('a digest of many reminders', () => {
  it('splits into digests of at most 40, each inside the limit and listing its own, every reminder in the thread of the one listing it', async () => {
    for (let i = 0; i < 62; i++) await cardWithFollowUp(h, heavy(`摘${i}`), '2026-11-25', '跟进');
    const before = h.fake.mark();
    await h.scanAt('2026-11-25T09:00:00+08:00');
    const posted = h.fake.calls
      .slice(before)
      .filter((c) => c.method === 'chat.postMessage' && !c.error && c.args.channel === NUDGE_CHANNEL);
    const digests = posted.filter((c) => c.args.thread_ts === undefined);
    const replies = posted.filter((c) => c.args.thread_ts !== undefined);
    expect(digests.map((d) => String(d.args.metadata.event_payload.nudge_ids).split(',').length)).toEqual([40, 22]);
    for (const digest of digests) {
      expect(totalText(digest.args.blocks)).toBeLessThanOrEqual(12_000);
      expect(visibleText(digest.args.blocks)).not.toMatch(/另有 \d+ 条/);
    }
    expect(replies).toHaveLength(62);
    for (const reply of replies) {
      const digest = digests.find((d) => d.result!.ts === reply.args.thread_ts)!;
      expect(String(digest.args.metadata.event_payload.nudge_ids).split(',')).toContain(
        reply.args.metadata.event_payload.nudge_id,
      );
    }
  }, 120_000);
});
