import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.js';
import * as cardActions from './actions/card.js';
import * as festivalActions from './actions/festival.js';
import * as handoverActions from './actions/handover.js';
import * as importActions from './actions/import.js';
import * as homeHandover from './actions/homeHandover.js';
import * as moneyActions from './actions/money.js';
import * as nudgeActions from './actions/nudge.js';
import * as poolActions from './actions/pool.js';
import * as promiseActions from './actions/promise.js';
import * as referralActions from './actions/referral.js';
import * as settingsActions from './actions/settings.js';
import * as cardCommand from './commands/card.js';
import * as steps from './functions/steps.js';
import * as appHome from './events/appHome.js';
import * as directMessage from './events/directMessage.js';
import * as uninstall from './events/uninstall.js';
import * as cardPicker from './options/cardPicker.js';
import * as captureModal from './submissions/captureModal.js';
import * as cardModal from './submissions/cardModal.js';
import * as importModal from './submissions/importModal.js';
import * as moneyModals from './submissions/moneyModals.js';
import * as referralModals from './submissions/referralModals.js';
import * as promiseReschedule from './submissions/promiseReschedule.js';
import * as reassignModal from './submissions/reassignModal.js';
import * as specialHandling from './submissions/specialHandling.js';
import * as pickCustomer from './submissions/pickCustomer.js';
import * as visitModal from './submissions/visitModal.js';
import * as globalShortcuts from './shortcuts/global.js';
import * as saveMessage from './shortcuts/saveMessage.js';

/** Every Slack entry point of the app, in one list. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const listeners = [
    cardCommand,
    cardActions,
    moneyActions,
    nudgeActions,
    festivalActions,
    referralActions,
    promiseActions,
    poolActions,
    cardModal,
    visitModal,
    moneyModals,
    referralModals,
    specialHandling,
    promiseReschedule,
    cardPicker,
    appHome,
    settingsActions,
    uninstall,
    handoverActions,
    reassignModal,
    homeHandover,
    importModal,
    importActions,
    directMessage,
    saveMessage,
    captureModal,
    globalShortcuts,
    pickCustomer,
    steps,
  ];
  for (const listener of listeners) {
    listener.register(app, deps);
  }
}
