import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import type { CadenceClass } from '../domain/cadence.js';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { NudgeRecord } from '../models/nudge.js';
import { ACTION } from './ids.js';
import { LIMITS, PREVIEW } from './limits.js';
import { message, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn, md, mention, truncate, type Mrkdwn } from '../i18n/mrkdwn.js';
import { nudgeButtonValue } from './buttonValues.js';

export type NudgeShown = Pick<NudgeRecord, '_id' | 'kind' | 'ownerId' | 'plan' | 'dueDate' | 'version'>;
export type NudgeCustomer = Pick<CustomerRecord, 'name' | 'number'>;

/** What each kind says: the notification text and the message body. */
function copyOf(t: Messages, customer: NudgeCustomer, nudge: NudgeShown): { text: Mrkdwn; body: Mrkdwn } {
  const name = escapeMrkdwn(customer.name);
  const number = escapeMrkdwn(customer.number);
  const owner = mention(nudge.ownerId, t.card.noOwner);
  if (nudge.kind === 'ambassador') {
    const a = t.ambassador;
    return {
      text: a.text(name, owner),
      body: md`*${escapeMrkdwn(a.title)}*\n${a.body(name, number, owner, domain.ambassador.cadenceDays)}`,
    };
  }
  if (nudge.kind === 'cadence') {
    return {
      text: t.cadence.text(name, owner),
      body: md`*${escapeMrkdwn(t.cadence.title)}*\n*${name}*${t.punct.paren(number)} · ${owner}`,
    };
  }
  if (nudge.kind === 'poolWarning') {
    const title = escapeMrkdwn(t.pool.warningTitle);
    // Shown once answered (a contact logged from it): the grace period no longer matters.
    return { text: md`${title} · ${name}`, body: md`*${title}*\n*${name}*${t.punct.paren(number)} · ${owner}` };
  }
  if (nudge.kind === 'referral') {
    // Shown once the contact is logged from it: the referrer is on the card; the message says who to call.
    return {
      text: escapeMrkdwn(t.referral.contactTitle),
      body: md`*${escapeMrkdwn(t.referral.contactTitle)}*\n*${name}*${t.punct.paren(number)} · ${owner}`,
    };
  }
  if (nudge.kind === 'checkIn') {
    const product = escapeMrkdwn(nudge.plan ?? '');
    return {
      text: t.checkIn.text(name, owner),
      body: md`*${escapeMrkdwn(t.checkIn.title)}*\n${t.checkIn.body(name, number, owner, product)}`,
    };
  }
  if (nudge.kind === 'greeting') {
    // Shown once answered without the message as posted: whose day it was is on the card.
    const title = escapeMrkdwn(t.greeting.title);
    return { text: md`${title} · ${name}`, body: md`*${title}*\n*${name}*${t.punct.paren(number)} · ${owner}` };
  }
  if (nudge.kind === 'overdue') {
    // Shown only when the message as posted (amount, days, due date) did not come with the press.
    const title = escapeMrkdwn(t.overdue.title);
    return { text: md`${title} · ${name}`, body: md`*${title}*\n*${name}*${t.punct.paren(number)} · ${owner}` };
  }
  const plan = nudge.plan ? t.nudge.plan(escapeMrkdwn(nudge.plan)) : escapeMrkdwn(t.nudge.noPlan);
  return {
    text: t.nudge.text(name, owner),
    body: md`*${escapeMrkdwn(t.nudge.title)}*\n${t.nudge.body(name, number, owner)}\n${plan}`,
  };
}

/**
 * A posted reminder's buttons; each names the nudge and its version, so a second press (or one after someone else
 * answered) changes nothing.
 */
export function nudgeButtons(nudge: NudgeShown, specs: [action: string, label: string][]): types.ActionsBlock {
  const value = nudgeButtonValue(nudge);
  return {
    type: 'actions',
    elements: specs.map(([action_id, label], i) => ({
      type: 'button' as const,
      action_id,
      text: plain(label, LIMITS.buttonText),
      value,
      ...(i === 0 ? { style: 'primary' as const } : {}),
    })),
  };
}

/** A reminder as posted on its due day, with the buttons that answer it. */
export function renderNudge(t: Messages, customer: NudgeCustomer, nudge: NudgeShown): SlackMessage {
  const { text, body } = copyOf(t, customer, nudge);
  return message(text, [
    section(body, LIMITS.sectionText),
    nudgeButtons(nudge, [
      [ACTION.nudgeLogVisit, t.nudge.logVisit],
      [ACTION.snoozeDay, t.nudge.snoozeDay],
      [ACTION.snoozeWeek, t.nudge.snoozeWeek],
    ]),
  ]);
}

