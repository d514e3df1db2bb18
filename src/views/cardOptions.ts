import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import { NEW_CARD_OPTION_PREFIX } from '../validation/captureInput.js';
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

/** The save-to-card picker's last option: a new card with the name typed. */
export function renderNewCardOption(t: Messages, name: string): types.PlainTextOption {
  return { text: plain(t.capture.newCardOption(name), LIMITS.optionText), value: `${NEW_CARD_OPTION_PREFIX}${name}` };
}
