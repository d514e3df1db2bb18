import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * previewed (the plan is stored, waiting for Import or Cancel) → queued (Import pressed: its job is queued) →
 * running → done; failed when the job stopped on an error (Import again finishes it); cancelled.
 */
const IMPORT_STATES = ['previewed', 'queued', 'running', 'done', 'failed', 'cancelled'] as const;
type ImportState = (typeof IMPORT_STATES)[number];
/** What the file holds: customer cards, or a sales history for cards that exist (or come in the same import). */
const IMPORT_KINDS = ['cards', 'sales'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** How the preview counted the rows; the job's own counts replace them in `result`. */
export interface ImportCounts {
  /** Data rows read (title and header rows not counted). */
  rows: number;
  /** Rows that become new cards (a sales file: sales recorded). */
  create: number;
  /** Rows matching a card of the team (a sales file: sales already recorded). */
  match: number;
  invalid: number;
}

/** What the job did: created, updated, left as they were (matched with nothing to change), refused. */
export interface ImportResult {
  created: number;
  updated: number;
  skipped: number;
  invalid: number;
}

/** One column of the file and what it was read as (a target, `ignored`, or `extra`: kept in the notes). */
export interface ImportColumn {
  header: string;
  role: 'field' | 'ignored' | 'extra';
  target?: string;
}

/**
 * One import: a file read and planned, waiting for its importer's word, then written by its job. The plan's rows
 * are in `importRows`, a chunk per document, so the Import button needs no second download and the job survives a
 * restart. Every change of state is a guarded write (two presses of Import queue one job).
 */
export interface ImportRecord {
  _id: Types.ObjectId;
  teamId: string;
  /** Who imported: the owner of rows that name none, and who is told how it went. */
  userId: string;
  kind: ImportKind;
  /** Slack's id of the file, to read another of its sheets. */
  fileId: string;
  fileName: string;
  /** SHA-256 of the file's bytes: with the sheet and the row, it names each row's card. */
  fileHash: string;
  sheetName?: string;
  /** The workbook's visible sheets, when it has more than one: the preview offers them. */
  sheetNames?: string[];
  columns: ImportColumn[];
  counts: ImportCounts;
  chunks: number;
  /** Chunks the job has written, each once; a job taken up after a crash starts at the first one missing. */
  chunksDone: number;
  /** The preview message: progress and the summary replace it. */
  channel?: string;
  messageTs?: string;
  overwrite: boolean;
  state: ImportState;
  /** When the job first ran: every card it makes is created at this instant (how a crashed run's cards are told apart). */
  startedAt?: Date;
  result?: ImportResult;
  version: number;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const importSchema = new Schema<ImportRecord>(
  {
    _id: Schema.Types.ObjectId,
    teamId: { type: String, required: true },
    userId: { type: String, required: true },
    kind: { type: String, enum: IMPORT_KINDS, required: true },
    fileId: { type: String, required: true },
    fileName: { type: String, required: true },
    fileHash: { type: String, required: true },
    sheetName: String,
    sheetNames: { type: [String], default: undefined },
    columns: [{ _id: false, header: String, role: String, target: String }],
    counts: { rows: Number, create: Number, match: Number, invalid: Number },
    chunks: { type: Number, required: true },
    chunksDone: { type: Number, required: true },
    channel: String,
    messageTs: String,
    overwrite: { type: Boolean, required: true },
    state: { type: String, enum: IMPORT_STATES, required: true },
    startedAt: Date,
    result: { created: Number, updated: Number, skipped: Number, invalid: Number },
    version: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'imports', timestamps: true, versionKey: false, strict: 'throw' },
);

// A new preview clears the team's expired ones (FerretDB 1 has no TTL indexes).
importSchema.index({ teamId: 1, expiresAt: 1 });

export type ImportModel = Model<ImportRecord>;

export function importModel(connection: Connection): ImportModel {
  return connection.model<ImportRecord>('Import', importSchema);
}

/** A chunk of an import's planned rows, in file order; `_id` is `<importId>:<seq>`. */
interface ImportRowsRecord {
  _id: string;
  teamId: string;
  importId: Types.ObjectId;
  seq: number;
  rows: Record<string, unknown>[];
}

const importRowsSchema = new Schema<ImportRowsRecord>(
  {
    _id: String,
    teamId: { type: String, required: true },
    importId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    rows: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'importRows', versionKey: false, minimize: false },
);

// The job reads an import's chunks in order; a cleared preview's chunks go with it.
importRowsSchema.index({ teamId: 1, importId: 1, seq: 1 });

export type ImportRowsModel = Model<ImportRowsRecord>;

export function importRowsModel(connection: Connection): ImportRowsModel {
  return connection.model<ImportRowsRecord>('ImportRows', importRowsSchema);
}
