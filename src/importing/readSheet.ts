import { domain } from '../config/domain.js';
import { Refused, type ReadRefusal, type SheetRow } from './rows.js';
import { readTextRows, type Delimiter } from './textRows.js';
import { readXlsxRows } from './xlsxRows.js';
import { openWorkbookZip, type WorkbookZip } from './workbookZip.js';

export type { ReadRefusal, SheetRow };

export interface ReadLimits {
  maxBytes: number;
  maxRows: number;
  maxColumns: number;
  maxCells: number;
  maxInflatedBytes: number;
  maxInflateRatio: number;
  sampleBytes: number;
}

const DEFAULT_READ_LIMITS: ReadLimits = {
  maxBytes: domain.import.maxBytes,
  maxRows: domain.import.maxRows,
  maxColumns: domain.import.maxColumns,
  maxCells: domain.import.maxCells,
  maxInflatedBytes: domain.import.maxInflatedBytes,
  maxInflateRatio: domain.import.maxInflateRatio,
  sampleBytes: domain.import.sampleBytes,
};

/** The sheet read: its non-blank rows, and what the file was, for the preview to say. */
type Sheet =
  | { format: 'xlsx'; sheetNames: string[]; sheetName: string; rows: SheetRow[] }
  | { format: 'text'; encoding: string; delimiter: Delimiter; rows: SheetRow[] };

export type ReadResult = ({ ok: true } & Sheet) | ({ ok: false } & ReadRefusal);

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** OLE compound file: a legacy .xls, or an .xlsx Excel saved with a password (it wraps the encrypted zip in one). */
const COMPOUND_FILE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const utf16 = (name: string) => Buffer.from(name, 'utf16le');

/** What a compound file holds, told by its stream names (UTF-16 in its directory); nothing in it is opened. */
function compoundFileRefusal(bytes: Buffer): ReadRefusal {
  if (bytes.includes(utf16('EncryptedPackage'))) return { reason: 'encrypted' };
  if (bytes.includes(utf16('Workbook')) || bytes.includes(utf16('Book'))) return { reason: 'legacyExcel' };
  return { reason: 'notSpreadsheet' };
}

/**
 * A spreadsheet a user uploaded, as rows of text: an .xlsx (the named sheet,
 * else the first visible one; all visible sheet names are returned so the
 * user can pick another) or a CSV/TSV text file in any of the encodings
 * Chinese offices produce. What the file is, is told from its bytes, never
 * from its name: a "customers.xls" that is really tab-separated text is read
 * as text. The file is untrusted: its size, rows, columns, cells and inflated size
 * are bounded, and nothing in it is evaluated (formulas give their cached
 * value, macros are never looked at).
 */
export async function readSheet(
  bytes: Buffer,
  options: { sheetName?: string; limits?: Partial<ReadLimits> } = {},
): Promise<ReadResult> {
  const limits = { ...DEFAULT_READ_LIMITS, ...options.limits };
  try {
    if (bytes.length > limits.maxBytes) return { ok: false, reason: 'tooLarge', maxBytes: limits.maxBytes };
    if (bytes.length === 0) return { ok: false, reason: 'empty' };
    if (bytes.subarray(0, COMPOUND_FILE.length).equals(COMPOUND_FILE))
      return { ok: false, ...compoundFileRefusal(bytes) };
    if (bytes.subarray(0, ZIP.length).equals(ZIP)) {
      const zip = await openWorkbookZip(bytes, limits);
      return { ok: true, format: 'xlsx', ...(await readXlsx(zip, options.sheetName, limits)) };
    }
    return { ok: true, format: 'text', ...readTextRows(bytes, limits) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, ...error.refusal };
    throw error;
  }
}

/** ExcelJS failing on a zip that passed the guard means a damaged or foreign workbook: the user is told it cannot be read. */
async function readXlsx(zip: WorkbookZip, sheetName: string | undefined, limits: ReadLimits) {
  try {
    const sheet = await readXlsxRows(zip, sheetName, limits);
    if (sheet.rows.length === 0) throw new Refused({ reason: 'empty', sheetNames: sheet.sheetNames });
    return sheet;
  } catch (error) {
    if (error instanceof Refused) throw error;
    throw new Refused({ reason: 'unreadable' });
  }
}
