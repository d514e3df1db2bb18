import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import { completeness } from '../domain/completeness.js';
import { segmentOf } from '../domain/segments.js';
import { occasionsOf } from '../domain/occasions.js';
import { formatFen } from '../domain/money.js';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { NudgeRecord } from '../models/nudge.js';
import type { PromiseRecord } from '../models/promise.js';
import type { VisitRecord } from '../models/visit.js';
import type { CardData } from '../services/cards.js';
import type { MoneySummary } from '../services/money.js';
import type { CalendarDate } from '../time.js';
import { ACTION } from './ids.js';
import { referralBlocks, referralButtons } from './cardReferrals.js';
import { promiseButtonValue } from './buttonValues.js';
import { optionLabel } from './fieldValues.js';
import { claimButton } from './pool.js';
import { cardOccasionLine } from './comingDays.js';
import { LIMITS, PREVIEW } from './limits.js';
import { message, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn, joinMrkdwn, md, mention, truncate, type Mrkdwn } from '../i18n/mrkdwn.js';

function labelled(label: string, value: string | undefined): types.MrkdwnElement[] {
  return value ? [mrkdwn(md`*${escapeMrkdwn(label)}*\n${escapeMrkdwn(value)}`, LIMITS.fieldText)] : [];
}

/**
 * 客户分层 as computed: the job's tier and class once ranked, else what the
 * card itself says (segmentOf). The one category shown for a customer, on the
 * card, the brief, Home and the export alike.
 */
export function segmentLabel(t: Messages, c: CustomerRecord): string {
  if (c.segment === 'current' && c.tier && c.abc) return `${t.options.tier[c.tier]} · ${t.options.abc[c.abc]}`;
  return t.options.segment[segmentOf(c)];
}

/**
 * A card opened with a hand-chosen status (earlier versions' form) that the
 * records do not bear out yet, say 现有客户 with no sale recorded: why it
 * reads as it does, and what updates it. Nothing when they agree.
 */
export function statusNote(t: Messages, c: CustomerRecord): Mrkdwn | undefined {
  // Once a sale is recorded (a stored segment), the records speak for themselves.
  if (!c.status || c.segment || c.status === segmentOf(c)) return undefined;
  return t.card.statusAsEntered(escapeMrkdwn(t.options.segment[c.status]));
}

function summaryLine(t: Messages, c: CustomerRecord): Mrkdwn {
  const parts = [
    md`\`${escapeMrkdwn(c.number)}\``,
    c.pooledAt
      ? md`*${escapeMrkdwn(t.pool.badge)}*`
      : md`${escapeMrkdwn(t.card.owner)} ${mention(c.ownerId, t.card.noOwner)}`,
    ...[segmentLabel(t, c), optionLabel(t, 'stage', c.stage), c.ambassador ? `⭐ ${t.fields.ambassador}` : undefined]
      .filter((p): p is string => Boolean(p))
      .map(escapeMrkdwn),
  ];
  return joinMrkdwn(parts, ' · ');
}

const contextIf = (text: Mrkdwn | undefined): types.KnownBlock[] =>
  text ? [{ type: 'context', elements: [mrkdwn(text, LIMITS.contextText)] }] : [];

function contactBlock(t: Messages, c: CustomerRecord): types.KnownBlock[] {
  const fields = [
    ...labelled(t.fields.company, [c.company, c.title].filter(Boolean).join(' · ') || undefined),
    ...labelled(t.fields.phone, c.phone),
    ...labelled(t.fields.region, c.region),
    ...labelled(t.fields.address, c.address),
    ...labelled(t.card.lastContact, c.lastContactDate),
  ];
  return fields.length > 0 ? [{ type: 'section', fields }] : [];
}

/**
 * What is left of the credit limit, or, past it, by how much it is exceeded, with a warning: never a negative "left".
 */
export function creditLeft(t: Messages, limitFen: number, headroomFen: number): Mrkdwn {
  const limit = escapeMrkdwn(formatFen(limitFen));
  return headroomFen < 0
    ? t.money.overLimitBy(limit, escapeMrkdwn(formatFen(-headroomFen)))
    : t.money.headroom(limit, escapeMrkdwn(formatFen(headroomFen)));
}

