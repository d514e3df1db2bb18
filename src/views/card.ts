import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import { completeness } from '../domain/completeness.js';
import { formatFen } from '../domain/money.js';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { FollowUpRecord } from '../models/followUp.js';
import type { VisitRecord } from '../models/visit.js';
import type { CardData } from '../services/customers.js';
import { ACTION } from '../slack/ids.js';
import { optionLabel } from './fieldValues.js';
import { LIMITS, PREVIEW } from './limits.js';
import { message, type SlackMessage } from './message.js';
import { escapeMrkdwn, mention, mrkdwn, plain, section, truncate } from './text.js';

function labelled(label: string, value: string | undefined): types.MrkdwnElement[] {
  return value ? [mrkdwn(`*${label}*\n${escapeMrkdwn(value)}`, LIMITS.fieldText)] : [];
}

function summaryLine(t: Messages, c: CustomerRecord): string {
  return [
    `\`${c.number}\``,
    `${t.card.owner} ${mention(c.ownerId, t.card.noOwner)}`,
    optionLabel(t, 'status', c.status),
    optionLabel(t, 'stage', c.stage),
    c.ambassador ? `⭐ ${t.fields.ambassador}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

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

function creditBlock(t: Messages, c: CustomerRecord): types.KnownBlock[] {
  const fields = [
    ...labelled(t.fields.creditRating, optionLabel(t, 'creditRating', c.creditRating)),
    ...labelled(t.card.creditLimit, c.creditLimitFen === undefined ? undefined : formatFen(c.creditLimitFen)),
    ...labelled(t.fields.paymentTerms, c.paymentTerms),
    ...labelled(t.fields.paymentMethod, c.paymentMethod),
  ];
  return fields.length > 0 ? [{ type: 'section', fields }] : [];
}

function visitLine(t: Messages, v: VisitRecord): string {
  const head = t.visit.line(v.date, optionLabel(t, 'visitKind', v.kind) ?? v.kind, mention(v.createdBy, ''));
  const body = [v.notes, v.needs].filter(Boolean).map((s) => escapeMrkdwn(truncate(String(s), PREVIEW.cardVisitText)));
  return [`• ${head}`, ...body.map((b) => `   ${b}`)].join('\n');
}

function followUpText(t: Messages, f: FollowUpRecord | null): string {
  if (!f) return t.card.noFollowUp;
  const plan = f.plan ? ` · ${escapeMrkdwn(f.plan)}` : '';
  const warning =
    f.status === 'failed'
      ? `\n${t.card.followUpGaveUp(escapeMrkdwn(f.lastError ?? ''))}`
      : f.lastError && f.status === 'pending'
        ? `\n${t.card.followUpFailed(escapeMrkdwn(f.lastError))}`
        : '';
  return `${f.dueDate}${plan}${warning}`;
}

function completenessLine(t: Messages, c: CustomerRecord): string {
  const { percent, missing } = completeness(c as unknown as Record<string, unknown>);
  const top = missing.slice(0, domain.card.missingFieldsShown).map((key) => t.fields[key as keyof Messages['fields']] ?? key);
  return top.length > 0 ? `${t.card.completeness(percent)} · ${t.card.missing(top.join('、'))}` : t.card.completeness(percent);
}

export function renderCard(t: Messages, { customer: c, lastVisits, openPromises, nextFollowUp }: CardData): SlackMessage {
  const id = c._id.toString();
  const visits = lastVisits.length > 0 ? lastVisits.map((v) => visitLine(t, v)).join('\n') : t.card.noVisits;
  const promises =
    openPromises.length > 0
      ? openPromises.map((p) => `• ${p.dueDate} ${escapeMrkdwn(p.text)}`).join('\n')
      : t.card.noPromises;
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain(c.name, LIMITS.headerText) },
    { type: 'context', elements: [mrkdwn(summaryLine(t, c), LIMITS.contextText)] },
    ...contactBlock(t, c),
    ...(c.preferences ? [section(`*${t.card.preferences}*\n${escapeMrkdwn(c.preferences)}`, LIMITS.sectionText)] : []),
    ...creditBlock(t, c),
    { type: 'divider' },
    section(`*${t.card.lastVisits}*\n${visits}`, LIMITS.sectionText),
    section(`*${t.card.nextFollowUp}*\n${followUpText(t, nextFollowUp)}`, LIMITS.sectionText),
    section(`*${t.card.openPromises}*\n${promises}`, LIMITS.sectionText),
    { type: 'context', elements: [mrkdwn(completenessLine(t, c), LIMITS.contextText)] },
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTION.editCard, text: plain(t.card.edit, LIMITS.buttonText), value: id },
        { type: 'button', action_id: ACTION.logVisit, style: 'primary', text: plain(t.card.logVisit, LIMITS.buttonText), value: id },
        { type: 'button', action_id: ACTION.history, text: plain(t.card.history, LIMITS.buttonText), value: id },
      ],
    },
  ];
  return message(t.card.fallback(c.name, c.number), blocks);
}
