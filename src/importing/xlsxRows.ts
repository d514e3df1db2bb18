import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellText } from './cellText.js';
import { Refused, RowCollector, type ReadRefusal, type SheetRow } from './rows.js';

/**
 * What ExcelJS's streaming reader knows once `xl/workbook.xml` is read but
 * leaves out of its typings: the sheets in workbook order (the order the
 * user sees their tabs in, not the order of the files in the zip) and
 * whether the workbook counts days from 1904 (old Mac Excel).
 */
interface ReaderInternals {
  model?: { sheets?: { name: string; state?: string }[] };
  properties?: { model?: { date1904?: boolean } };
}

export interface XlsxSheet {
  sheetNames: string[];
  sheetName: string;
  rows: SheetRow[];
}

/**
 * The rows of one worksheet: `sheetName`, else the first visible one. The
 * reader streams (its memory stays that of one row plus the shared strings);
 * every worksheet is passed over to the end even once the wanted one is read,
 * because ExcelJS removes the temporary file it spools a worksheet to only
 * when asked for the next one.
 */
export async function readXlsxRows(bytes: Buffer, sheetName: string | undefined, limits: { maxRows: number; maxColumns: number }): Promise<XlsxSheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const internals = reader as unknown as ReaderInternals;
  const collector = new RowCollector(limits);
  let refusal: ReadRefusal | undefined;
  let chosen: string | undefined;
  const visibleSheets = () => (internals.model?.sheets ?? []).filter((s) => s.state === undefined || s.state === 'visible').map((s) => s.name);
  for await (const worksheet of reader) {
    const name = (worksheet as unknown as { name: string }).name;
    const wanted = sheetName ?? visibleSheets()[0] ?? name;
    if (chosen !== undefined || name !== wanted) continue;
    chosen = name;
    const date1904 = internals.properties?.model?.date1904 === true;
    for await (const row of worksheet) {
      if (refusal) continue;
      try {
        collector.add(row.number, rowCells(row, date1904));
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        refusal = error.refusal;
      }
    }
  }
  // Read at the end: a zip may put xl/workbook.xml, which names the sheets, after them.
  const sheetNames = visibleSheets();
  if (refusal) throw new Refused(refusal);
  if (chosen === undefined) {
    throw new Refused(sheetName === undefined ? { reason: 'empty' } : { reason: 'sheetNotFound', sheetName, sheetNames });
  }
  return { sheetNames, sheetName: chosen, rows: collector.rows };
}

function rowCells(row: ExcelJS.Row, date1904: boolean): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    while (cells.length < column - 1) cells.push('');
    cells[column - 1] = cellText(cell.value, cell.numFmt, date1904);
  });
  return cells;
}
