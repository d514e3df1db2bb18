import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { NudgeRecord } from '../models/nudge.js';
import type { PoolList } from '../services/pool.js';
import { ACTION } from './ids.js';
import { todayIn } from '../time.js';
import { LIMITS } from './limits.js';
import { message, rowsWithin, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn, md, mention } from '../i18n/mrkdwn.js';
import { nudgeButtonValue } from './buttonValues.js';

type PoolCustomer = Pick<CustomerRecord, '_id' | 'name' | 'number'>;

/** What a pool warning states, read as it is posted. */
export interface PoolWarningFacts {
  /** Who is warned: the card's owner as it is now. */
  ownerId: string;
  lastContactDate?: string;
  daysSinceContact?: number;
  /** The team's thresholds as the warning is posted. */
  afterDays: number;
  graceDays: number;
}

/** Who is told that a card went to the pool: the owner it was released from. */
export interface PoolReleasedFacts {
  previousOwnerId: string;
  graceDays: number;
}

/** Claim: the card's id; the claim itself checks that it is still in the pool. */
export function claimButton(t: Messages, customerId: string): types.Button {
  return {
    type: 'button',
    action_id: ACTION.poolClaim,
    style: 'primary',
    text: plain(t.pool.claim, LIMITS.buttonText),
    value: customerId,
  };
}

/**
 * 公海 warning: no contact for N days; log one within the grace period or the card goes to the pool. No snooze: only a
 * contact keeps it.
 */
export function renderPoolWarning(
  t: Messages,
  customer: PoolCustomer,
  nudge: Pick<NudgeRecord, '_id' | 'version'>,
  facts: PoolWarningFacts,
): SlackMessage {
  const name = escapeMrkdwn(customer.name);
  const since = facts.lastContactDate
    ? t.pool.lastContact(escapeMrkdwn(facts.lastContactDate), facts.daysSinceContact ?? 0)
    : escapeMrkdwn(t.pool.neverContacted);
  const body = t.pool.warning(name, escapeMrkdwn(customer.number), facts.afterDays, facts.graceDays);
  return message(t.pool.warningText(name, facts.graceDays), [
    section(md`*${escapeMrkdwn(t.pool.warningTitle)}*\n${body}\n${since}`, LIMITS.sectionText),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.nudgeLogVisit,
          style: 'primary',
          text: plain(t.pool.logContact, LIMITS.buttonText),
          value: nudgeButtonValue(nudge),
        },
      ],
    },
  ]);
}

/** Told to the owner a card was released from, with Claim to take it back while it is still in the pool. */
export function renderPoolReleased(
  t: Messages,
  customer: PoolCustomer,
  { graceDays }: PoolReleasedFacts,
): SlackMessage {
  const text = t.pool.released(escapeMrkdwn(customer.name), escapeMrkdwn(customer.number), graceDays);
  return message(text, [
    section(text, LIMITS.sectionText),
    { type: 'actions', elements: [claimButton(t, customer._id.toString())] },
  ]);
}

/** `/card pool`: the team's pooled cards, longest in the pool first, each with Claim and a button to its card. */
export function renderPoolList(t: Messages, list: PoolList, timezone: string): SlackMessage {
  if (list.rows.length === 0)
    return message(escapeMrkdwn(t.pool.empty), [section(escapeMrkdwn(t.pool.empty), LIMITS.sectionText)]);
  const rows: types.KnownBlock[][] = list.rows.map((c) => {
    const id = c._id.toString();
    const last = escapeMrkdwn(c.lastContactDate ?? t.pool.never);
    const line = t.pool.row(
      escapeMrkdwn(todayIn(c.pooledAt, timezone)),
      last,
      mention(c.previousOwnerId, t.card.noOwner),
    );
    const where = [c.company, c.region].filter(Boolean).join(' · ');
    return [
      section(
        md`*${escapeMrkdwn(c.name)}*  \`${escapeMrkdwn(c.number)}\`${where ? md`  ${escapeMrkdwn(where)}` : md``}\n${line}`,
        LIMITS.sectionText,
      ),
      {
        type: 'actions' as const,
        elements: [
          claimButton(t, id),
          {
            type: 'button' as const,
            action_id: ACTION.openCard,
            text: plain(t.lookup.open, LIMITS.buttonText),
            value: id,
          },
        ],
      },
    ];
  });
  const intro = t.pool.listTitle(list.total);
  const head = [section(intro, LIMITS.sectionText)];
  // As many as fit one message's text; long names and escapes can make that fewer than listed.
  const { blocks, shown } = rowsWithin(head, rows);
  const footer: types.KnownBlock[] =
    list.total > shown ? [{ type: 'context', elements: [mrkdwn(t.pool.more(shown), LIMITS.contextText)] }] : [];
  return message(intro, [...head, ...blocks, ...footer]);
}
