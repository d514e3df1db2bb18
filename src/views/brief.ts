import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import { formatFen } from '../domain/money.js';
import { daysComing } from '../domain/occasions.js';
import { occasionDateText } from '../i18n/occasionText.js';
import { addDays } from '../time.js';
import { comingDayWhat, comingDayWhen } from './comingDays.js';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Brief } from '../services/briefs.js';
import type { MoneySummary } from '../services/money.js';
import { ACTION } from './ids.js';
import { creditLeft, segmentLabel, statusNote } from './card.js';
import { optionLabel } from './fieldValues.js';
import { LIMITS, PREVIEW } from './limits.js';
import { message, type SlackMessage } from './message.js';
import { outcomeText } from './referralNudge.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn, joinMrkdwn, md, mention, truncate, type Mrkdwn } from '../i18n/mrkdwn.js';

/** User text as the brief quotes it: escaped, and short enough that one long note cannot push the rest off. */
const quote = (text: string | number) => escapeMrkdwn(truncate(String(text), PREVIEW.briefText));

/** `*label* value`, or nothing when the value is not set. */
function labelled(label: string, value: string | number | undefined | null): Mrkdwn[] {
  return value == null || value === '' ? [] : [md`*${escapeMrkdwn(label)}* ${quote(value)}`];
}

/** Every section is always there, titled, saying briefly when it has nothing: an empty one is news too. */
function titled(title: string, lines: Mrkdwn[], empty = ''): types.SectionBlock {
  const body = lines.length > 0 ? joinMrkdwn(lines, '\n') : escapeMrkdwn(empty);
  return section(md`*${escapeMrkdwn(title)}*\n${body}`, LIMITS.sectionText);
}

function whoLine(t: Messages, c: CustomerRecord): Mrkdwn {
  const parts = [
    md`\`${escapeMrkdwn(c.number)}\``,
    ...[[c.company, c.title].filter(Boolean).join(' · '), c.phone].filter((p): p is string => Boolean(p)).map(quote),
    md`${escapeMrkdwn(t.card.owner)} ${mention(c.ownerId, t.card.noOwner)}`,
    ...labelled(t.fields.style, optionLabel(t, 'style', c.style)),
  ];
  return joinMrkdwn(parts, ' · ');
}

function talkAbout(t: Messages, c: CustomerRecord): Mrkdwn[] {
  return [
    ...labelled(t.card.preferences, c.preferences),
    ...labelled(t.fields.family, c.family),
    ...labelled(t.fields.interests, c.interests),
    ...labelled(t.fields.birthday, c.birthday && occasionDateText(t, c.birthday)),
  ];
}

/** A birthday or important day within domain.occasions.briefDays: something to mention, or to bring. */
function comingDays(t: Messages, { customer, today }: Brief): Mrkdwn[] {
  return daysComing(customer, today, addDays(today, domain.occasions.briefDays)).map(
    (day) => md`*${comingDayWhat(t, day)}* ${comingDayWhen(t, day, today)}`,
  );
}

function purchase(t: Messages, { money, stockVisit: v }: Brief): Mrkdwn[] {
  const sale = money.lastSale
    ? [t.brief.lastSale(quote(money.lastSale.product), money.lastSale.quantity, escapeMrkdwn(money.lastSale.date))]
    : [];
  if (!v) return sale;
  const checked = [
    ...labelled(t.visit.lastPurchaseDate, v.lastPurchaseDate),
    ...labelled(t.visit.purchaseKinds, v.purchaseKinds),
    ...labelled(t.visit.purchaseQuantity, v.purchaseQuantity),
    ...labelled(t.visit.stockOnHand, v.stockOnHand),
  ];
  return [...sale, t.brief.checkedOn(escapeMrkdwn(v.date), joinMrkdwn(checked, ' · '))];
}

function lastVisit(t: Messages, { lastVisit: v }: Brief): Mrkdwn[] {
  if (!v) return [];
  return [
    t.visit.line(
      escapeMrkdwn(v.date),
      escapeMrkdwn(optionLabel(t, 'visitKind', v.kind) ?? v.kind),
      mention(v.createdBy, ''),
    ),
    ...labelled(t.visit.needs, v.needs),
    ...labelled(t.visit.attitude, optionLabel(t, 'attitude', v.attitude)),
    ...labelled(t.visit.visitWelcome, optionLabel(t, 'visitWelcome', v.visitWelcome)),
    ...labelled(t.visit.notes, v.notes),
  ];
}

