import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import { parseImportRef, parseImportSheet } from '../../../views/buttonValues.js';
import { ACTION, IMPORT_BLOCK } from '../../../views/ids.js';
import { renderNotice } from '../../../views/lookup.js';
import type { ListenerDeps } from '../../deps.js';
import { previewImport } from '../../importPreview.js';
import { afterAck } from '../../listen.js';

type ButtonBody = BlockAction<ButtonAction>;
type ButtonArgs = SlackActionMiddlewareArgs<ButtonBody> & AllMiddlewareArgs;
type SelectBody = BlockAction<StaticSelectAction>;
type SelectArgs = SlackActionMiddlewareArgs<SelectBody> & AllMiddlewareArgs;

/** Whether the preview's "overwrite" box was ticked: Slack sends the message's inputs with a press on it. */
function overwriteTicked(body: ButtonBody): boolean {
  const values = (body as { state?: { values?: Record<string, Record<string, any>> } }).state?.values;
  const box = values?.[IMPORT_BLOCK.overwrite]?.[ACTION.importOverwrite] as
    { selected_options?: unknown[] } | undefined;
  return (box?.selected_options?.length ?? 0) > 0;
}

/**
 * The preview's buttons. Import (or Continue, after a failure) queues the
 * import once, however often it is pressed; its job then turns the preview
 * into progress and the summary. Cancel drops the plan. Picking another
 * sheet reads the file again and, once that sheet is planned, shows its
 * preview instead (the first is dropped then, not before). Only
 * the importer may use them.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(
    ACTION.importConfirm,
    afterAck(deps, async ({ body, action, respond }: ButtonArgs, { teamId, t }) => {
      const outcome = await deps.imports.start(
        teamId,
        body.user.id,
        parseImportRef(action.value) ?? '',
        overwriteTicked(body),
      );
      const said = {
        notFound: t.imports.gone,
        notYours: t.imports.notYours,
        expired: t.imports.expired,
        cancelled: t.imports.cancelled,
        underWay: t.imports.underWay,
        done: t.imports.alreadyDone,
      } as const;
      if (outcome.status !== 'queued')
        await respond({ response_type: 'ephemeral', replace_original: false, ...renderNotice(said[outcome.status]) });
    }),
  );

  app.action<ButtonBody>(
    ACTION.importCancel,
    afterAck(deps, async ({ body, action, respond }: ButtonArgs, { teamId, t }) => {
      const outcome = await deps.imports.cancel(teamId, body.user.id, parseImportRef(action.value) ?? '');
      const text =
        outcome.status === 'cancelled'
          ? t.imports.cancelled
          : outcome.status === 'underWay'
            ? t.imports.underWay
            : outcome.status === 'notYours'
              ? t.imports.notYours
              : t.imports.gone;
      await respond({ replace_original: outcome.status === 'cancelled', ...renderNotice(text) });
    }),
  );

  app.action<SelectBody>(
    ACTION.importSheet,
    afterAck(deps, async ({ body, action, respond, client, context }: SelectArgs, scope) => {
      const picked = parseImportSheet(action.selected_option?.value);
      const own = picked ? await deps.imports.ownPreview(scope.teamId, body.user.id, picked.importId) : undefined;
      const sheetName = own?.status === 'ok' ? own.imp.sheetNames?.[picked!.index] : undefined;
      if (own?.status !== 'ok' || own.imp.state !== 'previewed' || !sheetName) {
        const text = own?.status === 'notYours' ? scope.t.imports.notYours : scope.t.imports.gone;
        return void (await respond({ response_type: 'ephemeral', replace_original: false, ...renderNotice(text) }));
      }
      if (sheetName === own.imp.sheetName) return;
      await previewImport(deps, scope, {
        client,
        token: context.botToken!,
        userId: body.user.id,
        fileId: own.imp.fileId,
        kind: own.imp.kind,
        sheetName,
        replacing: { imp: own.imp, channel: body.container.channel_id, messageTs: body.container.message_ts },
      });
    }),
  );

  // Read when Import is pressed (the message's state); ticking it alone changes nothing.
  app.action(ACTION.importOverwrite, async ({ ack }) => ack());
}