function creditBlock(t: Messages, c: CustomerRecord, money: MoneySummary): types.KnownBlock[] {
  const rating = optionLabel(t, 'creditRating', c.creditRating);
  const fields = [
    ...labelled(t.fields.creditRating, c.creditRating === 'low' ? `${rating} ${t.money.lowCredit}` : rating),
    ...labelled(t.card.creditLimit, c.creditLimitFen === undefined ? undefined : formatFen(c.creditLimitFen)),
    ...labelled(t.fields.paymentTerms, c.paymentTerms),
    ...labelled(t.fields.paymentMethod, c.paymentMethod),
  ];
  if (money.creditLimitFen !== undefined && money.headroomFen !== undefined) {
    fields.push(mrkdwn(creditLeft(t, money.creditLimitFen, money.headroomFen), LIMITS.fieldText));
  }
  return fields.length > 0 ? [{ type: 'section', fields }] : [];
}

/** 生日与重要日子: each of the customer's days, and when it next falls. */
function occasionsBlock(
  t: Messages,
  c: CustomerRecord,
  today: CalendarDate,
  titled: (title: string, body: Mrkdwn) => types.KnownBlock,
): types.KnownBlock[] {
  const lines = occasionsOf(c).map((o) => cardOccasionLine(t, o, today));
  return lines.length > 0 ? [titled(t.occasions.cardTitle, joinMrkdwn(lines, '\n'))] : [];
}

/** 往来账: what the customer owes, how late, what they bought this year and last. */
function moneyBlock(t: Messages, m: MoneySummary): types.KnownBlock[] {
  if (m.outstandingFen === 0 && !m.lastSale) return [];
  const overdue =
    m.overdueFen > 0
      ? t.money.overdue(escapeMrkdwn(formatFen(m.overdueFen)), m.oldestOverdueDays ?? 0)
      : escapeMrkdwn(t.money.noOverdue);
  const year = `${formatFen(m.yearSalesFen)} · ${t.money.yearProfit} ${formatFen(m.yearProfitFen)}`;
  const fields = [
    ...labelled(t.money.outstanding, formatFen(m.outstandingFen)),
    mrkdwn(overdue, LIMITS.fieldText),
    ...labelled(t.money.yearSales, year),
    ...(m.lastSale
      ? [
          mrkdwn(
            t.money.lastSale(escapeMrkdwn(m.lastSale.product), m.lastSale.quantity, escapeMrkdwn(m.lastSale.date)),
            LIMITS.fieldText,
          ),
        ]
      : []),
  ];
  return [{ type: 'section', text: mrkdwn(md`*${escapeMrkdwn(t.money.section)}*`, LIMITS.sectionText), fields }];
}

function visitLine(t: Messages, v: VisitRecord): Mrkdwn {
  const head = t.visit.line(
    escapeMrkdwn(v.date),
    escapeMrkdwn(optionLabel(t, 'visitKind', v.kind) ?? v.kind),
    mention(v.createdBy, ''),
  );
  const body = [v.notes, v.needs].filter(Boolean).map((s) => escapeMrkdwn(truncate(String(s), PREVIEW.cardVisitText)));
  return joinMrkdwn([md`• ${head}`, ...body.map((b) => md`   ${b}`)], '\n');
}

function followUpText(t: Messages, f: NudgeRecord | null, asked: CalendarDate | undefined): Mrkdwn {
  if (!f) return escapeMrkdwn(t.card.noFollowUp);
  const moved = asked ? md`\n${t.card.followUpMoved(escapeMrkdwn(asked), escapeMrkdwn(f.dueDate))}` : md``;
  const plan = f.plan ? md` · ${escapeMrkdwn(f.plan)}` : md``;
  const warning =
    f.status === 'failed'
      ? md`\n${t.card.followUpGaveUp(escapeMrkdwn(f.lastError ?? ''))}`
      : f.lastError && f.status === 'pending'
        ? md`\n${t.card.followUpFailed(escapeMrkdwn(f.lastError))}`
        : md``;
  return md`${escapeMrkdwn(f.dueDate)}${plan}${moved}${warning}`;
}

/** 未兑现的承诺: each on its own line with a Kept button; overdue ones (first, as sorted) flagged. */
function promiseBlocks(t: Messages, promises: PromiseRecord[], today: CalendarDate): types.KnownBlock[] {
  const title = md`*${escapeMrkdwn(t.card.openPromises)}*`;
  if (promises.length === 0) return [section(md`${title}\n${escapeMrkdwn(t.card.noPromises)}`, LIMITS.sectionText)];
  const line = (p: PromiseRecord) => {
    const text = t.promise.line(escapeMrkdwn(p.dueDate), escapeMrkdwn(p.text));
    return p.dueDate < today ? md`${text} · ${escapeMrkdwn(t.promise.overdue)}` : text;
  };
  return [
    section(title, LIMITS.sectionText),
    ...promises.map((p) => ({
      ...section(line(p), LIMITS.sectionText),
      accessory: {
        type: 'button' as const,
        action_id: ACTION.promiseKept,
        text: plain(t.promise.kept, LIMITS.buttonText),
        value: promiseButtonValue({ from: 'card', id: p._id.toString() }),
      },
    })),
  ];
}

