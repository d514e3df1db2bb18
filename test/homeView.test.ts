import fc from 'fast-check';
import { Types } from 'mongoose';
import { domain } from '../src/config/domain.js';
import { messagesFor } from '../src/i18n/index.js';
import type { HomeCustomer, HomeData, HomeList } from '../src/services/home.js';
import { ACTION } from '../src/views/ids.js';
import { renderHome } from '../src/views/home.js';
import type { SettingsSection } from '../src/views/settings.js';
import { validateHome } from './support/blockKit.js';
import { visibleText } from './support/harness.js';
import { KIND_SETTINGS } from '../src/nudgeKinds/index.js';

const shown = domain.home.rowsShown;
const hostile = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 400 });
const customer = fc
  .record({ name: hostile, number: fc.constant('KH-2026-0001') })
  .map((c): HomeCustomer => ({ ...c, _id: new Types.ObjectId() }));

/** A list of up to rowsShown rows, holding any number more. */
function list<Row>(row: fc.Arbitrary<Row>): fc.Arbitrary<HomeList<Row>> {
  return fc
    .tuple(fc.array(row, { maxLength: shown }), fc.nat({ max: 1_000_000 }))
    .map(([rows, extra]) => ({ rows, total: rows.length + (rows.length === shown ? extra : 0) }));
}

const due = list(
  fc.record({ customer, dueDate: fc.constant('2026-11-30'), plan: fc.option(hostile, { nil: undefined }) }),
);
/** A birthday, or an important day with any label, falling on a day of the week with or without an age. */
const comingDay = fc.oneof(
  fc.constant({ key: 'birthday' }),
  hostile.map((label) => ({ key: `day:${label}`, label })),
);
const week = list(
  fc.record({
    customer,
    day: fc
      .tuple(
        comingDay,
        fc.constantFrom('solar' as const, 'lunar' as const),
        fc.option(fc.nat({ max: 120 }), { nil: null }),
      )
      .map(([day, calendar, years]) => ({
        ...day,
        occasion: { calendar, month: 12, day: 3, recurrence: 'yearly' as const },
        date: '2026-12-03',
        years,
      })),
  }),
);
const count = fc.nat({ max: 10_000_000 });
const fen = fc.nat({ max: 100_000_000_00 });

const homeData: fc.Arbitrary<HomeData> = fc.record({
  userId: fc.constant('U1'),
  today: fc.constant('2026-11-30'),
  followUpsOverdue: due,
  followUpsToday: due,
  contactDue: due,
  ambassadorsDue: due,
  promisesDue: due,
  overdue: fc
    .tuple(list(fc.record({ customer, overdueFen: fen, oldestDays: fc.nat({ max: 5000 }) })), fen)
    .map(([l, totalFen]) => ({ ...l, totalFen })),
  daysThisWeek: week,
  pyramid: fc.record({
    top: count,
    large: count,
    medium: count,
    small: count,
    unranked: count,
    inactive: count,
    potential: count,
    doubtful: count,
  }),
  team: fc.record({
    tiers: fc.record({ top: count, large: count, medium: count, small: count }),
    overdueByQuadrant: fc.record({ shortSmall: fen, shortLarge: fen, longSmall: fen, longLarge: fen }),
    awaitingThanks: list(fc.record({ referrer: customer, referred: customer })),
    pooled: count,
  }),
});

type Roles = Pick<SettingsSection, 'admin' | 'manager'>;
const roles = fc.record({ admin: fc.boolean(), manager: fc.boolean() });

/**
 * The settings section with a full change log; at its largest for a manager who is not an admin (read-only note and
 * Hand over).
 */
const settingsSection = (
  locale: 'zh' | 'en',
  { admin, manager }: Roles = { admin: false, manager: true },
): SettingsSection => ({
  specs: KIND_SETTINGS,
  admin,
  manager,
  locale,
  changes: Array.from({ length: domain.settings.changesShown }, (_, i) => ({
    field: 'nudgeHour',
    userId: 'U1ADMIN',
    at: new Date(),
    from: i,
    to: i + 1,
  })),
  settings: {
    teamId: 'T1',
    locale: 'zh',
    timezone: 'Asia/Shanghai',
    nudgeHour: 9,
    nudgeChannel: 'CNUDGES',
    financeUserIds: ['U1', 'U2'],
    managerUserIds: [],
    kinds: Object.fromEntries(KIND_SETTINGS.map((spec) => [spec.key, spec.default])),
    collection: { longAfterDays: 30, largeFromFen: 10_000_00, repeatEveryDays: 7 },
    cadenceDays: { top: 7, large: 14, medium: 30, small: 90, inactive: 60, potential: 14 },
    pool: { afterDays: 90, graceDays: 7, excludeTiers: ['top', 'large'] },
    segmentHour: 2,
    wrapUpHour: 18,
    adminUserIds: [],
    version: 3,
  },
});

