import type { types } from '@slack/bolt';
import type { CustomerRecord } from '../models/customer.js';
import { LIMITS, PREVIEW } from './limits.js';
import { plain } from './text.js';
import { truncate } from '../i18n/mrkdwn.js';

/** The card type-ahead's options, best match first: `name · number · company`, valued by the card's id. */
export function renderCardOptions(matches: CustomerRecord[]): types.PlainTextOption[] {
  return matches.map((card) => ({
    text: plain(
      [truncate(card.name, PREVIEW.optionName), card.number, card.company].filter(Boolean).join(' · '),
      LIMITS.optionText,
    ),
    value: card._id.toString(),
  }));
}
