import type { types } from '@slack/bolt';
import type { FestivalId } from '../domain/occasions.js';
import type { Messages } from '../i18n/index.js';
import { escapeMrkdwn, joinMrkdwn, md, type Mrkdwn } from '../i18n/mrkdwn.js';
import type { CustomerRecord } from '../models/customer.js';
import { daysBetween, type CalendarDate } from '../time.js';
import { giftIdeas } from './greetingNudge.js';
import { ACTION } from './ids.js';
import { LIMITS } from './limits.js';
import { message, rowsWithin, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';

/** Why a customer is worth a festival gift: an ambassador, a 顶级 or 大 customer, a recent referrer, greeted last year. */
export type GiftReason = 'ambassador' | 'top' | 'large' | 'referrer' | 'greeted';

/** One customer on a gift list. */
export interface GiftRow {
  customer: Pick<CustomerRecord, '_id' | 'name' | 'number' | 'preferences' | 'interests'>;
  /** Every reason that holds, most important first: the first is the one that placed it. */
  reasons: GiftReason[];
}

/** What a festival's gift list states, read as it is posted. */
export interface FestivalGiftList {
  festival: FestivalId;
  /** The day the festival falls. */
  date: CalendarDate;
  today: CalendarDate;
  /** Most important first. */
  rows: GiftRow[];
  /** How many more are worth a gift than `rows` holds. */
  more: number;
}

/** When the festival falls: 9月15日 · 还有 10 天. */
function festivalWhen(t: Messages, date: CalendarDate, today: CalendarDate): Mrkdwn {
  const [, month, day] = date.split('-').map(Number) as [number, number, number];
  const parts = [t.occasions.solarDate(month, day), t.occasions.inDays(daysBetween(today, date))];
  return joinMrkdwn(parts.map(escapeMrkdwn), ' · ');
}

/** One customer: name and number, why they are listed, gift ideas from the card, and Log gift. */
function row(t: Messages, { customer, reasons }: GiftRow): types.KnownBlock[] {
  const why = joinMrkdwn(
    reasons.map((r) => escapeMrkdwn(t.festival.reasons[r])),
    ' · ',
  );
  const head = md`*${escapeMrkdwn(customer.name)}*  \`${escapeMrkdwn(customer.number)}\` · ${why}`;
  return [
    {
      ...section(md`${head}\n${giftIdeas(t, customer)}`, LIMITS.sectionText),
      accessory: {
        type: 'button',
        action_id: ACTION.logGift,
        text: plain(t.festival.logGift, LIMITS.buttonText),
        value: customer._id.toString(),
      },
    },
  ];
}

/**
 * 节日送礼清单: one message per salesperson and festival, to their DM: the
 * festival and when it falls, then the customers worth a gift, most
 * important first, each with why, gift ideas and Log gift; as many as fit
 * one message, with how many more.
 */
export function renderFestivalNudge(t: Messages, list: FestivalGiftList): SlackMessage {
  const f = t.festival;
  const name = escapeMrkdwn(t.occasions.festivals[list.festival]);
  const when = festivalWhen(t, list.date, list.today);
  const head = [section(md`${f.title(name, when)}\n${escapeMrkdwn(f.intro)}`, LIMITS.sectionText)];
  const { blocks, shown } = rowsWithin(
    head,
    list.rows.map((r) => row(t, r)),
  );
  const left = list.more + list.rows.length - shown;
  const footer: types.KnownBlock[] =
    left > 0 ? [{ type: 'context', elements: [mrkdwn(f.more(left), LIMITS.contextText)] }] : [];
  return message(f.text(name, when, list.rows.length + list.more), [...head, ...blocks, ...footer]);
}