describe('renderHome', () => {
  it('is a valid Home tab within 100 blocks whatever the data, in both languages', () => {
    fc.assert(
      fc.property(homeData, fc.constantFrom('zh' as const, 'en' as const), roles, (home, locale, who) => {
        const view = renderHome(messagesFor(locale), home, settingsSection(locale, who));
        expect(validateHome(view)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('with every list full and more behind each, stays within 100 blocks and says how many more', () => {
    const full = fc.sample(homeData, 1)[0]!;
    const row = (i: number): HomeCustomer => ({ _id: new Types.ObjectId(), name: `客户${i}`, number: `KH-2026-${i}` });
    const rows = Array.from({ length: shown }, (_, i) => ({ customer: row(i), dueDate: '2026-11-30' }));
    const maxed: HomeData = {
      ...full,
      followUpsOverdue: { rows, total: 5000 },
      followUpsToday: { rows, total: 5000 },
      contactDue: { rows, total: 5000 },
      ambassadorsDue: { rows, total: 5000 },
      promisesDue: { rows, total: 5000 },
      overdue: {
        rows: rows.map((r) => ({ customer: r.customer, overdueFen: 100, oldestDays: 3 })),
        total: 5000,
        totalFen: 500_000,
      },
      daysThisWeek: {
        rows: rows.map((r) => ({
          customer: r.customer,
          day: {
            key: 'birthday',
            occasion: { calendar: 'lunar', month: 10, day: 23, recurrence: 'yearly' },
            date: '2026-12-02',
            years: 40,
          },
        })),
        total: 5000,
      },
      team: {
        ...full.team,
        awaitingThanks: { rows: rows.map((r) => ({ referrer: r.customer, referred: r.customer })), total: 5000 },
      },
    };
    const view = renderHome(messagesFor('zh'), maxed, settingsSection('zh'));
    expect(validateHome(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const more = view.blocks.filter((b) => b.type === 'context');
    // Seven lists' and this week's days' "more" lines, the read-only note and the settings change log.
    expect(more).toHaveLength(10);
    expect(visibleText(more)).toContain(`还有 ${5000 - shown} 条`);
    const buttons = (view.blocks as Record<string, any>[]).flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons.filter((e: Record<string, any>) => e.action_id === ACTION.cardBrief)).toHaveLength(7 * shown);
    expect(buttons.filter((e: Record<string, any>) => e.action_id === ACTION.handoverStart)).toHaveLength(1);
  });

  it('offers Hand over to admins and the manager only, beside Edit settings for an admin', () => {
    const home = fc.sample(homeData, 1)[0]!;
    const buttonsFor = (who: Roles) =>
      (renderHome(messagesFor('zh'), home, settingsSection('zh', who)).blocks as Record<string, any>[])
        .filter((b) => b.block_id === 'home_settings_edit')
        .map((b) => b.elements.map((e: Record<string, any>) => e.action_id));
    expect(buttonsFor({ admin: true, manager: false })).toEqual([[ACTION.editSettings, ACTION.handoverStart]]);
    expect(buttonsFor({ admin: false, manager: true })).toEqual([[ACTION.handoverStart]]);
    expect(buttonsFor({ admin: false, manager: false })).toEqual([]);
  });

  it('says how many cards wait in the pool, in one line', () => {
    const home = fc.sample(homeData, 1)[0]!;
    const poolLine = (pooled: number, locale: 'zh' | 'en') =>
      visibleText(
        (
          renderHome(messagesFor(locale), { ...home, team: { ...home.team, pooled } }, settingsSection(locale))
            .blocks as Record<string, any>[]
        ).filter((b) => b.block_id === 'home_pool'),
      );
    expect(poolLine(3, 'zh')).toBe('*🌊 公海*：3 张客户卡等待认领（`/card 公海`）');
    expect(poolLine(0, 'zh')).toBe('*🌊 公海*：暂无等待认领的客户卡');
    expect(poolLine(12, 'en')).toContain('12 cards waiting to be claimed (`/card pool`)');
  });

  it('escapes user text: a name cannot mention anyone or form a link', () => {
    const home = fc.sample(homeData, 1)[0]!;
    const evil: HomeCustomer = {
      _id: new Types.ObjectId(),
      name: '<!channel> <https://x.example|点我>',
      number: 'KH-2026-0002',
    };
    const view = renderHome(
      messagesFor('zh'),
      { ...home, promisesDue: { rows: [{ customer: evil, dueDate: '2026-11-30', plan: '<@U123>' }], total: 1 } },
      settingsSection('zh'),
    );
    const text = visibleText(view.blocks);
    expect(text).toContain('&lt;!channel&gt; &lt;https://x.example|点我&gt;');
    expect(text).toContain('&lt;@U123&gt;');
    expect(text).not.toContain('<!channel>');
  });
});
