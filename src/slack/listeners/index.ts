import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.js';
import * as cardActions from './actions/card.js';
import * as moneyActions from './actions/money.js';
import * as nudgeActions from './actions/nudge.js';
import * as cardCommand from './commands/card.js';
import * as cardPicker from './options/cardPicker.js';
import * as cardModal from './views/cardModal.js';
import * as moneyModals from './views/moneyModals.js';
import * as specialHandling from './views/specialHandling.js';
import * as visitModal from './views/visitModal.js';

/** Every Slack entry point of the app, in one list. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  for (const listener of [cardCommand, cardActions, moneyActions, nudgeActions, cardModal, visitModal, moneyModals, specialHandling, cardPicker]) {
    listener.register(app, deps);
  }
}
