import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import { LIMITS } from './limits.js';
import { plain, section } from './text.js';
import { escapeMrkdwn } from '../i18n/mrkdwn.js';

function notice(t: Messages, title: string, text: string): types.ModalView {
  return {
    type: 'modal',
    title: plain(title, LIMITS.modalTitle),
    close: plain(t.modal.close, LIMITS.buttonText),
    blocks: [section(escapeMrkdwn(text), LIMITS.sectionText)],
  };
}

/**
 * A submission still being saved at Slack's deadline: the modal says so, and that the outcome will come as a message.
 */
export function renderSavingModal(t: Messages, what: string): types.ModalView {
  return notice(t, t.modal.savingTitle, t.modal.saving(what));
}

/** How that save ended, in the same modal if it is still open. */
export function renderSavedModal(t: Messages, text: string): types.ModalView {
  return notice(t, t.modal.savedTitle, text);
}
