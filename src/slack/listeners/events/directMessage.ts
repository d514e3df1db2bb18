import type { App } from '@slack/bolt';
import { messagesFor } from '../../../i18n/index.js';
import { renderNotice } from '../../../views/lookup.js';
import type { ListenerDeps } from '../../deps.js';
import { teamScope } from '../../deps.js';
import { previewImport } from '../../importPreview.js';
import { describeRequest } from '../../listen.js';

/** A message in someone's DM with the app, as the message.im event gives it. */
interface DirectMessage {
  channel_type?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  files?: { id?: string; name?: string }[];
}

/** Words that say the file is a sales history, not customers. */
const SALES_WORDS = /销售|交易|sales/i;

/**
 * A file dropped into the DM with the app is an import: the first file is
 * previewed as customers, or as a sales history when the message says so
 * (销售, 交易, sales). Anything else typed there gets a line on what the DM is
 * for. The app's own messages, and edits, are not answered.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.event('message', async ({ event, context, client, body }) => {
    const message = event as unknown as DirectMessage;
    const { user } = message;
    if (message.channel_type !== 'im' || !user || message.bot_id) return;
    if (message.subtype !== undefined && message.subtype !== 'file_share') return;
    let t = messagesFor(deps.defaultLocale);
    try {
      const scope = await teamScope(deps, context, user);
      t = scope.t;
      const tell = async (text: string) =>
        void (await client.chat.postMessage({ channel: user, ...renderNotice(text) }));
      const [first, ...others] = (message.files ?? []).filter((f): f is { id: string; name?: string } => !!f.id);
      if (!first) return await tell(scope.t.imports.dmHint);
      if (others.length > 0) await tell(scope.t.imports.oneFile(first.name ?? first.id));
      const kind = SALES_WORDS.test(message.text ?? '') ? 'sales' : 'cards';
      await previewImport(deps, scope, { client, token: context.botToken!, userId: user, fileId: first.id, kind });
    } catch (error) {
      deps.logger.error(`${describeRequest({ ...body, user_id: user })} failed: ${(error as Error).message}`);
      await client.chat.postMessage({ channel: user, ...renderNotice(t.errors.failed) }).catch(() => undefined);
    }
  });
}
