import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import { ACTION } from '../slack/ids.js';
import { LIMITS } from './limits.js';
import { message, type SlackMessage } from './message.js';
import { escapeMrkdwn, mrkdwn, plain, section } from './text.js';

export function renderHelp(t: Messages): SlackMessage {
  return message(t.help.title, [
    { type: 'header', text: plain(t.help.title, LIMITS.headerText) },
    section(t.help.body, LIMITS.sectionText),
  ]);
}

export function renderNotice(text: string): SlackMessage {
  return message(text, [section(escapeMrkdwn(text), LIMITS.sectionText)]);
}

/** What the New card button carries: the looked-up text becomes the name, or the phone if it is one. */
export interface NewCardPrefill {
  name?: string;
  phone?: string;
}

export function renderNotFound(t: Messages, text: string, prefill: NewCardPrefill): SlackMessage {
  const notice = t.lookup.notFound(text);
  return message(notice, [
    section(escapeMrkdwn(notice), LIMITS.sectionText),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.newCard,
          style: 'primary',
          text: plain(t.lookup.newCard, LIMITS.buttonText),
          value: JSON.stringify(prefill),
        },
      ],
    },
  ]);
}

function matchLine(customer: CustomerRecord): string {
  const details = [customer.company, customer.region].filter(Boolean).map((d) => escapeMrkdwn(String(d)));
  return [`*${escapeMrkdwn(customer.name)}*  \`${customer.number}\``, ...details].join(' · ');
}

export function renderMatches(t: Messages, text: string, matches: CustomerRecord[], more: boolean): SlackMessage {
  const intro = t.lookup.several(matches.length, text);
  const rows: types.KnownBlock[] = matches.map((customer) => ({
    type: 'section',
    block_id: `match_${customer._id.toString()}`,
    text: mrkdwn(matchLine(customer), LIMITS.sectionText),
    accessory: {
      type: 'button',
      action_id: ACTION.openCard,
      text: plain(t.lookup.open, LIMITS.buttonText),
      value: customer._id.toString(),
    },
  }));
  const footer: types.KnownBlock[] = more
    ? [{ type: 'context', elements: [mrkdwn(t.lookup.more(matches.length), LIMITS.contextText)] }]
    : [];
  return message(intro, [section(escapeMrkdwn(intro), LIMITS.sectionText), ...rows, ...footer]);
}