function promises(t: Messages, { openPromises, today }: Brief): Mrkdwn[] {
  return openPromises.map((p) => {
    const line = t.promise.line(escapeMrkdwn(p.dueDate), quote(p.text));
    return p.dueDate < today ? md`${line} · ${escapeMrkdwn(t.promise.overdue)}` : line;
  });
}

/** What is owed and how late, then how much more may go on credit; warned when nothing may. */
function money(t: Messages, c: CustomerRecord, m: MoneySummary): Mrkdwn[] {
  const owed =
    m.outstandingFen > 0
      ? [
          md`*${escapeMrkdwn(t.money.outstanding)}* ${escapeMrkdwn(formatFen(m.outstandingFen))}`,
          m.overdueFen > 0
            ? t.money.overdue(escapeMrkdwn(formatFen(m.overdueFen)), m.oldestOverdueDays ?? 0)
            : escapeMrkdwn(t.money.noOverdue),
        ]
      : [escapeMrkdwn(t.brief.noDebt)];
  const credit =
    m.creditLimitFen === undefined || m.headroomFen === undefined
      ? [escapeMrkdwn(t.brief.noLimit)]
      : [
          creditLeft(t, m.creditLimitFen, m.headroomFen),
          ...(m.headroomFen <= 0 ? [escapeMrkdwn(t.brief.overLimit)] : []),
        ];
  const rating = c.creditRating === 'low' ? [escapeMrkdwn(t.money.lowCredit)] : [];
  return [...owed, ...credit, ...rating, ...labelled(t.fields.paymentTerms, c.paymentTerms)];
}

function thanks(t: Messages, { awaitingThanks, moreAwaitingThanks }: Brief): Mrkdwn[] {
  return [
    ...awaitingThanks.map(({ referral, referred }) =>
      t.referral.awaitingRow(quote(referred.name), escapeMrkdwn(referred.number), outcomeText(t, referral)),
    ),
    ...(moreAwaitingThanks > 0 ? [t.referral.moreAwaiting(moreAwaitingThanks)] : []),
  ];
}

function tier(t: Messages, c: CustomerRecord): Mrkdwn[] {
  const note = statusNote(t, c);
  return [
    escapeMrkdwn(segmentLabel(t, c)),
    ...(c.ambassador ? [escapeMrkdwn(`⭐ ${t.fields.ambassador}`)] : []),
    ...(note ? [note] : []),
  ];
}

/**
 * 访前简报, in the order a salesperson reads it walking in: who, what to talk about, what they bought, then what is owed to
 * whom.
 */
function renderBrief(t: Messages, brief: Brief): types.KnownBlock[] {
  const c = brief.customer;
  return [
    { type: 'header', text: plain(c.name, LIMITS.headerText) },
    { type: 'context', elements: [mrkdwn(whoLine(t, c), LIMITS.contextText)] },
    titled(t.brief.talkAbout, [...comingDays(t, brief), ...talkAbout(t, c)], t.brief.noTopics),
    titled(t.brief.purchase, purchase(t, brief), t.brief.noPurchase),
    titled(t.brief.lastVisit, lastVisit(t, brief), t.brief.noVisit),
    titled(t.card.openPromises, promises(t, brief), t.card.noPromises),
    titled(t.brief.money, money(t, c, brief.money)),
    titled(t.brief.thanks, thanks(t, brief), t.brief.noThanks),
    titled(t.brief.tier, tier(t, c)),
  ];
}

/** The brief as an answer to `/card brief`, with the way on to the full card. */
export function renderBriefMessage(t: Messages, brief: Brief): SlackMessage {
  const c = brief.customer;
  const open: types.ActionsBlock = {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: ACTION.openCard,
        text: plain(t.brief.openCard, LIMITS.buttonText),
        value: c._id.toString(),
      },
    ],
  };
  return message(t.brief.fallback(escapeMrkdwn(c.name), escapeMrkdwn(c.number)), [...renderBrief(t, brief), open]);
}

function modal(t: Messages, blocks: types.KnownBlock[]): types.ModalView {
  return {
    type: 'modal',
    title: plain(t.brief.title, LIMITS.modalTitle),
    close: plain(t.modal.close, LIMITS.modalTitle),
    blocks,
  };
}

/** The brief from its button: a modal, as it opens alike from a message, an ephemeral and the Home tab. */
export function renderBriefModal(t: Messages, brief: Brief): types.ModalView {
  return modal(t, renderBrief(t, brief));
}

/**
 * A button naming no card of this workspace: the refusal in the same modal, which is the one surface every button has.
 */
export function renderBriefRefusal(t: Messages): types.ModalView {
  return modal(t, [section(escapeMrkdwn(t.card.gone), LIMITS.sectionText)]);
}
