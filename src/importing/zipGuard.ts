import { Readable } from 'node:stream';
import unzipper from 'unzipper';
import { Refused } from './rows.js';

export interface InflateLimits {
  maxInflatedBytes: number;
  maxInflateRatio: number;
}

/** The most a workbook of `size` bytes may inflate to. */
const inflateCap = (size: number, limits: InflateLimits) => Math.min(limits.maxInflatedBytes, size * limits.maxInflateRatio);

/**
 * Refuses a zip that is no workbook or that inflates out of proportion,
 * before ExcelJS inflates anything. First the sizes its central directory
 * declares; then, because a crafted zip can declare small sizes and still
 * inflate hugely (or hide entries the directory does not list), the entries
 * are inflated once and counted, discarding the output, by the same
 * streaming parser (unzipper) ExcelJS reads them with: what passes here is
 * exactly what ExcelJS will inflate.
 */
export async function checkWorkbookZip(bytes: Buffer, limits: InflateLimits): Promise<void> {
  const cap = inflateCap(bytes.length, limits);
  let directory: unzipper.CentralDirectory;
  try {
    directory = await unzipper.Open.buffer(bytes);
  } catch {
    // It starts like a zip but its directory cannot be read: a workbook cut short or damaged.
    throw new Refused({ reason: 'unreadable' });
  }
  if (!directory.files.some((f) => f.path === 'xl/workbook.xml')) throw new Refused({ reason: 'notSpreadsheet' });
  const declared = directory.files.reduce((sum, f) => sum + f.uncompressedSize, 0);
  if (declared > cap) throw new Refused({ reason: 'zipBomb' });
  if ((await inflatedBytes(bytes, cap)) > cap) throw new Refused({ reason: 'zipBomb' });
}

/** Bytes the zip's entries inflate to, counted up to just past `cap`. */
async function inflatedBytes(bytes: Buffer, cap: number): Promise<number> {
  const entries = Readable.from([bytes]).pipe(unzipper.Parse({ forceStream: true }));
  let total = 0;
  try {
    for await (const entry of entries as AsyncIterable<unzipper.Entry>) {
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > cap) return total;
      }
    }
  } catch {
    throw new Refused({ reason: 'unreadable' });
  } finally {
    entries.destroy();
  }
  return total;
}
