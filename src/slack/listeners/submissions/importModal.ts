import type { App } from '@slack/bolt';
import type { ImportKind } from '../../../models/import.js';
import { CALLBACK, IMPORT_BLOCK } from '../../../views/ids.js';
import { renderReadingModal } from '../../../views/importPreview.js';
import type { ListenerDeps } from '../../deps.js';
import { previewImport } from '../../importPreview.js';
import { inlineErrors, onSubmission, type ViewArgs } from '../../listen.js';

/** The file Slack's file input submitted (its id), and what the importer said it holds. */
function submitted(args: ViewArgs): { fileId?: string; kind: ImportKind } {
  const values = args.view.state.values as Record<string, Record<string, any>>;
  const files = values[IMPORT_BLOCK.file]?.[IMPORT_BLOCK.file]?.files as { id?: string }[] | undefined;
  const kind = values[IMPORT_BLOCK.kind]?.[IMPORT_BLOCK.kind]?.selected_option?.value === 'sales' ? 'sales' : 'cards';
  return { fileId: files?.[0]?.id, kind };
}

/**
 * `/card import`'s modal, submitted: it turns to "reading…" at once (a big
 * file takes longer than a modal may wait), then the file is fetched, read
 * and planned, and the preview arrives in the importer's DM.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.view(
    CALLBACK.importModal,
    onSubmission<ViewArgs>(deps, IMPORT_BLOCK.file, async (args, scope) => {
      const { fileId, kind } = submitted(args);
      if (!fileId) return inlineErrors({ [IMPORT_BLOCK.file]: scope.t.imports.modal.noFile });
      const userId = args.body.user.id;
      return {
        response: { response_action: 'update', view: renderReadingModal(scope.t) },
        after: () =>
          previewImport(deps, scope, { client: args.client, token: args.context.botToken!, userId, fileId, kind }),
      };
    }),
  );
}
