import type { types } from '@slack/bolt';
import { segmentOf } from '../domain/segments.js';
import { formatFen } from '../domain/money.js';
import type { Messages } from '../i18n/index.js';
import { regionKey, type PlanCustomer, type PlanRow, type VisitPlan } from '../services/visitPlan.js';
import { ACTION } from './ids.js';
import { LIMITS, PREVIEW } from './limits.js';
import { message, rowsWithin, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn, joinMrkdwn, md, truncate, type Mrkdwn } from '../i18n/mrkdwn.js';

/** The tier of a ranked customer, else the segment (a first sale not yet ranked shows as current). */
function levelOf(t: Messages, c: PlanCustomer): string {
  const segment = segmentOf(c);
  return segment === 'current' && c.tier ? t.options.tier[c.tier] : t.options.segment[segment];
}

function when(t: Messages, overdueDays: number): Mrkdwn {
  if (overdueDays > 0) return t.plan.overdue(overdueDays);
  return overdueDays === 0 ? escapeMrkdwn(t.plan.dueToday) : t.plan.dueIn(-overdueDays);
}

/** One customer: who, how key and how due, what was asked for, what is owed and promised; then its buttons. */
function rowBlocks(t: Messages, row: PlanRow): types.KnownBlock[] {
  const { customer: c } = row;
  const id = c._id.toString();
  const facts = [
    escapeMrkdwn(levelOf(t, c)),
    when(t, row.overdueDays),
    ...(row.overdueFen > 0 ? [t.plan.owed(escapeMrkdwn(formatFen(row.overdueFen)))] : []),
    ...(row.openPromises > 0 ? [t.plan.promises(row.openPromises)] : []),
  ];
  const needs = row.needs
    ? t.plan.needs(escapeMrkdwn(truncate(row.needs, PREVIEW.planNeeds)))
    : escapeMrkdwn(t.plan.noNeeds);
  const text = md`*${escapeMrkdwn(c.name)}*  \`${escapeMrkdwn(c.number)}\`\n${joinMrkdwn(facts, ' · ')}\n${needs}`;
  return [
    section(text, LIMITS.sectionText),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.openCard,
          text: plain(t.plan.open, LIMITS.buttonText),
          value: id,
          style: 'primary',
        },
        { type: 'button', action_id: ACTION.cardBrief, text: plain(t.plan.brief, LIMITS.buttonText), value: id },
      ],
    },
  ];
}

/** Rows by region, each region where its most key customer ranks. */
function byRegion(rows: PlanRow[]): { region: string; rows: PlanRow[] }[] {
  const groups = new Map<string, { region: string; rows: PlanRow[] }>();
  for (const row of rows) {
    const key = regionKey(row.customer.region);
    const group = groups.get(key) ?? { region: row.customer.region?.trim() ?? '', rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * `/card plan [region]`: the caller's customers due or nearly due for
 * contact, key customers first; without a region, grouped by region. At
 * most 1 + 15 × 3 + 1 blocks (domain.cadence.planListed).
 */
export function renderVisitPlan(t: Messages, plan: VisitPlan): SlackMessage {
  const count = plan.rows.length + plan.more;
  const region = plan.region === undefined ? undefined : escapeMrkdwn(plan.region);
  if (count === 0) {
    const none = region === undefined ? escapeMrkdwn(t.plan.noneAll) : t.plan.none(region);
    return message(none, [section(none, LIMITS.sectionText)]);
  }
  const title = region === undefined ? t.plan.titleAll(count) : t.plan.title(region, count);
  // A region's heading travels with its first row; rows past one message's text are counted with the rest.
  const rows: types.KnownBlock[][] =
    region === undefined
      ? byRegion(plan.rows).flatMap((g) =>
          g.rows.map((row, i) => [
            ...(i === 0
              ? [section(t.plan.region(escapeMrkdwn(g.region || t.plan.noRegion), g.rows.length), LIMITS.sectionText)]
              : []),
            ...rowBlocks(t, row),
          ]),
        )
      : plan.rows.map((row) => rowBlocks(t, row));
  const head = [section(title, LIMITS.sectionText)];
  const { blocks, shown } = rowsWithin(head, rows);
  const left = plan.more + rows.length - shown;
  const more: types.KnownBlock[] =
    left > 0 ? [{ type: 'context', elements: [mrkdwn(t.plan.more(left), LIMITS.contextText)] }] : [];
  return message(title, [...head, ...blocks, ...more]);
}
