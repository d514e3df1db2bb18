import type { Logger } from '@slack/bolt';
import type { ImportRecord } from '../models/import.js';
import type { ImportService, RefusedRow } from '../services/imports.js';

/** The Agenda job that writes one import; its data names the team and the import. */
export const IMPORT_JOB = 'imports.run';

export interface ImportJobData {
  teamId: string;
  importId: string;
}

/** How the importer is kept informed (Slack's side: the preview message, their DM). */
export interface ImportReporter {
  /** The preview message shows how far the import is. */
  progress(imp: ImportRecord, done: number, total: number): Promise<void>;
  /** The summary replaces it; the refused rows, if any, come as a file with a reason column. */
  finished(imp: ImportRecord, refused: AsyncIterable<RefusedRow>): Promise<void>;
  /** The job stopped on an error: the message says so and offers to go on. */
  failed(imp: ImportRecord): Promise<void>;
}

interface Deps {
  imports: ImportService;
  reporter: ImportReporter;
  logger: Logger;
}

/**
 * One import's job, as Agenda runs it (`touch` renews its lock). It writes
 * what is left of the import, tells the importer, and only then marks it
 * done, so an instance that dies on the way leaves the job to another (once
 * its lock lapses), which goes on from the last step written.
 */
export function createImportJob({ imports, reporter, logger }: Deps) {
  return async function runImport({ teamId, importId }: ImportJobData, touch: () => Promise<void>): Promise<void> {
    let imp: ImportRecord | null;
    try {
      imp = await imports.run(teamId, importId, { touch, progress: reporter.progress });
    } catch (error) {
      logger.error(`import ${importId} of team ${teamId} stopped: ${(error as Error).message}`);
      const failed = await imports.fail(teamId, importId).catch(() => null);
      if (failed)
        await reporter.failed(failed).catch((e: Error) => logger.warn(`could not tell the importer: ${e.message}`));
      return;
    }
    if (!imp) return;
    await reporter.finished(imp, imports.refusedRows(imp));
    await imports.finish(imp);
  };
}
