import { isUtf8 } from 'node:buffer';
import { analyse } from 'chardet';
import { parse, type Options } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { Refused, RowCollector, type SheetRow } from './rows.js';

export interface TextSheet {
  /** The encoding the file was read in, as iconv-lite names it. */
  encoding: string;
  delimiter: Delimiter;
  rows: SheetRow[];
}

export type Delimiter = ',' | '\t' | ';';
/** In order of preference when two fit a sample equally well. */
const DELIMITERS: readonly Delimiter[] = [',', '\t', ';'];

const BOMS: readonly { bytes: number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/** Encodings chardet may name that a sheet of Latin letters would be read in; for this team's files, GB18030 is the likelier of two guesses. */
const LATIN_GUESS = /^(ISO-8859-|windows-125)/i;

/**
 * The encoding: a BOM if there is one; UTF-16 without one when every other
 * byte of the sample is zero; UTF-8 if the bytes are valid UTF-8 (GBK
 * Chinese practically never is); else chardet's best guess, with GB18030
 * (what Excel on Chinese Windows writes, a superset of GBK) preferred to a
 * Latin code page and used when chardet has no guess.
 */
function detectEncoding(bytes: Buffer, sampleBytes: number): { encoding: string; bomLength: number } {
  const bom = BOMS.find((b) => b.bytes.every((byte, i) => bytes[i] === byte));
  if (bom) return { encoding: bom.encoding, bomLength: bom.bytes.length };
  const sample = bytes.subarray(0, sampleBytes);
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  if (isUtf8(bytes)) return { encoding: 'utf-8', bomLength: 0 };
  const guesses = analyse(sample)
    .map((m) => m.name)
    .filter((name) => iconv.encodingExists(name));
  const best = guesses[0];
  const encoding = !best || (LATIN_GUESS.test(best) && guesses.includes('GB18030')) ? 'gb18030' : best;
  return { encoding: encoding.toLowerCase(), bomLength: 0 };
}

/** Text of mostly ASCII in UTF-16 has a zero in every other byte: in the odd ones little-endian, the even ones big-endian. */
function utf16WithoutBom(sample: Buffer): string | undefined {
  const pairs = Math.floor(sample.length / 2);
  if (pairs < 2) return undefined;
  let zeroHigh = 0;
  let zeroLow = 0;
  for (let i = 0; i < pairs; i += 1) {
    if (sample[2 * i] === 0) zeroLow += 1;
    if (sample[2 * i + 1] === 0) zeroHigh += 1;
  }
  if (zeroHigh > pairs * 0.4 && zeroLow < pairs * 0.05) return 'utf-16le';
  if (zeroLow > pairs * 0.4 && zeroHigh < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** Control characters a text file has no use for (tab, LF and CR aside), and U+FFFD where the decoder gave up. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNTEXTLIKE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/g;
/** A web page or XML (often a "report.xls" from an older system) is no table this reader can take. */
const MARKUP = /^\s*<(?:!doctype|html|\?xml|table|head|body)/i;

/** A file whose sample is more than this share of control and undecodable characters is binary (an image, a PDF…). */
const MAX_UNTEXTLIKE_SHARE = 0.01;

function assertText(text: string, sampleChars: number): void {
  const sample = text.slice(0, sampleChars);
  const untextlike = sample.match(UNTEXTLIKE)?.length ?? 0;
  if (sample.includes('\u0000') || untextlike > sample.length * MAX_UNTEXTLIKE_SHARE || MARKUP.test(sample)) {
    throw new Refused({ reason: 'notSpreadsheet' });
  }
}

const PARSE_OPTIONS: Options = { relax_column_count: true, relax_quotes: true, skip_empty_lines: false };

/**
 * The delimiter that splits the sample into the most cells in rows of one
 * same width (more than one column): a title line or a stray comma in a note
 * does not sway it, nor do the extra short rows a wrong delimiter makes of a
 * quoted note with line breaks. A file of one column is read with commas.
 */
function detectDelimiter(text: string, sampleChars: number): Delimiter {
  const lastBreak = text.lastIndexOf('\n', sampleChars);
  const sample = text.length <= sampleChars ? text : text.slice(0, lastBreak > 0 ? lastBreak : sampleChars);
  let best: { delimiter: Delimiter; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of DELIMITERS) {
    const score = cellsInSameWidthRows(sample, delimiter);
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

function cellsInSameWidthRows(sample: string, delimiter: Delimiter): number {
  let records: string[][];
  try {
    const parsed: unknown = parse(sample, { ...PARSE_OPTIONS, delimiter, skip_records_with_error: true });
    records = parsed as string[][];
  } catch {
    return 0;
  }
  const widths = new Map<number, number>();
  for (const record of records) if (record.length > 1) widths.set(record.length, (widths.get(record.length) ?? 0) + 1);
  return Math.max(0, ...[...widths].map(([width, rows]) => width * rows));
}

/**
 * A CSV or TSV file (`.csv`, `.txt`, Excel's "Unicode text"), decoded and
 * split. Row numbers count records, as a spreadsheet opening the file
 * numbers its rows, so a note with a line break inside is one row.
 */
export function readTextRows(
  bytes: Buffer,
  limits: { maxRows: number; maxColumns: number; maxCells: number; sampleBytes: number },
): TextSheet {
  const { encoding, bomLength } = detectEncoding(bytes, limits.sampleBytes);
  const text = iconv.decode(bytes.subarray(bomLength), encoding, { stripBOM: false });
  assertText(text, limits.sampleBytes);
  const delimiter = detectDelimiter(text, limits.sampleBytes);
  const collector = new RowCollector(limits);
  try {
    // Rows go to the collector, never into csv-parse's own result, so a file past the limit stops at it.
    parse(text, {
      ...PARSE_OPTIONS,
      delimiter,
      on_record: (record: string[], context) => {
        collector.add(context.records, record);
        return null;
      },
    });
  } catch (error) {
    if (error instanceof Refused) throw error;
    throw new Refused({ reason: 'unreadable' });
  }
  if (collector.rows.length === 0) throw new Refused({ reason: 'empty' });
  return { encoding, delimiter, rows: collector.rows };
}
