import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellText } from './cellText.js';
import { Refused, RowCollector, type SheetRow } from './rows.js';
import type { WorkbookZip } from './workbookZip.js';

/**
 * ExcelJS's streaming WorkbookReader, driven part by part. Its own `parse()`
 * takes the zip in one streaming pass that, on Node 18 and later, can drop
 * the entries stored last (exceljs#3064, open) — `xl/workbook.xml` in
 * workbooks ExcelJS writes, the shared strings in many Excel writes — and
 * spools worksheets to temporary files. So the parts are handed to its own
 * parsers here, from the zip's directory, in the order they depend on each
 * other. These are ExcelJS 4.4.0's internals: package.json pins that
 * version, and the reader tests fail if they change.
 */
interface ReaderInternals {
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { name: string; id: number; rId: string; state?: string }[] };
  properties?: { model?: { date1904?: boolean } };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  /** Yields one event: the worksheet's reader, which iterates its rows. */
  _parseWorksheet(
    entry: Readable,
    sheetNo: string,
  ): Iterator<{ eventType: 'worksheet'; value: AsyncIterable<ExcelJS.Row> }, void>;
}

const PART = {
  rels: 'xl/_rels/workbook.xml.rels',
  workbook: 'xl/workbook.xml',
  sharedStrings: 'xl/sharedStrings.xml',
  styles: 'xl/styles.xml',
};

/** A relationship target as a path in the zip: relative to `xl/`, or absolute from the root. */
const partPath = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target}`);

export interface XlsxSheet {
  sheetNames: string[];
  sheetName: string;
  rows: SheetRow[];
}

/**
 * The rows of one worksheet: `sheetName`, else the first visible one (in
 * the order the user sees the tabs). Only that worksheet is read, streamed
 * row by row: memory stays that of the rows kept plus the shared strings.
 * Styles are read so that date cells are told from numbers.
 */
export async function readXlsxRows(
  zip: WorkbookZip,
  sheetName: string | undefined,
  limits: { maxRows: number; maxColumns: number; maxCells: number },
): Promise<XlsxSheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as ReaderInternals;
  if (!zip.has(PART.rels)) throw new Refused({ reason: 'unreadable' });
  await reader._parseRels(zip.open(PART.rels));
  await reader._parseWorkbook(zip.open(PART.workbook));
  if (zip.has(PART.sharedStrings))
    for await (const _string of reader._parseSharedStrings(zip.open(PART.sharedStrings)));
  if (zip.has(PART.styles)) await reader._parseStyles(zip.open(PART.styles));

  const sheets = reader.model?.sheets ?? [];
  const sheetNames = sheets.filter((s) => s.state === undefined || s.state === 'visible').map((s) => s.name);
  const sheet =
    sheetName === undefined ? sheets.find((s) => s.name === sheetNames[0]) : sheets.find((s) => s.name === sheetName);
  if (!sheet)
    throw new Refused(
      sheetName === undefined ? { reason: 'empty', sheetNames } : { reason: 'sheetNotFound', sheetName, sheetNames },
    );
  const target = reader.workbookRels?.find((r) => r.Id === sheet.rId)?.Target;
  if (!target || !zip.has(partPath(target))) throw new Refused({ reason: 'unreadable' });

  const emitted = reader._parseWorksheet(zip.open(partPath(target)), String(sheet.id)).next();
  if (emitted.done) throw new Refused({ reason: 'unreadable' });
  const worksheet = emitted.value.value;
  const date1904 = reader.properties?.model?.date1904 === true;
  const collector = new RowCollector(limits);
  // A refusal thrown here ends the loop, and with it the worksheet's stream.
  for await (const row of worksheet) collector.add(row.number, rowCells(row, date1904));
  return { sheetNames, sheetName: sheet.name, rows: collector.rows };
}

function rowCells(row: ExcelJS.Row, date1904: boolean): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    while (cells.length < column - 1) cells.push('');
    cells[column - 1] = cellText(cell.value, cell.numFmt, date1904);
  });
  return cells;
}
