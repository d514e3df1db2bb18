import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import type { ExportFilters, ExportRequest } from '../domain/exportRequest.js';
import { messagesFor, type Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Models } from '../models/index.js';
import type { SaleRecord } from '../models/sale.js';
import type { VisitRecord } from '../models/visit.js';
import { todayIn } from '../time.js';
import {
  cardHeader,
  cardRow,
  peopleIn,
  saleHeader,
  saleRow,
  visitHeader,
  visitRow,
  type CardRef,
  type CsvRow,
  type ExportContext,
} from './exportRows.js';
import { inBatches } from './batching.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  settings: TeamSettingsService;
  now: () => Date;
}

/** One written file: where it is on disk, what the user sees it called, and how many data rows it holds. */
export interface ExportFile {
  path: string;
  filename: string;
  rows: number;
}

export interface ExportSummary {
  cards: number;
  visits?: number;
  sales?: number;
}

/** Hands the written files on (to a DM); they are removed once it returns or throws. */
export type Deliver = (files: ExportFile[], summary: ExportSummary, t: Messages) => Promise<void>;

/** People's names (as Slack shows them) by user id; an id it cannot name is left out, and shown as the id. */
export type NameLookup = (userIds: string[]) => Promise<ReadonlyMap<string, string>>;

const noNames: NameLookup = async () => new Map();

/** How one export writes its rows: the team's language and time zone, and who people are. */
interface Writing {
  t: Messages;
  timezone: string;
  names: NameLookup;
}

/**
 * Rows through csv-stringify into a UTF-8 file with a BOM (so spreadsheets read it as UTF-8); resolves with the data
 * rows written.
 */
async function writeCsv(path: string, header: CsvRow, rows: AsyncIterable<CsvRow>): Promise<number> {
  let count = 0;
  async function* counted() {
    yield header;
    for await (const row of rows) {
      count += 1;
      yield row;
    }
  }
  await pipeline(Readable.from(counted()), stringify({ bom: true }), createWriteStream(path));
  return count;
}

const yearRange = (year: number) => ({ $gte: `${year}-01-01`, $lte: `${year}-12-31` });

/**
 * `/card export`: cards (and their visits or sales) streamed from the
 * database to CSV files in a temporary directory, a batch of cards at a
 * time, never the whole team in memory; then delivered and removed.
 */
