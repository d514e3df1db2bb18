import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { defined, insertManyOnce } from '../db/bulk.js';
import { idFor } from '../db/requestIds.js';
import type { GuardedWrites } from '../db/writeIfUnchanged.js';
import type { FieldChange } from '../domain/diff.js';
import { searchKeys } from '../domain/lookup.js';
import { peopleIndex, type Person } from '../domain/people.js';
import type { ColumnMapping, MappingRefusal } from '../importing/headers.js';
import { mapCardRows, mapSaleRows } from '../importing/mapping.js';
import { readSheet, type ReadRefusal, type SheetRow } from '../importing/readSheet.js';
import type { ImportColumn, ImportKind, ImportRecord, ImportResult } from '../models/import.js';
import type { Models } from '../models/index.js';
import type { SaleRecord } from '../models/sale.js';
import { todayIn } from '../time.js';
import type { CardEvents } from './cardEvents.js';
import type { CustomerService } from './customers.js';
import { historyDoc } from './history.js';
import {
  matchChanges,
  planCards,
  planSales,
  type MatchChanges,
  type PlannedCardRow,
  type PlannedRow,
  type PlannedSaleRow,
  type PlanContext,
  type RowProblem,
} from './importPlan.js';
import type { MoneyService } from './money.js';
import type { ReferralService } from './referrals.js';
import type { SegmentService } from './segments.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  now: () => Date;
  settings: TeamSettingsService;
  writes: GuardedWrites;
  events: CardEvents;
  customers: CustomerService;
  money: MoneyService;
  referrals: ReferralService;
  segments: SegmentService;
  /** Starts an import's job: at once on this instance, taken up by another if this one stops. */
  queueImport(data: { teamId: string; importId: string }): Promise<void>;
}

/** A file from Slack: its id, its name, its bytes. */
export interface ImportSource {
  fileId: string;
  fileName: string;
  bytes: Buffer;
}

export interface PreviewRequest {
  teamId: string;
  userId: string;
  kind: ImportKind;
  source: ImportSource;
  /** The sheet the importer picked; else the workbook's first. */
  sheetName?: string;
  /** An admin or the manager: imports for anyone. */
  forAnyone: boolean;
  /** The workspace's members, to match a 负责人 column. */
  people: readonly Person[];
}

/** What the preview shows: the import, every planned row, and what the first matches would change. */
export interface ImportPreview {
  imp: ImportRecord;
  rows: PlannedRow[];
  titleRows: number[];
  forAnyone: boolean;
  /** For the matched rows the preview lists: what the file fills in, and what only "overwrite" replaces. */
  changes: Map<string, MatchChanges>;
}

export type PreviewOutcome =
  | { status: 'previewed'; preview: ImportPreview }
  | { status: 'unreadable'; refusal: ReadRefusal }
  | { status: 'unmapped'; kind: ImportKind; refusal: MappingRefusal };

export type StartOutcome =
  | { status: 'queued'; imp: ImportRecord }
  | { status: 'notFound' }
  | { status: 'notYours' }
  | { status: 'expired' }
  | { status: 'cancelled' }
  | { status: 'underWay' }
  | { status: 'done' };

/** A refused row of the file, for the refused rows' file: its cells as read, and why. */
export interface RefusedRow {
  rowNumber: number;
  cells: string[];
  problems: RowProblem[];
}

/** What the job is given to keep its lock and show how far it is. */
export interface RunHooks {
  /** Renews the job's lock (an instance that stops lets another take the import once it lapses). */
  touch(): Promise<void>;
  progress(imp: ImportRecord, done: number, total: number): Promise<void>;
}

const EMPTY_RESULT: ImportResult = { created: 0, updated: 0, skipped: 0, invalid: 0 };
const add = (a: ImportResult, b: ImportResult): ImportResult => ({
  created: a.created + b.created,
  updated: a.updated + b.updated,
  skipped: a.skipped + b.skipped,
  invalid: a.invalid + b.invalid,
});

const oid = (id: string) => new Types.ObjectId(id);
const chunkId = (importId: Types.ObjectId, seq: number) => `${importId.toString()}:${seq}`;

function columnsOf(columns: ColumnMapping<string>[]): ImportColumn[] {
  return columns.map((c) => ({ header: c.header, role: c.role, ...(c.role === 'field' ? { target: c.target } : {}) }));
}

