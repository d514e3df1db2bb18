import type { types } from '@slack/bolt';
import { formatFen } from '../domain/money.js';
import type { Messages } from '../i18n/index.js';
import type { OverdueItem } from '../services/money.js';
import { ACTION } from './ids.js';
import { LIMITS } from './limits.js';
import { message, rowsWithin, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn, md } from '../i18n/mrkdwn.js';

/** `/card overdue`: the team's overdue receivables in collection order, each with a button to its card. */
export function renderOverdueList(t: Messages, items: OverdueItem[]): SlackMessage {
  const o = t.overdue;
  if (items.length === 0) return message(escapeMrkdwn(o.none), [section(escapeMrkdwn(o.none), LIMITS.sectionText)]);
  const rows: types.KnownBlock[][] = items.map((item): types.KnownBlock[] => [
    {
      type: 'section',
      text: mrkdwn(
        md`*${escapeMrkdwn(item.customer.name)}*  \`${escapeMrkdwn(item.customer.number)}\`\n${o.row(escapeMrkdwn(formatFen(item.outstandingFen)), item.days, escapeMrkdwn(item.dueDate), escapeMrkdwn(o.quadrant[item.quadrant]))}`,
        LIMITS.sectionText,
      ),
      accessory: {
        type: 'button',
        action_id: ACTION.openCard,
        text: plain(t.lookup.open, LIMITS.buttonText),
        value: item.customer._id.toString(),
      },
    },
  ]);
  const intro = o.listTitle(items.length);
  const head = [section(intro, LIMITS.sectionText)];
  const { blocks, shown } = rowsWithin(head, rows);
  const footer: types.KnownBlock[] =
    shown < rows.length ? [{ type: 'context', elements: [mrkdwn(o.listMore(shown), LIMITS.contextText)] }] : [];
  return message(intro, [...head, ...blocks, ...footer]);
}
