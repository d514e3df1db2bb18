import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import { ACTION } from './ids.js';
import { LIMITS } from './limits.js';
import { message, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';
import { appMrkdwn, escapeMrkdwn, joinMrkdwn, md, type Mrkdwn } from '../i18n/mrkdwn.js';

export function renderHelp(t: Messages): SlackMessage {
  return message(escapeMrkdwn(t.help.title), [
    { type: 'header', text: plain(t.help.title, LIMITS.headerText) },
    section(appMrkdwn(t.help.body), LIMITS.sectionText),
  ]);
}

/** A one-line answer in the app's words (src/i18n), its `code` kept. */
export function renderNotice(text: string): SlackMessage {
  return renderSafeNotice(appMrkdwn(text));
}

/** A one-line answer already made safe: the app's words around user text escaped with escapeMrkdwn. */
export function renderSafeNotice(safe: Mrkdwn): SlackMessage {
  return message(safe, [section(safe, LIMITS.sectionText)]);
}

/** What the New card button carries: the looked-up text becomes the name, or the phone if it is one. */
export interface NewCardPrefill {
  name?: string;
  phone?: string;
}

export function renderNotFound(t: Messages, text: string, prefill: NewCardPrefill): SlackMessage {
  const notice = t.lookup.notFound(escapeMrkdwn(text));
  return message(notice, [
    section(notice, LIMITS.sectionText),
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

function matchLine(customer: CustomerRecord): Mrkdwn {
  const details = [customer.company, customer.region].filter(Boolean).map((d) => escapeMrkdwn(String(d)));
  return joinMrkdwn([md`*${escapeMrkdwn(customer.name)}*  \`${escapeMrkdwn(customer.number)}\``, ...details], ' · ');
}

/** Each match with a button that opens its card, or its pre-visit brief when that is what was asked for. */
export function renderMatches(
  t: Messages,
  text: string,
  matches: CustomerRecord[],
  more: boolean,
  opens: 'card' | 'brief' = 'card',
): SlackMessage {
  const intro = t.lookup.several(matches.length, escapeMrkdwn(text));
  const rows: types.KnownBlock[] = matches.map((customer) => ({
    type: 'section',
    block_id: `match_${customer._id.toString()}`,
    text: mrkdwn(matchLine(customer), LIMITS.sectionText),
    accessory: {
      type: 'button',
      action_id: opens === 'brief' ? ACTION.cardBrief : ACTION.openCard,
      text: plain(opens === 'brief' ? t.brief.button : t.lookup.open, LIMITS.buttonText),
      value: customer._id.toString(),
    },
  }));
  const footer: types.KnownBlock[] = more
    ? [{ type: 'context', elements: [mrkdwn(t.lookup.more(matches.length), LIMITS.contextText)] }]
    : [];
  return message(intro, [section(intro, LIMITS.sectionText), ...rows, ...footer]);
}
