import { domain } from '../src/config/domain.js';
import { addDays } from '../src/time.js';
import { cardDoc, counted, monitoredUri, nudgeDoc, shape } from './support/commandCounts.js';
import { createCard } from './support/flows.js';
import { TEAM_A, TEAM_A_COLLEAGUE, visibleText } from './support/harness.js';
import { useHarness } from './support/useHarness.js';

/**
 * App Home's counts (the viewer's pyramid, the team's tiers, pool and thanks) are read once and shared by the
 * openings that follow, and a change made through the app counts afresh at once. Commands are counted with the
 * driver's monitoring on the app's own connection.
 */
const h = useHarness(() => ({ now: '2026-11-23T10:00:00+08:00', mongoUri: monitoredUri(process.env.MONGODB_URI!) }));

const pyramidLine = (view: Record<string, any>) =>
  visibleText(view.blocks).match(/我的客户金字塔\*\n[^\n]*/)?.[0] ?? 'no pyramid';

/** The commands that count over customers: the pyramid, the team's tiers and the pooled cards. */
const customerCounts = (commands: string[]) => commands.filter((c) => c === 'aggregate customers');

describe("App Home's counts", () => {
  beforeAll(async () => {
    await h.db
      .collection('customers')
      .insertMany([
        ...Array.from({ length: 3 }, () =>
          cardDoc(TEAM_A.teamId, TEAM_A.userId, { segment: 'current', tier: 'small' }),
        ),
        ...Array.from({ length: 2 }, () => cardDoc(TEAM_A.teamId, TEAM_A.userId)),
      ]);
  });

  it('are read at the first opening, then shared: opening again, or by a colleague, counts no cards', async () => {
    const first = await counted(h, () => h.openHome(TEAM_A));
    expect(customerCounts(shape(first)).length).toBeGreaterThanOrEqual(3);
    const again = await counted(h, () => h.openHome(TEAM_A));
    expect(customerCounts(shape(again))).toEqual([]);
    // A colleague's own pyramid is theirs to count; the team's figures are already counted.
    const colleague = await counted(h, () => h.openHome(TEAM_A_COLLEAGUE));
    expect(customerCounts(shape(colleague)).length).toBeLessThan(customerCounts(shape(first)).length);
  });

  it('count afresh after a change made through the app: a new card is in the next Home at once', async () => {
    expect(pyramidLine(await h.openHome(TEAM_A))).toMatch(/小客户 3 .* 疑虑客户 2$/);
    await createCard(h, TEAM_A, { name: '新客户' });
    expect(pyramidLine(await h.openHome(TEAM_A))).toMatch(/小客户 3 .* 疑虑客户 3$/);
  });
});

describe('App Home for a salesperson with more reminders due than one read takes', () => {
  const BACKLOG = { teamId: TEAM_A.teamId, userId: 'U7BACKLOG' };
  const overdue = domain.home.dueReadAtOnce + 20;

  beforeAll(async () => {
    const cards = Array.from({ length: overdue + 5 }, () => cardDoc(BACKLOG.teamId, BACKLOG.userId));
    await h.db.collection('customers').insertMany(cards);
    // Posted already (sent, still open), so no scan posts them meanwhile; the oldest are the last written.
    const sent = { status: 'sent' };
    await h.db
      .collection('nudges')
      .insertMany([
        ...cards
          .slice(0, overdue)
          .map((card, i) =>
            nudgeDoc(card, 'followUp', addDays('2026-11-02', -(i % 20)), { plan: `计划${i}`, ...sent }),
          ),
        ...cards.slice(overdue, overdue + 2).map((card) => nudgeDoc(card, 'followUp', '2026-11-23', sent)),
        ...cards.slice(overdue + 2).map((card) => nudgeDoc(card, 'promise', '2026-11-20', sent)),
      ]);
  });

  it('lists the soonest of each list and counts them all', async () => {
    const view = await h.openHome(BACKLOG);
    const rows = (list: string) =>
      (view.blocks as Record<string, any>[])
        .filter((b) => new RegExp(`^home_${list}_\\d+$`).test(b.block_id ?? ''))
        .map((b) => visibleText([b]));
    const more = (list: string) =>
      visibleText((view.blocks as Record<string, any>[]).filter((b) => b.block_id === `home_${list}_more`));
    expect(rows('followups_overdue')).toHaveLength(domain.home.rowsShown);
    for (const row of rows('followups_overdue')) expect(row).toContain('到期 2026-10-14');
    expect(more('followups_overdue')).toBe(`还有 ${overdue - domain.home.rowsShown} 条，会陆续提醒你`);
    expect(rows('followups_today')).toHaveLength(2);
    expect(rows('promises')).toHaveLength(3);
  });
});
