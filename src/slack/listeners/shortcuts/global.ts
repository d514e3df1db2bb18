import type { AllMiddlewareArgs, App, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { renderPickCustomerModal } from '../../../views/captureModal.js';
import { renderCardModal } from '../../../views/cardModal.js';
import { SHORTCUT } from '../../../views/ids.js';
import type { ListenerDeps } from '../../deps.js';
import { afterAck } from '../../listen.js';

type ShortcutArgs = SlackShortcutMiddlewareArgs<GlobalShortcut> & AllMiddlewareArgs;

/**
 * The ⚡ menu, from any channel and on mobile: New card opens the create
 * modal; Log visit and Find a customer first ask which customer. With no
 * channel to answer in, what they save or find comes to the person's DM with
 * the app, as a card picked on App Home does.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.shortcut<GlobalShortcut>(
    { callback_id: SHORTCUT.newCard, type: 'shortcut' },
    afterAck<ShortcutArgs>(deps, async ({ body, client }, { t }) => {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderCardModal(t, { values: {}, metadata: { dm: true } }),
      });
    }),
  );

  app.shortcut<GlobalShortcut>(
    { callback_id: SHORTCUT.logVisit, type: 'shortcut' },
    afterAck<ShortcutArgs>(deps, async ({ body, client }, { t }) => {
      await client.views.open({ trigger_id: body.trigger_id, view: renderPickCustomerModal(t, 'visit') });
    }),
  );

  app.shortcut<GlobalShortcut>(
    { callback_id: SHORTCUT.findCustomer, type: 'shortcut' },
    afterAck<ShortcutArgs>(deps, async ({ body, client }, { t }) => {
      await client.views.open({ trigger_id: body.trigger_id, view: renderPickCustomerModal(t, 'find') });
    }),
  );
}