function completenessLine(t: Messages, c: CustomerRecord): Mrkdwn {
  const { percent, missing } = completeness(c as unknown as Record<string, unknown>);
  const top = missing
    .slice(0, domain.card.missingFieldsShown)
    .map((key) => t.fields[key as keyof Messages['fields']] ?? key);
  return top.length > 0
    ? md`${t.card.completeness(percent)} · ${t.card.missing(escapeMrkdwn(top.join(t.punct.list)))}`
    : t.card.completeness(percent);
}

/** What the person a card is shown to may do with it beyond everyone's buttons. */
export interface CardViewerRights {
  /** Its owner, the manager or an admin: only they are offered Reassign. */
  mayReassign: boolean;
}

export function renderCard(
  t: Messages,
  { customer: c, lastVisits, openPromises, nextFollowUp, money, referrals, today, followUpAsked }: CardData,
  viewer: CardViewerRights = { mayReassign: false },
): SlackMessage {
  const id = c._id.toString();
  const visits =
    lastVisits.length > 0
      ? joinMrkdwn(
          lastVisits.map((v) => visitLine(t, v)),
          '\n',
        )
      : escapeMrkdwn(t.card.noVisits);
  const titled = (title: string, body: Mrkdwn) => section(md`*${escapeMrkdwn(title)}*\n${body}`, LIMITS.sectionText);
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain(c.name, LIMITS.headerText) },
    { type: 'context', elements: [mrkdwn(summaryLine(t, c), LIMITS.contextText)] },
    ...contextIf(statusNote(t, c)),
    ...contactBlock(t, c),
    ...(c.preferences ? [titled(t.card.preferences, escapeMrkdwn(c.preferences))] : []),
    ...occasionsBlock(t, c, today, titled),
    ...(c.notes ? [titled(t.fields.notes, escapeMrkdwn(truncate(c.notes, PREVIEW.cardNotes)))] : []),
    ...creditBlock(t, c, money),
    ...moneyBlock(t, money),
    ...referralBlocks(t, c, referrals),
    { type: 'divider' },
    titled(t.card.lastVisits, visits),
    titled(t.card.nextFollowUp, followUpText(t, nextFollowUp, followUpAsked)),
    ...promiseBlocks(t, openPromises, today),
    { type: 'context', elements: [mrkdwn(completenessLine(t, c), LIMITS.contextText)] },
    {
      type: 'actions',
      elements: [
        ...(c.pooledAt ? [claimButton(t, id)] : []),
        { type: 'button', action_id: ACTION.editCard, text: plain(t.card.edit, LIMITS.buttonText), value: id },
        { type: 'button', action_id: ACTION.cardBrief, text: plain(t.brief.button, LIMITS.buttonText), value: id },
        {
          type: 'button',
          action_id: ACTION.logVisit,
          style: 'primary',
          text: plain(t.card.logVisit, LIMITS.buttonText),
          value: id,
        },
        { type: 'button', action_id: ACTION.recordSale, text: plain(t.money.recordSale, LIMITS.buttonText), value: id },
        ...(money.outstandingFen > 0
          ? [
              {
                type: 'button' as const,
                action_id: ACTION.recordPayment,
                text: plain(t.money.recordPayment, LIMITS.buttonText),
                value: id,
              },
            ]
          : []),
        ...(money.lastSale || money.outstandingFen > 0
          ? [
              {
                type: 'button' as const,
                action_id: ACTION.recordAdjustment,
                text: plain(t.money.recordAdjustment, LIMITS.buttonText),
                value: id,
              },
              {
                type: 'button' as const,
                action_id: ACTION.money,
                text: plain(t.money.moneyButton, LIMITS.buttonText),
                value: id,
              },
            ]
          : []),
        ...referralButtons(t, c, referrals),
        { type: 'button', action_id: ACTION.history, text: plain(t.card.history, LIMITS.buttonText), value: id },
        ...(viewer.mayReassign
          ? [
              {
                type: 'button' as const,
                action_id: ACTION.reassign,
                text: plain(t.handover.reassign, LIMITS.buttonText),
                value: id,
              },
            ]
          : []),
      ],
    },
  ];
  return message(t.card.fallback(escapeMrkdwn(c.name), escapeMrkdwn(c.number)), blocks);
}
