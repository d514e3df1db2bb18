import type { types } from '@slack/bolt';
import { formatFen } from '../domain/money.js';
import { TIERS } from '../domain/segments.js';
import type { Messages } from '../i18n/index.js';
import type {
  DueRow,
  HomeCustomer,
  HomeData,
  HomeList,
  OverdueRow,
  PyramidBucket,
  ThanksRow,
} from '../services/home.js';
import { PYRAMID_BUCKETS } from '../services/home.js';
import { comingDayLine } from './birthdays.js';
import { ACTION } from './ids.js';
import { header } from './inputs.js';
import { renderSettingsSection, type SettingsSection } from './settings.js';
import { LIMITS, PREVIEW } from './limits.js';
import { mrkdwn, plain, section } from './text.js';
import { appMrkdwn, escapeMrkdwn, joinMrkdwn, md, truncate, type Mrkdwn } from '../i18n/mrkdwn.js';

type Block = types.KnownBlock;

/** Where the rest of a list is: a command that lists it all, or the reminders themselves. */
type More = { command: string } | 'reminders';

const nameAndNumber = (c: HomeCustomer): Mrkdwn => md`*${escapeMrkdwn(c.name)}*  \`${escapeMrkdwn(c.number)}\``;

/** Open the card and read its brief: the two things one does with a customer from Home. */
function cardButtons(t: Messages, customer: HomeCustomer, blockId: string): types.ActionsBlock {
  const value = customer._id.toString();
  return {
    type: 'actions',
    block_id: blockId,
    elements: [
      { type: 'button', action_id: ACTION.openCard, text: plain(t.lookup.open, LIMITS.buttonText), value },
      { type: 'button', action_id: ACTION.cardBrief, text: plain(t.home.brief, LIMITS.buttonText), value },
    ],
  };
}

/**
 * A titled list: its first rows (each with its card's buttons) and a line
 * saying how many more there are and where to see them; an empty list is
 * its title alone. At most 2 + 2 × rowsShown blocks.
 */
function list<Row>(
  t: Messages,
  id: string,
  title: (count: number) => Mrkdwn,
  { rows, total }: HomeList<Row>,
  row: (r: Row) => { text: Mrkdwn; customer: HomeCustomer },
  more: More,
): Block[] {
  const heading = section(
    total === 0 ? md`${title(0)}  ${escapeMrkdwn(t.home.none)}` : title(total),
    LIMITS.sectionText,
  );
  const blocks: Block[] = [{ ...heading, block_id: `home_${id}` }];
  rows.forEach((r, i) => {
    const { text, customer } = row(r);
    blocks.push(
      { ...section(text, LIMITS.sectionText), block_id: `home_${id}_${i}` },
      cardButtons(t, customer, `home_${id}_${i}_buttons`),
    );
  });
  const rest = total - rows.length;
  if (rest > 0) {
    const note =
      more === 'reminders' ? t.home.moreReminders(rest) : t.home.moreIn(rest, md`\`${escapeMrkdwn(more.command)}\``);
    blocks.push({ type: 'context', block_id: `home_${id}_more`, elements: [mrkdwn(note, LIMITS.contextText)] });
  }
  return blocks;
}

function dueRow(t: Messages) {
  return (r: DueRow) => {
    const plan = r.plan ? md` · ${escapeMrkdwn(truncate(r.plan, PREVIEW.fieldValue))}` : md``;
    return {
      customer: r.customer,
      text: md`${nameAndNumber(r.customer)} · ${t.home.due(escapeMrkdwn(r.dueDate))}${plan}`,
    };
  };
}

const overdueRow = (t: Messages) => (r: OverdueRow) => ({
  customer: r.customer,
  text: md`${nameAndNumber(r.customer)} · ${t.home.overdueRow(escapeMrkdwn(formatFen(r.overdueFen)), r.oldestDays)}`,
});

const thanksRow = (t: Messages) => (r: ThanksRow) => ({
  customer: r.referrer,
  text: t.home.thanksRow(escapeMrkdwn(r.referrer.name), escapeMrkdwn(r.referred.name)),
});

/**
 * This week's birthdays and important days of the viewer's customers: one
 * line each under the title, in one block, then how many more there are and
 * the command that lists them. At most 2 blocks.
 */
