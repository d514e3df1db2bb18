import type { ComingDay } from '../domain/occasions.js';
import type { Messages } from '../i18n/index.js';
import { escapeMrkdwn, md, mention, truncate, type Mrkdwn } from '../i18n/mrkdwn.js';
import type { CalendarDate } from '../time.js';
import { comingDayWhat, comingDayWhen } from './comingDays.js';
import { ACTION } from './ids.js';
import { LIMITS, PREVIEW } from './limits.js';
import { message, type SlackMessage } from './message.js';
import { nudgeButtons, type NudgeCustomer, type NudgeShown } from './nudge.js';
import { section } from './text.js';

/** What a greeting states, read as it is posted. */
export interface GreetingFacts {
  /** Who greets: the card's owner as it is now. */
  ownerId: string;
  day: ComingDay;
  today: CalendarDate;
  preferences?: string;
  interests?: string;
}

/** What the card says they like, as gift ideas; said plainly when it says nothing. */
export function giftIdeas(t: Messages, { preferences, interests }: Pick<GreetingFacts, 'preferences' | 'interests'>) {
  const ideas = [preferences, interests].filter((text): text is string => Boolean(text?.trim()));
  return ideas.length > 0
    ? t.greeting.giftIdeas(escapeMrkdwn(truncate(ideas.join(t.punct.list), PREVIEW.giftIdeas)))
    : escapeMrkdwn(t.greeting.noGiftIdeas);
}

/**
 * 生日 / 重要日子提醒: whose day, what it is, when, the age or anniversary
 * when known, and gift ideas from the card, with Log greeting, Snooze and Done.
 */
export function renderGreetingNudge(
  t: Messages,
  customer: NudgeCustomer,
  nudge: NudgeShown,
  facts: GreetingFacts,
): SlackMessage {
  const g = t.greeting;
  const name = escapeMrkdwn(customer.name);
  const owner = mention(facts.ownerId, t.card.noOwner);
  const what = comingDayWhat(t, facts.day);
  const when = comingDayWhen(t, facts.day, facts.today);
  const body: Mrkdwn = md`*${escapeMrkdwn(g.title)}*\n*${name}*${t.punct.paren(escapeMrkdwn(customer.number))} · ${owner}\n*${what}* ${when}\n${giftIdeas(t, facts)}`;
  return message(g.text(name, what, when, owner), [
    section(body, LIMITS.sectionText),
    nudgeButtons(nudge, [
      [ACTION.logGreeting, g.logGreeting],
      [ACTION.snoozeDay, t.nudge.snoozeDay],
      [ACTION.nudgeDone, g.done],
    ]),
  ]);
}