/** A sheet's columns mapped as one kind of import. */
type MappedAs =
  { kind: 'cards'; mapped: ReturnType<typeof mapCardRows> } | { kind: 'sales'; mapped: ReturnType<typeof mapSaleRows> };

/** Cells of each data row by its number, as the file has them. */
function cellsIndex(rows: SheetRow[]): (rowNumber: number) => string[] {
  const byNumber = new Map(rows.map((r) => [r.rowNumber, r.cells]));
  return (rowNumber) => byNumber.get(rowNumber) ?? [];
}

/**
 * `/card import`: a customer book or a sales history read, planned and shown
 * before anything is written; then written by a job of its own in bulk
 * steps (see importPlan.ts for the plan, and the job in jobs/importJob.ts).
 */
export function createImportService(deps: Deps) {
  const { models, now, settings, writes, events, customers, money, segments } = deps;

  /** Previews past their time go, with their plans (FerretDB 1 has no TTL index to do it). */
  async function clearExpired(teamId: string): Promise<void> {
    const expired = await models.imports
      .find({ teamId, expiresAt: { $lt: now() }, state: { $nin: ['queued', 'running'] } }, { _id: 1 })
      .lean();
    const ids = expired.map((i) => i._id);
    if (ids.length === 0) return;
    await models.importRows.deleteMany({ teamId, importId: { $in: ids } });
    await models.imports.deleteMany({ teamId, _id: { $in: ids } });
  }

  /**
   * The sheet's columns mapped as the kind asked for, or as the other kind
   * when that one fits the header better: a sales history sent as customers
   * (客户, 日期, 金额…) is a sales history, not customers whose every other
   * column is a note. Pure: nothing is read from the database.
   */
  function mapSheet(kind: ImportKind, rows: SheetRow[], today: string): MappedAs {
    const as = (k: ImportKind): MappedAs =>
      k === 'cards' ? { kind: k, mapped: mapCardRows(rows, today) } : { kind: k, mapped: mapSaleRows(rows, today) };
    const extras = ({ mapped: m }: MappedAs) => (m.ok ? m.columns.filter((c) => c.role === 'extra').length : Infinity);
    const asked = as(kind);
    const other = as(kind === 'cards' ? 'sales' : 'cards');
    return extras(other) < extras(asked) ? other : asked;
  }

  /** A mapped sheet planned against the team's cards (and, for sales, the sales they have). */
  async function plan(chosen: MappedAs, context: PlanContext) {
    if (chosen.kind === 'cards') {
      const { mapped } = chosen;
      if (!mapped.ok) return { kind: chosen.kind, refusal: mapped };
      const numberHeader = mapped.columns.find((c) => c.role === 'field' && c.target === 'number')?.header;
      const planned = await planCards(models, { ...context, ...(numberHeader ? { numberHeader } : {}) }, mapped.rows);
      const listed = planned.rows
        .filter((r): r is Extract<PlannedCardRow, { action: 'match' }> => r.action === 'match')
        .slice(0, domain.import.previewListed);
      const changes = new Map(listed.map((r) => [r.cardId, matchChanges(planned.matched.get(r.cardId)!, r.card)]));
      return {
        kind: chosen.kind,
        refusal: undefined,
        mapped,
        rows: planned.rows as PlannedRow[],
        counts: planned.counts,
        changes,
      };
    }
    const { mapped } = chosen;
    if (!mapped.ok) return { kind: chosen.kind, refusal: mapped };
    const planned = await planSales(models, context, mapped.rows);
    return {
      kind: chosen.kind,
      refusal: undefined,
      mapped,
      rows: planned.rows as PlannedRow[],
      counts: planned.counts,
      changes: new Map<string, MatchChanges>(),
    };
  }

  /** Stores the plan, a chunk of rows per document, then the import itself. */
  async function store(imp: ImportRecord, rows: PlannedRow[]): Promise<void> {
    const chunks = [];
    for (let seq = 0; seq * domain.import.chunkRows < rows.length; seq++) {
      // As JSON holds them: a field left undefined (a paid sale's due date, a blank style) is left out, not stored as
      // null for the job to write onto the sale or card.
      const part = JSON.parse(
        JSON.stringify(rows.slice(seq * domain.import.chunkRows, (seq + 1) * domain.import.chunkRows)),
      ) as PlannedRow[];
      chunks.push({ _id: chunkId(imp._id, seq), teamId: imp.teamId, importId: imp._id, seq, rows: part });
    }
    await insertManyOnce(models.importRows, chunks);
    await models.imports.create(imp);
  }

  /**
   * The sheet asked for (else the first) read, mapped as customers or sales
   * (see mapSheet), and planned. When no sheet was asked for and the first
   * is not of the kind asked for, the workbook's first other sheet that is
   * (a workbook of customers, then sales, sent as sales) is taken instead;
   * else the first sheet as it is, or its refusal.
   */
  async function readAndPlan(request: PreviewRequest, fileHash: string) {
    const { teamId, userId, source } = request;
    const { timezone } = await settings.settingsFor(teamId);
    const today = todayIn(now(), timezone);
    const read = async (sheetName: string | undefined) => {
      const sheet = await readSheet(source.bytes, sheetName ? { sheetName } : {});
      if (!sheet.ok) return { sheet };
      return { sheet, chosen: mapSheet(request.kind, sheet.rows, today) };
    };
    const wanted = (r: Awaited<ReturnType<typeof read>>) => r.chosen?.mapped.ok && r.chosen.kind === request.kind;
    let found = await read(request.sheetName);
    if (!request.sheetName && found.sheet.ok && found.sheet.format === 'xlsx' && !wanted(found)) {
      const first = found.sheet.sheetName;
      for (const other of found.sheet.sheetNames.filter((n) => n !== first)) {
        const next = await read(other);
        if (wanted(next)) {
          found = next;
          break;
        }
      }
    }
    const { sheet, chosen } = found;
    if (!sheet.ok || !chosen) return { sheet };
    const name = sheet.format === 'xlsx' ? sheet.sheetName : undefined;
    const context: PlanContext = {
      teamId,
      importer: userId,
      forAnyone: request.forAnyone,
      people: peopleIndex(request.people),
      source: { fileHash, sheet: name ?? '' },
      cellsOf: cellsIndex(sheet.rows),
    };
    return { sheet, name, planned: await plan(chosen, context) };
  }

  /**
   * Reads the file, maps its columns, plans every row against the team's
   * cards and stores the plan: nothing of the team's is written. A file that
   * cannot be read, or has no header it understands, is refused with why.
   */
  async function preview(request: PreviewRequest): Promise<PreviewOutcome> {
    const { teamId, userId, source } = request;
    await clearExpired(teamId);
    const fileHash = createHash('sha256').update(source.bytes).digest('hex');
    const read = await readAndPlan(request, fileHash);
    const { sheet, name: sheetName } = read;
    if (!sheet.ok || !read.planned) return { status: 'unreadable', refusal: sheet as ReadRefusal };
    const { planned } = read;
    const { kind } = planned;
    if (planned.refusal) return { status: 'unmapped', kind, refusal: planned.refusal };
    const at = now();
    const imp: ImportRecord = {
      _id: new Types.ObjectId(),
      teamId,
      userId,
      kind,
      fileId: source.fileId,
      fileName: source.fileName,
      fileHash,
      ...(sheetName ? { sheetName } : {}),
      ...(sheet.format === 'xlsx' && sheet.sheetNames.length > 1 ? { sheetNames: sheet.sheetNames } : {}),
      columns: columnsOf(planned.mapped.columns),
      counts: planned.counts,
      chunks: Math.ceil(planned.rows.length / domain.import.chunkRows),
      chunksDone: 0,
      overwrite: false,
      state: 'previewed',
      version: 1,
      expiresAt: new Date(at.getTime() + domain.import.previewHours * 60 * 60_000),
      createdAt: at,
      updatedAt: at,
    };
    await store(imp, planned.rows);
    return {
      status: 'previewed',
      preview: {
        imp,
        rows: planned.rows,
        titleRows: planned.mapped.titleRows,
        forAnyone: request.forAnyone,
        changes: planned.changes,
      },
    };
  }

  const findImport = async (teamId: string, importId: string): Promise<ImportRecord | null> =>
    Types.ObjectId.isValid(importId)
      ? models.imports.findOne({ _id: oid(importId), teamId }).lean<ImportRecord>()
      : null;

  /** Where the preview was posted, so progress and the summary replace it. */
  async function attachMessage(imp: ImportRecord, channel: string, messageTs: string): Promise<void> {
    await writes.updateUntilWritten<ImportRecord>(models.imports, imp.teamId, imp._id, () => ({
      set: { channel, messageTs },
    }));
  }

  /** The importer's preview, if it is still theirs to act on: for Import, Cancel and the sheet picker. */
  async function ownPreview(teamId: string, userId: string, importId: string) {
    const imp = await findImport(teamId, importId);
    if (!imp) return { status: 'notFound' as const };
    if (imp.userId !== userId) return { status: 'notYours' as const };
    return { status: 'ok' as const, imp };
  }

  /**
   * Import pressed: the preview becomes a queued import (once, however often
   * it is pressed) and its job starts. A failed import is queued again and
   * goes on from where it stopped.
   */
  async function start(teamId: string, userId: string, importId: string, overwrite: boolean): Promise<StartOutcome> {
    const own = await ownPreview(teamId, userId, importId);
    if (own.status !== 'ok') return own;
    let outcome: StartOutcome | undefined;
    const queued = await writes.updateUntilWritten<ImportRecord>(models.imports, teamId, own.imp._id, (imp) => {
      if (imp.state === 'cancelled') outcome = { status: 'cancelled' };
      else if (imp.state === 'queued' || imp.state === 'running') outcome = { status: 'underWay' };
      else if (imp.state === 'done') outcome = { status: 'done' };
      else if (imp.state === 'previewed' && imp.expiresAt < now()) outcome = { status: 'expired' };
      else return { set: { state: 'queued', ...(imp.state === 'previewed' ? { overwrite } : {}) } };
      return null;
    });
    if (!queued) return outcome ?? { status: 'notFound' };
    await deps.queueImport({ teamId, importId: queued._id.toString() });
    return { status: 'queued', imp: queued };
  }

  /** Cancel pressed (or another sheet picked): nothing is written, and the plan goes. */
  async function cancel(teamId: string, userId: string, importId: string) {
    const own = await ownPreview(teamId, userId, importId);
    if (own.status !== 'ok') return own;
    const cancelled = await writes.updateUntilWritten<ImportRecord>(models.imports, teamId, own.imp._id, (imp) =>
      imp.state === 'previewed' ? { set: { state: 'cancelled' } } : null,
    );
    if (!cancelled) return { status: 'underWay' as const, imp: own.imp };
    await models.importRows.deleteMany({ teamId, importId: own.imp._id });
    return { status: 'cancelled' as const, imp: cancelled };
  }

  // ---------------------------------------------------------------- the job

  const historyIdOf = (imp: ImportRecord, id: string) => idFor(`${imp._id.toString()}:${id}:imported`);
  const sourceOf = (imp: ImportRecord, rowNumber: number): FieldChange[] => [
    { field: 'importFile', from: undefined, to: imp.sheetName ? `${imp.fileName} · ${imp.sheetName}` : imp.fileName },
    { field: 'importRow', from: undefined, to: rowNumber },
  ];

  /** A new card as stored, but its number (the bulk insert numbers it). */
  function cardDoc(imp: ImportRecord, row: Extract<PlannedCardRow, { action: 'create' }>, at: Date) {
    return defined({
      ...row.card,
      ...searchKeys(row.card),
      _id: oid(row.cardId),
      teamId: imp.teamId,
      importId: imp._id,
      version: 1,
      createdBy: imp.userId,
      updatedBy: imp.userId,
      createdAt: at,
      updatedAt: at,
    });
  }

  /**
   * One step of a customer import: its new cards in one bulk insert (those
   * made already, by this import before a crash or by a colleague importing
   * the same file, are not made again), each with its history entry, and one
   * `imported` event for the kinds; then each match merged, a guarded write
   * each (someone may be editing that card).
   */
  async function writeCardStep(imp: ImportRecord, startedAt: Date, seq: number, rows: PlannedCardRow[]) {
    const { teamId, userId } = imp;
    const creates = rows.filter((r) => r.action === 'create');
    // Cards of this step already there: made by this import before it stopped (ours to finish: history, events), or
    // by a colleague importing the same file (theirs: skipped here).
    const there = await models.customers
      .find({ teamId, _id: { $in: creates.map((r) => oid(r.cardId)) } }, { importId: 1 })
      .lean();
    const made = new Map(there.map((c) => [c._id.toString(), c.importId?.equals(imp._id) === true]));
    const inserted = await customers.insertNumberedMany(
      teamId,
      creates.filter((r) => !made.has(r.cardId)).map((r) => cardDoc(imp, r, startedAt)),
      startedAt,
    );
    for (const id of inserted) made.set(id.toString(), true);
    const mine = creates.filter((r) => made.get(r.cardId) === true);
    await insertManyOnce(
      models.history,
      mine.map((r) =>
        historyDoc(
          {
            teamId,
            customerId: oid(r.cardId),
            action: 'imported',
            userId,
            at: startedAt,
            changes: sourceOf(imp, r.rowNumber),
          },
          historyIdOf(imp, r.cardId),
        ),
      ),
    );
    if (mine.length > 0) {
      const event = { type: 'imported' as const, teamId, by: userId, customerIds: mine.map((r) => r.cardId) };
      await (await events.record(event, `${imp._id.toString()}:${seq}:imported`)).react();
    }
    let updated = 0;
    const matches = rows.filter((r) => r.action === 'match');
    const merged = await models.history
      .find({ teamId, _id: { $in: matches.map((r) => historyIdOf(imp, r.cardId)) } }, { _id: 1 })
      .lean();
    const mergedBefore = new Set(merged.map((h) => h._id.toString()));
    await inPoolOf(matches, async (r) => {
      const done =
        mergedBefore.has(historyIdOf(imp, r.cardId).toString()) ||
        (await customers.mergeImported(teamId, userId, oid(r.cardId), r.card, {
          overwrite: imp.overwrite,
          requestKey: `import:${imp._id.toString()}:${r.cardId}`,
          historyId: historyIdOf(imp, r.cardId),
          source: sourceOf(imp, r.rowNumber),
        }));
      if (done) updated += 1;
    });
    return {
      created: mine.length,
      updated,
      skipped: creates.length - mine.length + matches.length - updated,
      invalid: rows.length - creates.length - matches.length,
    };
  }

  /**
   * One step of a sales import: its new sales in one bulk insert (ids from
   * the file's rows: a step redone inserts nothing twice), each customer's
   * unpaid parts on their ledger, and one `salesImported` event for the kinds.
   */
  async function writeSaleStep(imp: ImportRecord, startedAt: Date, seq: number, rows: PlannedSaleRow[]) {
    const { teamId, userId } = imp;
    const creates = rows.filter((r): r is Exclude<PlannedSaleRow, { action: 'invalid' }> => r.action === 'create');
    const sales = creates.map(
      (r): SaleRecord =>
        defined({
          _id: oid(r.saleId),
          teamId,
          customerId: oid(r.customerId),
          ...r.sale,
          createdBy: userId,
          createdAt: startedAt,
        }) as unknown as SaleRecord,
    );
    await insertManyOnce(models.sales, sales as unknown as Record<string, unknown>[]);
    const byCustomer = new Map<string, { sales: SaleRecord[]; firstRow: number }>();
    creates.forEach((r, i) => {
      const entry = byCustomer.get(r.customerId) ?? { sales: [], firstRow: r.rowNumber };
      entry.sales.push(sales[i]!);
      byCustomer.set(r.customerId, entry);
    });
    await inPoolOf([...byCustomer], ([customerId, { sales: theirs, firstRow }]) =>
      money.recordImportedSales(teamId, userId, oid(customerId), theirs, {
        step: idFor(`${imp._id.toString()}:${seq}:${customerId}:sales`),
        source: sourceOf(imp, firstRow),
      }),
    );
    if (creates.length > 0) {
      const event = { type: 'salesImported' as const, teamId, by: userId, saleIds: creates.map((r) => r.saleId) };
      await (await events.record(event, `${imp._id.toString()}:${seq}:salesImported`)).react();
    }
    const matches = rows.filter((r) => r.action === 'match').length;
    return { created: creates.length, updated: 0, skipped: matches, invalid: rows.length - creates.length - matches };
  }

  const inPoolOf = async <T>(items: T[], work: (item: T) => Promise<unknown>) => {
    let next = 0;
    const worker = async () => {
      while (next < items.length) await work(items[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(domain.import.updateConcurrency, items.length) }, worker));
  };

  /** The plan's chunks from `from` on, in order, one at a time. */
  async function* chunksOf(imp: ImportRecord, from = 0): AsyncGenerator<{ seq: number; rows: PlannedRow[] }> {
    for (let seq = from; seq < imp.chunks; seq++) {
      const chunk = await models.importRows.findOne({ _id: chunkId(imp._id, seq), teamId: imp.teamId }).lean();
      yield { seq, rows: (chunk?.rows ?? []) as unknown as PlannedRow[] };
    }
  }

  /**
   * After every step: the referrals the file's new cards name, in the
   * referral ledger (a card named as referrer may come in a later step). No
   * contact nudge: these referrals are history.
   */
  async function linkReferrals(imp: ImportRecord): Promise<void> {
    const { teamId, userId } = imp;
    for await (const { rows } of chunksOf(imp)) {
      const named = (rows as PlannedCardRow[]).filter(
        (r): r is Extract<PlannedCardRow, { action: 'create' }> => r.action === 'create' && !!r.card.referrerId,
      );
      if (named.length === 0) continue;
      const cards = await models.customers
        .find({ teamId, _id: { $in: named.map((r) => oid(r.cardId)) }, importId: imp._id })
        .lean();
      const records: { model: Models[keyof Models]; doc: Record<string, unknown> }[] = [];
      for (const card of cards) {
        const link = await deps.referrals.checkLink(teamId, card._id, card.referrerId!);
        if (!link.ok || link.linked) continue;
        const step = `import:${imp._id.toString()}:${card._id.toString()}`;
        records.push(...(await deps.referrals.linkRecords({ prospect: card, referrer: link.referrer, userId, step })));
      }
      for (const model of new Set(records.map((r) => r.model)))
        await insertManyOnce(
          model,
          records.filter((r) => r.model === model).map((r) => r.doc),
        );
    }
  }

  /** Moves the import on (guarded: the job is the only writer once it runs, but a press of Import may race it). */
  const advance = (imp: ImportRecord, set: Partial<ImportRecord>) =>
    writes.updateUntilWritten<ImportRecord>(models.imports, imp.teamId, imp._id, () => ({ set }));

  /**
   * The job: every step not written yet, in order (a step is written
   * whole or redone whole, so an import taken up after a crash neither
   * doubles nor skips a row), progress after the first step and then every
   * few seconds, then the referrals, and the team's segments refreshed once.
   * Resolves with the finished import, or null when there is nothing to run
   * (cancelled, or finished already).
   */
  async function run(teamId: string, importId: string, hooks: RunHooks): Promise<ImportRecord | null> {
    const found = await findImport(teamId, importId);
    if (!found || !['queued', 'running', 'failed'].includes(found.state)) return null;
    const startedAt = found.startedAt ?? now();
    let imp = (await advance(found, { state: 'running', startedAt }))!;
    let result = imp.result ?? EMPTY_RESULT;
    // The preview becomes the progress at once (started, or how far an import taken up again is).
    await hooks.progress(imp, Math.min(imp.counts.rows, imp.chunksDone * domain.import.chunkRows), imp.counts.rows);
    let reported = performance.now();
    for await (const { seq, rows } of chunksOf(imp, imp.chunksDone)) {
      const step =
        imp.kind === 'cards'
          ? await writeCardStep(imp, startedAt, seq, rows as PlannedCardRow[])
          : await writeSaleStep(imp, startedAt, seq, rows as PlannedSaleRow[]);
      result = add(result, step);
      imp = (await advance(imp, { chunksDone: seq + 1, result }))!;
      await hooks.touch();
      if (performance.now() - reported >= domain.import.progressEveryMs) {
        reported = performance.now();
        await hooks.progress(imp, Math.min(imp.counts.rows, (seq + 1) * domain.import.chunkRows), imp.counts.rows);
      }
    }
    if (imp.kind === 'cards') await linkReferrals(imp);
    await segments.refreshTeam(teamId);
    return imp;
  }

  /** The rows the import refused, in file order, for the file of refused rows. */
  async function* refusedRows(imp: ImportRecord): AsyncGenerator<RefusedRow> {
    for await (const { rows } of chunksOf(imp)) {
      for (const row of rows)
        if (row.action === 'invalid') yield { rowNumber: row.rowNumber, cells: row.cells, problems: row.problems };
    }
  }

  /** Once the importer has been told: the import is done and its plan goes. */
  async function finish(imp: ImportRecord): Promise<void> {
    await advance(imp, { state: 'done' });
    await models.importRows.deleteMany({ teamId: imp.teamId, importId: imp._id });
  }

  /** The job stopped on an error: Import again goes on from the last step written. */
  async function fail(teamId: string, importId: string): Promise<ImportRecord | null> {
    const imp = await findImport(teamId, importId);
    return imp && advance(imp, { state: 'failed' });
  }

  return { preview, attachMessage, ownPreview, start, cancel, run, refusedRows, finish, fail };
}

export type ImportService = ReturnType<typeof createImportService>;
