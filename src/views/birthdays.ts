import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import { escapeMrkdwn, md, truncate, type Mrkdwn } from '../i18n/mrkdwn.js';
import type { ComingList, ComingRow } from '../services/occasions.js';
import type { CalendarDate } from '../time.js';
import { comingDayWhat, comingDayWhen } from './comingDays.js';
import { ACTION } from './ids.js';
import { LIMITS, PREVIEW } from './limits.js';
import { message, rowsWithin, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';

/** What the day is and when it falls: *🎂 生日* 1月5日 · 还有 16 天 · 满 36 岁 */
const dayText = (t: Messages, { day }: ComingRow, today: CalendarDate): Mrkdwn =>
  md`*${comingDayWhat(t, day)}* ${comingDayWhen(t, day, today)}`;

/** One day as a one-line list shows it (App Home): who, their number, what and when; a long name is cut. */
export function comingDayLine(t: Messages, row: ComingRow, today: CalendarDate): Mrkdwn {
  const name = escapeMrkdwn(truncate(row.customer.name, PREVIEW.homeName));
  return md`*${name}*  \`${escapeMrkdwn(row.customer.number)}\` · ${dayText(t, row, today)}`;
}

/**
 * `/card birthdays` (生日): the caller's customers' birthdays and important
 * days from today to `days` ahead, soonest first, each with a button to its
 * card; as many as fit one message, with how many more there are. None: how
 * to add them.
 */
export function renderBirthdayList(t: Messages, list: ComingList, today: CalendarDate, days: number): SlackMessage {
  const b = t.birthdays;
  if (list.total === 0)
    return message(escapeMrkdwn(b.none(days)), [section(escapeMrkdwn(b.none(days)), LIMITS.sectionText)]);
  const rows = list.rows.map((row): types.KnownBlock[] => [
    {
      ...section(
        md`*${escapeMrkdwn(row.customer.name)}*  \`${escapeMrkdwn(row.customer.number)}\`\n${dayText(t, row, today)}`,
        LIMITS.sectionText,
      ),
      accessory: {
        type: 'button',
        action_id: ACTION.openCard,
        text: plain(t.lookup.open, LIMITS.buttonText),
        value: row.customer._id.toString(),
      },
    },
  ]);
  const title = b.title(days, list.total);
  const head = [section(title, LIMITS.sectionText)];
  const { blocks, shown } = rowsWithin(head, rows);
  const footer: types.KnownBlock[] =
    list.total > shown
      ? [{ type: 'context', elements: [mrkdwn(b.more(shown, list.total - shown), LIMITS.contextText)] }]
      : [];
  return message(title, [...head, ...blocks, ...footer]);
}