export function createExportService({ models, settings, now }: Deps) {
  /** The team's cards matching the filters, by number (the team+number index); `year` only when asked for. */
  function cards(teamId: string, filters: ExportFilters, withYear: boolean, projection?: Record<string, 1>) {
    const query: Record<string, unknown> = { teamId };
    if (filters.tier) query.tier = filters.tier;
    if (filters.region !== undefined) query.region = filters.region;
    if (filters.ownerId) query.ownerId = filters.ownerId;
    if (withYear && filters.year !== undefined) query.year = filters.year;
    return models.customers
      .find(query, projection)
      .sort({ number: 1 })
      .lean<CustomerRecord[]>()
      .cursor({ batchSize: domain.export.batchSize });
  }

  async function referrersOf(teamId: string, batch: CustomerRecord[]): Promise<ExportContext['referrers']> {
    const ids = [...new Set(batch.flatMap((c) => (c.referrerId ? [c.referrerId] : [])))];
    if (ids.length === 0) return new Map();
    const referrers = await models.customers.find({ teamId, _id: { $in: ids } }, { name: 1, number: 1 }).lean();
    return new Map(referrers.map((r) => [r._id.toString(), { name: r.name, number: r.number }]));
  }

  async function* cardRows(
    teamId: string,
    filters: ExportFilters,
    { t, timezone, names }: Writing,
  ): AsyncGenerator<CsvRow> {
    for await (const batch of inBatches(cards(teamId, filters, true), domain.export.batchSize)) {
      const context = {
        referrers: await referrersOf(teamId, batch),
        names: await names(peopleIn(batch.map((c) => c.ownerId))),
        timezone,
      };
      for (const card of batch) yield cardRow(t, card, context);
    }
  }

  /**
   * Records of the cards the filters (but `year`) select, each batch's
   * records grouped under their card in card order; `year` picks the
   * records dated in it, whatever year their card was opened.
   */
  async function* recordRows<
    R extends { customerId: Types.ObjectId; date: string; createdBy: string; creditOverriddenBy?: string },
  >(
    teamId: string,
    filters: ExportFilters,
    read: (query: Record<string, unknown>) => Promise<R[]>,
    row: (card: CardRef, record: R, context: ExportContext) => CsvRow,
    { timezone, names }: Writing,
  ): AsyncGenerator<CsvRow> {
    const batches = inBatches(cards(teamId, filters, false, { number: 1, name: 1 }), domain.export.batchSize);
    for await (const batch of batches) {
      const query = {
        teamId,
        customerId: { $in: batch.map((c) => c._id) },
        ...(filters.year !== undefined ? { date: yearRange(filters.year) } : {}),
      };
      const byCard = new Map<string, R[]>();
      const records = await read(query);
      for (const record of records) {
        const key = record.customerId.toString();
        byCard.set(key, [...(byCard.get(key) ?? []), record]);
      }
      const context = {
        referrers: new Map(),
        names: await names(peopleIn(records.flatMap((r) => [r.createdBy, r.creditOverriddenBy]))),
        timezone,
      };
      for (const card of batch) {
        for (const record of byCard.get(card._id.toString()) ?? []) yield row(card, record, context);
      }
    }
  }

  const readVisits = (query: Record<string, unknown>) =>
    models.visits.find(query).sort({ date: 1, createdAt: 1 }).lean<VisitRecord[]>();
  const readSales = (query: Record<string, unknown>) =>
    models.sales.find(query).sort({ date: 1, createdAt: 1 }).lean<SaleRecord[]>();

  /** Each asked-for file, written in turn. */
  async function writeFiles(dir: string, teamId: string, request: ExportRequest, writing: Writing, day: string) {
    const { t } = writing;
    const file = async (
      name: string,
      filename: string,
      header: CsvRow,
      rows: AsyncIterable<CsvRow>,
    ): Promise<ExportFile> => {
      const path = join(dir, name);
      return { path, filename, rows: await writeCsv(path, header, rows) };
    };
    const { filename } = t.exports;
    return {
      cards: await file('cards.csv', filename.cards(day), cardHeader(t), cardRows(teamId, request, writing)),
      visits: request.visits
        ? await file(
            'visits.csv',
            filename.visits(day),
            visitHeader(t),
            recordRows(teamId, request, readVisits, (c, v, x) => visitRow(t, c, v, x), writing),
          )
        : undefined,
      sales: request.sales
        ? await file(
            'sales.csv',
            filename.sales(day),
            saleHeader(t),
            recordRows(teamId, request, readSales, (c, s, x) => saleRow(t, c, s, x), writing),
          )
        : undefined,
    };
  }

  /**
   * Writes the export in the team's language and time zone, people named
   * through `names`, and hands it to `deliver`.
   * Resolves with what it held; nothing is delivered when no row matched.
   * The temporary files are removed whatever happens.
   */
  async function exportCards(
    teamId: string,
    request: ExportRequest,
    deliver: Deliver,
    names: NameLookup = noNames,
  ): Promise<ExportSummary> {
    const { locale, timezone } = await settings.settingsFor(teamId);
    const t = messagesFor(locale);
    const dir = await mkdtemp(join(tmpdir(), 'card-export-'));
    try {
      const written = await writeFiles(dir, teamId, request, { t, timezone, names }, todayIn(now(), timezone));
      const summary: ExportSummary = {
        cards: written.cards.rows,
        visits: written.visits?.rows,
        sales: written.sales?.rows,
      };
      const files = [written.cards, written.visits, written.sales].filter((f): f is ExportFile => f !== undefined);
      if (files.some((f) => f.rows > 0)) await deliver(files, summary, t);
      return summary;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  return { exportCards };
}

export type ExportService = ReturnType<typeof createExportService>;
