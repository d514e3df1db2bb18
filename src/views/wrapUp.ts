import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import type { WrapUpCard, WrapUpFacts, WrapUpList } from '../services/wrapUps.js';
import { ACTION } from './ids.js';
import { LIMITS, PREVIEW } from './limits.js';
import { message, rowsWithin, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';
import { escapeMrkdwn, joinMrkdwn, md, truncate, type Mrkdwn } from '../i18n/mrkdwn.js';

const quote = (text: string) => escapeMrkdwn(truncate(text, PREVIEW.wrapUpDetail));

/** One customer: name, number and tier if ranked, what to do, and a button to the card. */
function row(t: Messages, customer: WrapUpCard, detail: Mrkdwn | undefined): types.SectionBlock {
  const tier = customer.tier ? md` · ${escapeMrkdwn(t.options.tier[customer.tier])}` : md``;
  const head = md`*${escapeMrkdwn(customer.name)}*  \`${escapeMrkdwn(customer.number)}\`${tier}`;
  return {
    ...section(detail ? md`${head}\n${detail}` : head, LIMITS.sectionText),
    accessory: {
      type: 'button',
      action_id: ACTION.openCard,
      text: plain(t.lookup.open, LIMITS.buttonText),
      value: customer._id.toString(),
    },
  };
}

/**
 * A titled list after `before` (the message so far), omitted when empty,
 * its rows as many as fit the message's text, with how many more were left off.
 */
function list<Row extends { customer: WrapUpCard }>(
  t: Messages,
  before: types.KnownBlock[],
  title: string,
  { rows, more }: WrapUpList<Row>,
  detail: (r: Row) => Mrkdwn | undefined,
): types.KnownBlock[] {
  if (rows.length === 0) return [];
  const head = [section(md`*${escapeMrkdwn(title)}*`, LIMITS.sectionText)];
  // Room is kept for the lists after this one's title and its "N more".
  const { blocks, shown } = rowsWithin(
    [...before, ...head],
    rows.map((r) => [row(t, r.customer, detail(r))]),
    1200,
  );
  const left = more + rows.length - shown;
  const footer: types.KnownBlock[] =
    left > 0 ? [{ type: 'context', elements: [mrkdwn(t.wrapUp.more(left), LIMITS.contextText)] }] : [];
  return [...head, ...blocks, ...footer];
}

/**
 * 日终小结: who bought today (thank them), tomorrow's contacts to book, and
 * prospects who asked for material, each row opening its card. At most
 * 1 + 3 × (1 + domain.wrapUp.listed + 1) blocks.
 */
export function renderWrapUp(t: Messages, facts: WrapUpFacts): SlackMessage {
  const w = t.wrapUp;
  const count = (l: WrapUpList<unknown>) => l.rows.length + l.more;
  const contact = ({ kind, plan }: { kind: string; plan?: string }) => {
    const label = escapeMrkdwn(w.contactKinds[kind] ?? w.contact);
    return plan ? md`${label}${escapeMrkdwn(t.punct.colon)}${quote(plan)}` : label;
  };
  const blocks: types.KnownBlock[] = [section(w.title(escapeMrkdwn(facts.day)), LIMITS.sectionText)];
  blocks.push(...list(t, blocks, w.bought, facts.bought, (r) => w.products(quote(r.products.join(t.punct.list)))));
  blocks.push(...list(t, blocks, w.book, facts.book, (r) => joinMrkdwn(r.contacts.map(contact), ' · ')));
  blocks.push(...list(t, blocks, w.material, facts.material, (r) => (r.needs ? w.needs(quote(r.needs)) : undefined)));
  return message(w.text(count(facts.bought), count(facts.book), count(facts.material)), blocks);
}