function daysThisWeek(t: Messages, home: HomeData): Block[] {
  const { rows, total } = home.daysThisWeek;
  const title = total === 0 ? md`${t.home.daysThisWeek(0)}  ${escapeMrkdwn(t.home.none)}` : t.home.daysThisWeek(total);
  const lines = rows.map((row) => md`• ${comingDayLine(t, row, home.today)}`);
  const blocks: Block[] = [
    { ...section(joinMrkdwn([title, ...lines], '\n'), LIMITS.sectionText), block_id: 'home_days' },
  ];
  const rest = total - rows.length;
  if (rest > 0) {
    const note = t.home.moreIn(rest, md`\`${escapeMrkdwn('/card birthdays')}\``);
    blocks.push({ type: 'context', block_id: 'home_days_more', elements: [mrkdwn(note, LIMITS.contextText)] });
  }
  return blocks;
}

function bucketLabel(t: Messages, bucket: PyramidBucket): string {
  if (bucket === 'unranked') return t.home.unranked;
  if (bucket === 'inactive' || bucket === 'potential' || bucket === 'doubtful') return t.options.segment[bucket];
  return t.options.tier[bucket];
}

/** A title and one line of figures, in one block. */
const figures = (title: string, parts: Mrkdwn[]): Block =>
  section(md`${appMrkdwn(title)}\n${joinMrkdwn(parts, ' · ')}`, LIMITS.sectionText);

/**
 * The viewer's App Home: their day (follow-ups, contacts, ambassadors,
 * promises, this week's birthdays, overdue money, pyramid), a card search, and the team's figures
 * (tiers, overdue money, the pool, referrers to thank).
 * Every list shows domain.home.rowsShown rows at most, so the view stays
 * under Block Kit's 100 blocks whatever the data.
 */
export function renderHome(t: Messages, home: HomeData, settings: SettingsSection): types.HomeView {
  const h = t.home;
  const reminders = 'reminders' as const;
  const blocks: Block[] = [
    header(h.title),
    {
      type: 'actions',
      block_id: 'home_search',
      elements: [
        {
          type: 'external_select',
          action_id: ACTION.cardPicker,
          placeholder: plain(h.searchPlaceholder, LIMITS.placeholder),
          min_query_length: 1,
        },
      ],
    },
    header(h.mine),
    ...list(t, 'followups_overdue', h.followUpsOverdue, home.followUpsOverdue, dueRow(t), reminders),
    ...list(t, 'followups_today', h.followUpsToday, home.followUpsToday, dueRow(t), reminders),
    ...list(t, 'contact', h.contactDue, home.contactDue, dueRow(t), reminders),
    ...list(t, 'ambassadors', h.ambassadorsDue, home.ambassadorsDue, dueRow(t), { command: '/card ambassadors' }),
    ...list(t, 'promises', h.promisesDue, home.promisesDue, dueRow(t), reminders),
    ...daysThisWeek(t, home),
    ...list(
      t,
      'overdue',
      (n) => h.overdue(n, escapeMrkdwn(formatFen(home.overdue.totalFen))),
      home.overdue,
      overdueRow(t),
      { command: '/card overdue' },
    ),
    figures(
      h.pyramid,
      PYRAMID_BUCKETS.map((b) => h.bucket(escapeMrkdwn(bucketLabel(t, b)), home.pyramid[b])),
    ),
    { type: 'divider' },
    header(h.team),
    figures(
      h.tiers,
      TIERS.map((tier) => h.bucket(escapeMrkdwn(t.options.tier[tier]), home.team.tiers[tier])),
    ),
    figures(
      h.quadrants,
      (Object.keys(t.overdue.quadrant) as (keyof typeof t.overdue.quadrant)[]).map((q) =>
        h.quadrant(escapeMrkdwn(t.overdue.quadrant[q]), escapeMrkdwn(formatFen(home.team.overdueByQuadrant[q]))),
      ),
    ),
    { ...section(h.pool(home.team.pooled), LIMITS.sectionText), block_id: 'home_pool' },
    ...list(t, 'thanks', h.awaitingThanks, home.team.awaitingThanks, thanksRow(t), { command: '/card referrals' }),
    { type: 'divider' },
    ...renderSettingsSection(t, settings),
  ];
  return { type: 'home', blocks };
}