/** What an ambassador's contact nudge states, read as it is posted. */
export interface AmbassadorFacts {
  /** Who is nudged: the card's owner as it is now. */
  ownerId: string;
  lastContactDate?: string;
  daysSinceContact?: number;
  /** What the latest contact was about (its notes, else the needs heard). */
  topic?: string;
}

/** 宣传大使联络: when the last contact was and what it was about, with Log contact and Snooze 1 week. */
export function renderAmbassadorNudge(
  t: Messages,
  customer: NudgeCustomer,
  nudge: NudgeShown,
  facts: AmbassadorFacts,
): SlackMessage {
  const a = t.ambassador;
  const { text, body } = copyOf(t, customer, { ...nudge, ownerId: facts.ownerId });
  const last = facts.lastContactDate
    ? a.lastContact(escapeMrkdwn(facts.lastContactDate), facts.daysSinceContact ?? 0)
    : escapeMrkdwn(a.neverContacted);
  const topic = facts.topic
    ? a.topic(escapeMrkdwn(truncate(facts.topic, PREVIEW.ambassadorTopic)))
    : escapeMrkdwn(a.noTopic);
  return message(text, [
    section(md`${body}\n${last}\n${topic}`, LIMITS.sectionText),
    nudgeButtons(nudge, [
      [ACTION.nudgeLogVisit, a.logContact],
      [ACTION.snoozeWeek, t.nudge.snoozeWeek],
    ]),
  ]);
}

/** What a cadence nudge states, read as it is posted. */
export interface CadenceFacts {
  ownerId: string;
  cadenceClass: CadenceClass;
  interval: number;
  lastContactDate?: string;
  daysSinceContact?: number;
  topic?: string;
}

/** A cadence class as users know it: the tier of a current customer, else the segment. */
function cadenceClassLabel(t: Messages, cls: CadenceClass): string {
  return cls === 'inactive' || cls === 'potential' ? t.options.segment[cls] : t.options.tier[cls];
}

/** 按层级联络: tier and interval, the last contact and what it was about, with Log contact and Snooze 1 week. */
export function renderCadenceNudge(
  t: Messages,
  customer: NudgeCustomer,
  nudge: NudgeShown,
  facts: CadenceFacts,
): SlackMessage {
  const a = t.ambassador;
  const owner = mention(facts.ownerId, t.card.noOwner);
  const { text } = copyOf(t, customer, { ...nudge, ownerId: facts.ownerId });
  const title = md`*${escapeMrkdwn(t.cadence.title)}*`;
  const level = escapeMrkdwn(cadenceClassLabel(t, facts.cadenceClass));
  const body = t.cadence.body(escapeMrkdwn(customer.name), escapeMrkdwn(customer.number), owner, level, facts.interval);
  const last = facts.lastContactDate
    ? t.cadence.lastContact(escapeMrkdwn(facts.lastContactDate), facts.daysSinceContact ?? 0, facts.interval)
    : escapeMrkdwn(a.neverContacted);
  const topic = facts.topic
    ? a.topic(escapeMrkdwn(truncate(facts.topic, PREVIEW.ambassadorTopic)))
    : escapeMrkdwn(a.noTopic);
  return message(text, [
    section(md`${title}\n${body}\n${last}\n${topic}`, LIMITS.sectionText),
    nudgeButtons(nudge, [
      [ACTION.nudgeLogVisit, a.logContact],
      [ACTION.snoozeWeek, t.nudge.snoozeWeek],
    ]),
  ]);
}

/**
 * A posted message once someone acted on it: what it stated, exactly as
 * posted, then a line saying who did what. Its buttons go, unless what was
 * done leaves the message still to be answered (a payment on a collection
 * reminder). Earlier lines of this kind stay.
 */
export function renderAnswered(posted: types.KnownBlock[], note: Mrkdwn, { keepButtons = false } = {}): SlackMessage {
  const kept = posted.filter((b) => keepButtons || b.type !== 'actions');
  const noteBlock: types.ContextBlock = { type: 'context', elements: [mrkdwn(note, LIMITS.contextText)] };
  const actions = kept.filter((b) => b.type === 'actions');
  const facts = kept.filter((b) => b.type !== 'actions').slice(0, LIMITS.messageBlocks - 1 - actions.length);
  return message(note, [...facts, noteBlock, ...actions]);
}

/** The same reminder once answered: its buttons replaced by what was done. */
export function renderClosedNudge(t: Messages, customer: NudgeCustomer, nudge: NudgeShown, note: Mrkdwn): SlackMessage {
  const { body } = copyOf(t, customer, nudge);
  return message(note, [
    section(body, LIMITS.sectionText),
    { type: 'context', elements: [mrkdwn(note, LIMITS.contextText)] },
  ]);
}
