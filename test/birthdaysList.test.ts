import { Types } from 'mongoose';
import { domain } from '../src/config/domain.js';
import { messagesFor } from '../src/i18n/index.js';
import type { ComingRow } from '../src/services/occasions.js';
import { renderBirthdayList } from '../src/views/birthdays.js';
import { ACTION } from '../src/views/ids.js';
import { validateMessage } from './support/blockKit.js';
import { createCard } from './support/flows.js';
import { findButton, mrkdwnTexts, TEAM_A, TEAM_A_COLLEAGUE, TEAM_B, visibleText } from './support/harness.js';
import type { Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';

/**
 * Issue 20, "seeing them coming": `/card birthdays` (生日) lists the caller's
 * customers' birthdays and important days of the next 30 days; App Home
 * shows this week's; the brief, those within 14 days. Each list reads the
 * cards' stored next day, rolled forward once it has passed.
 */
const SELLER = TEAM_A;
const COLLEAGUE = TEAM_A_COLLEAGUE;
const STRANGER = TEAM_B;
/** Salespeople of the same team with cards of their own, so each test's list holds only its cards. */
const BRIEFER: Actor = { teamId: TEAM_A.teamId, userId: 'U3BRIEFER' };
const HOMER: Actor = { teamId: TEAM_A.teamId, userId: 'U4HOMER' };
const LATER: Actor = { teamId: TEAM_A.teamId, userId: 'U5LATER' };
const JOKER: Actor = { teamId: TEAM_A.teamId, userId: 'U6JOKER' };

// Sunday 2026-12-20, 10:00 in Shanghai: the next 30 days run to 2027-01-19, across the new year.
const h = useHarness({ now: '2026-12-20T10:00:00+08:00' });

const cards = () => h.db.collection('customers');

// Saved on 2026-12-20 and never edited since: its stored next day passes on 2026-12-22.
beforeAll(() => createCard(h, LATER, { name: '去年客户', birthday: '12-22' }));

/** `text` is found in `shown`, each of `inOrder` after the one before. */
function expectInOrder(shown: string, inOrder: string[]): void {
  let from = 0;
  for (const text of inOrder) {
    const at = shown.indexOf(text, from);
    expect({ text, found: at >= 0 }).toEqual({ text, found: true });
    from = at + text.length;
  }
}

async function chooseLanguage(actor: Actor, locale: 'zh' | 'en'): Promise<void> {
  await h.openHome(actor);
  const after = h.fake.mark();
  await h.homeAction(actor, {
    type: 'static_select',
    action_id: ACTION.chooseLocale,
    selected_option: { value: locale },
  });
  await h.fake.waitFor('views.publish', (c) => c.args.user_id === actor.userId, after);
}

describe('/card birthdays (生日)', () => {
  beforeAll(async () => {
    await createCard(h, SELLER, { name: '元月客户', birthday: '1990-01-05' });
    await createCard(h, SELLER, { name: '腊八客户', birthday: '腊月初八' });
    await createCard(h, SELLER, { name: '高考客户', importantDays: '儿子高考 2027-06-07' });
    await createCard(h, SELLER, { name: '纪念日客户', importantDays: '结婚纪念日 2010-12-31 每年' });
    await createCard(h, SELLER, { name: '三月客户', birthday: '1985-03-10' });
    await createCard(h, SELLER, { name: '公海客户', birthday: '12-28' });
    await createCard(h, COLLEAGUE, { name: '同事客户', birthday: '12-25' });
    await createCard(h, STRANGER, { name: '外司客户', birthday: '12-26' });
    // Gone to the pool as the pool leaves a card: no owner, the previous one kept.
    await cards().updateOne(
      { teamId: SELLER.teamId, name: '公海客户' },
      { $set: { pooledAt: new Date('2026-12-19T01:00:00Z'), previousOwnerId: SELLER.userId }, $unset: { ownerId: '' } },
    );
  });

  it('lists the caller’s customers’ days of the next 30 days across the new year, soonest first, with Open', async () => {
    const shown = await h.command('生日', SELLER);
    const text = visibleText(shown.args.blocks);
    expect(text).toContain('未来 30 天的生日与重要日子');
    expectInOrder(text, [
      '纪念日客户',
      '📅 结婚纪念日* 12月31日 · 还有 11 天 · 16 周年',
      '元月客户',
      '🎂 生日* 1月5日 · 还有 16 天 · 满 37 岁',
      '腊八客户',
      '🎂 生日* 1月15日（农历腊月初八） · 还有 26 天',
    ]);
    // A day in June, a birthday in March, another's customers, another workspace's, the pool's: none.
    for (const absent of ['高考客户', '儿子高考', '三月客户', '同事客户', '外司客户', '公海客户'])
      expect(text).not.toContain(absent);
    const card = await cards().findOne({ teamId: SELLER.teamId, name: '元月客户' });
    const row = (shown.args.blocks as Record<string, any>[]).filter((b) => visibleText([b]).includes('元月客户'));
    expect(visibleText(row)).toContain(card!.number);
    expect(findButton(row, ACTION.openCard).value).toBe(card!._id.toString());
  });

  it('answers the colleague and the other workspace with their own customers only', async () => {
    const colleague = visibleText((await h.command('birthdays', COLLEAGUE)).args.blocks);
    expect(colleague).toContain('同事客户');
    expect(colleague).toContain('12月25日 · 还有 5 天');
    for (const absent of ['元月客户', '外司客户', '公海客户']) expect(colleague).not.toContain(absent);
    const stranger = visibleText((await h.command('生日', STRANGER)).args.blocks);
    expect(stranger).toContain('外司客户');
    for (const absent of ['元月客户', '同事客户']) expect(stranger).not.toContain(absent);
  });

  it('speaks English to who chose it, the same list', async () => {
    await chooseLanguage(SELLER, 'en');
    try {
      const text = visibleText((await h.command('birthdays', SELLER)).args.blocks);
      expect(text).toContain('Birthdays and important days in the next 30 days');
      expectInOrder(text, [
        '纪念日客户',
        '📅 结婚纪念日* 31 December · in 11 days · 16th anniversary',
        '元月客户',
        '🎂 Birthday* 5 January · in 16 days · turns 37',
        '腊八客户',
        '🎂 Birthday* 15 January (12th lunar month, day 8) · in 26 days',
      ]);
      expect(text).not.toContain('高考客户');
    } finally {
      await chooseLanguage(SELLER, 'zh');
    }
  });

  it('with nothing coming, says so and how to add birthdays', async () => {
    const none = visibleText((await h.command('生日', { teamId: TEAM_A.teamId, userId: 'U7NOBODY' })).args.blocks);
    expect(none).toContain('未来 30 天你的客户没有生日或重要日子');
    expect(none).toContain('点「编辑」');
  });

  it('is in /card help, in both languages', async () => {
    expect(visibleText((await h.command('help', SELLER)).args.blocks)).toContain('`/card birthdays`*（或 `生日`）');
    await chooseLanguage(SELLER, 'en');
    try {
      expect(visibleText((await h.command('help', SELLER)).args.blocks)).toContain(
        "`/card birthdays`* lists your customers' coming birthdays",
      );
    } finally {
      await chooseLanguage(SELLER, 'zh');
    }
  });

  it('escapes a customer’s name: no ping, no bold', async () => {
    await createCard(h, JOKER, { name: '<!channel> *大客户*', birthday: '12-22' });
    const shown = await h.command('生日', JOKER);
    const texts = [String(shown.args.text), ...mrkdwnTexts(shown.args.blocks)];
    expect(texts.join('\n')).not.toContain('<!channel>');
    expect(texts.join('\n')).toContain('&lt;!channel&gt; \u200B*\u200B大客户\u200B*\u200B');
    expect(visibleText(shown.args.blocks)).toContain('12月22日 · 后天');
  });
});

describe('the visit brief', () => {
  it('names a birthday within 14 days, not a day 20 days away', async () => {
    await createCard(h, BRIEFER, {
      name: '简报甲',
      birthday: '12-30',
      importantDays: '女儿生日 2015-01-09 每年',
    });
    await createCard(h, BRIEFER, { name: '简报乙', birthday: '1980-01-09' });
    const near = visibleText((await h.command('brief 简报甲', BRIEFER)).args.blocks);
    expect(near).toContain('🎂 生日* 12月30日 · 还有 10 天');
    expect(near).not.toContain('女儿生日');
    const far = visibleText((await h.command('brief 简报乙', BRIEFER)).args.blocks);
    expect(far).not.toContain('🎂');
    expect(far).not.toContain('还有 20 天');
  });
});

describe('App Home', () => {
  it('shows this week’s days (today and the 6 after), not next week’s', async () => {
    await createCard(h, HOMER, { name: '本周客户', birthday: '1976-12-24' });
    await createCard(h, HOMER, { name: '今天客户', importantDays: '开业纪念日 2020-12-20 每年' });
    await createCard(h, HOMER, { name: '下周客户', birthday: '12-27' });
    const view = await h.openHome(HOMER);
    const week = visibleText((view.blocks as Record<string, any>[]).filter((b) => b.block_id === 'home_days'));
    expectInOrder(week, [
      '本周的生日与重要日子*（2）',
      '今天客户',
      '开业纪念日* 12月20日 · 今天 · 6 周年',
      '本周客户',
      '生日* 12月24日 · 还有 4 天 · 满 50 岁',
    ]);
    expect(week).not.toContain('下周客户');
  });

  it('says none this week when there is none', async () => {
    const view = await h.openHome({ teamId: TEAM_A.teamId, userId: 'U7NOBODY' });
    const week = visibleText((view.blocks as Record<string, any>[]).filter((b) => b.block_id === 'home_days'));
    expect(week).toBe('*🎂 本周的生日与重要日子*（0）  暂无');
  });
});

describe('the lunar new year', () => {
  it('lists a 正月初一 birthday on its solar day, 2027-02-06, when asked on 2027-01-20', async () => {
    h.clock.set('2027-01-20T10:00:00+08:00');
    const spring: Actor = { teamId: TEAM_A.teamId, userId: 'U8SPRING' };
    await createCard(h, spring, { name: '春节客户', birthday: '正月初一' });
    const text = visibleText((await h.command('生日', spring)).args.blocks);
    expect(text).toContain('春节客户');
    expect(text).toContain('🎂 生日* 2月6日（农历正月初一） · 还有 17 天');
  });
});

describe('a day gone by', () => {
  it('rolls a card’s passed next day forward when listed, and lists it again the next year', async () => {
    const stored = async () => (await cards().findOne({ teamId: TEAM_A.teamId, name: '去年客户' }))!.nextOccasionOn;
    expect(await stored()).toBe('2026-12-22');
    // A year on, nobody edited the card: what it stores is a day long gone.
    h.clock.set('2027-12-01T10:00:00+08:00');
    expect(await stored()).toBe('2026-12-22');
    const text = visibleText((await h.command('生日', LATER)).args.blocks);
    expect(text).toContain('去年客户');
    expect(text).toContain('12月22日 · 还有 21 天');
    expect(await stored()).toBe('2027-12-22');
  });
});

describe('a long list', () => {
  it('shows what fits one message, each row with its button, and says how many more there are', () => {
    const row = (i: number): ComingRow => ({
      customer: { _id: new Types.ObjectId(), name: `${'&*<!here>'.repeat(11)}${i}`, number: `KH-2026-${i}` },
      day: {
        key: 'day:x',
        label: '*'.repeat(domain.occasions.labelMaxLength),
        occasion: { calendar: 'lunar', month: 12, day: 8, recurrence: 'yearly' },
        date: '2027-01-15',
        years: null,
      },
    });
    for (const locale of ['zh', 'en'] as const) {
      const rows = Array.from({ length: domain.occasions.listed }, (_, i) => row(i));
      const shown = renderBirthdayList(messagesFor(locale), { rows, total: 500 }, '2026-12-20', 30);
      expect(validateMessage(shown)).toEqual([]);
      const buttons = shown.blocks.filter((b) => b.type === 'section' && b.accessory).length;
      expect(buttons).toBeGreaterThan(0);
      expect(shown.blocks.at(-1)!.type).toBe('context');
      expect(visibleText(shown.blocks.slice(-1))).toContain(String(500 - buttons));
    }
  });
});
