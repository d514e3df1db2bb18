import { pipeline, Transform, type Readable } from 'node:stream';
import unzipper from 'unzipper';
import { Refused } from './rows.js';

export interface InflateLimits {
  maxInflatedBytes: number;
  maxInflateRatio: number;
}

/** A workbook's parts by path, each inflated only when opened, all counted against one budget. */
export interface WorkbookZip {
  has(path: string): boolean;
  open(path: string): Readable;
}

/** Passes bytes on while the budget lasts; past it, fails the read as a zip bomb. */
function budgeted(budget: { left: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      budget.left -= chunk.length;
      if (budget.left < 0) done(new Refused({ reason: 'zipBomb' }));
      else done(null, chunk);
    },
  });
}

/**
 * A zip that is a workbook, read through its central directory: only the
 * entries it lists, each found by path when needed (unlike a streaming pass,
 * which sees entries the directory hides and must take them in stored
 * order). Refused before anything is inflated when it is no workbook, or
 * when its declared sizes are out of proportion (more than `maxInflateRatio`
 * times the file, or `maxInflatedBytes`); and because a crafted zip can
 * declare small sizes and inflate hugely all the same, every byte inflated
 * is counted against that bound too, and the read fails as soon as it is
 * passed.
 */
export async function openWorkbookZip(bytes: Buffer, limits: InflateLimits): Promise<WorkbookZip> {
  let directory: unzipper.CentralDirectory;
  try {
    directory = await unzipper.Open.buffer(bytes);
  } catch {
    // It starts like a zip but its directory cannot be read: a workbook cut short or damaged.
    throw new Refused({ reason: 'unreadable' });
  }
  const files = new Map(directory.files.map((f) => [f.path, f]));
  if (!files.has('xl/workbook.xml')) throw new Refused({ reason: 'notSpreadsheet' });
  const budget = { left: Math.min(limits.maxInflatedBytes, bytes.length * limits.maxInflateRatio) };
  const declared = directory.files.reduce((sum, f) => sum + f.uncompressedSize, 0);
  if (declared > budget.left) throw new Refused({ reason: 'zipBomb' });
  return {
    has: (path) => files.has(path),
    open(path) {
      const file = files.get(path);
      if (!file) throw new Refused({ reason: 'unreadable' });
      // pipeline destroys the entry's inflater with the counter, when the read fails or stops early.
      return pipeline(file.stream(), budgeted(budget), () => undefined);
    },
  };
}
