import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import type { AmbassadorList } from '../services/ambassadors.js';
import type { ReferralCount } from '../services/referrals.js';
import { ACTION } from './ids.js';
import { LIMITS } from './limits.js';
import { message, rowsWithin, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn, md, mention } from '../i18n/mrkdwn.js';

/**
 * `/card ambassadors`: the team's ambassadors, next contact due first, each
 * with a button to its card and how many customers each one referred
 * (`referralCounts`, by card id), and how many of those bought.
 */
export function renderAmbassadorList(
  t: Messages,
  list: AmbassadorList,
  referralCounts: ReadonlyMap<string, ReferralCount>,
): SlackMessage {
  const a = t.ambassador;
  if (list.rows.length === 0) return message(escapeMrkdwn(a.none), [section(escapeMrkdwn(a.none), LIMITS.sectionText)]);
  const rows: types.KnownBlock[][] = list.rows.map(({ customer, nextDue }): types.KnownBlock[] => {
    const id = customer._id.toString();
    const last = escapeMrkdwn(customer.lastContactDate ?? a.never);
    const { count, deals } = referralCounts.get(id) ?? { count: 0, deals: 0 };
    const referrals = a.referrals(count, deals);
    const owner = mention(customer.ownerId, t.card.noOwner);
    return [
      {
        type: 'section',
        text: mrkdwn(
          md`*${escapeMrkdwn(customer.name)}*  \`${escapeMrkdwn(customer.number)}\`  ${owner}\n${a.row(last, escapeMrkdwn(nextDue))}${referrals}`,
          LIMITS.sectionText,
        ),
        accessory: {
          type: 'button',
          action_id: ACTION.openCard,
          text: plain(t.lookup.open, LIMITS.buttonText),
          value: id,
        },
      },
    ];
  });
  const intro = a.listTitle(list.total);
  const head = [section(intro, LIMITS.sectionText)];
  const { blocks, shown } = rowsWithin(head, rows);
  const footer: types.KnownBlock[] =
    list.more || shown < rows.length
      ? [{ type: 'context', elements: [mrkdwn(a.more(shown), LIMITS.contextText)] }]
      : [];
  return message(intro, [...head, ...blocks, ...footer]);
}
