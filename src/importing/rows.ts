/** One non-blank row of a sheet: its 1-based number in the file (as the user's spreadsheet shows it) and its cells as text. */
export interface SheetRow {
  rowNumber: number;
  cells: string[];
}

/** Why a file cannot be read at all; the i18n layer words each (`imports.refusals`). */
export type ReadRefusal =
  | { reason: 'tooLarge'; maxBytes: number }
  /** `sheetNames` when the workbook has other sheets the user may have meant. */
  | { reason: 'empty'; sheetNames?: string[] }
  | { reason: 'notSpreadsheet' }
  | { reason: 'legacyExcel' }
  | { reason: 'encrypted' }
  | { reason: 'zipBomb' }
  | { reason: 'unreadable' }
  | { reason: 'sheetNotFound'; sheetName: string; sheetNames: string[] }
  | { reason: 'tooManyRows'; maxRows: number }
  | { reason: 'tooManyColumns'; maxColumns: number }
  | { reason: 'tooManyCells'; maxCells: number };

/** Thrown inside a reader to stop it; readSheet turns it into its refusal. */
export class Refused extends Error {
  constructor(readonly refusal: ReadRefusal) {
    super(refusal.reason);
  }
}

/**
 * Keeps the non-blank rows of one sheet, trailing blank cells cut, and stops
 * the read with a refusal as soon as the sheet is past its row or column
 * limit, so a hostile file never fills memory.
 */
export class RowCollector {
  readonly rows: SheetRow[] = [];
  private cellCount = 0;

  constructor(private readonly limits: { maxRows: number; maxColumns: number; maxCells: number }) {}

  add(rowNumber: number, cells: string[]): void {
    let width = cells.length;
    while (width > 0 && cells[width - 1]!.trim() === '') width -= 1;
    if (width === 0) return;
    const { maxRows, maxColumns, maxCells } = this.limits;
    if (width > maxColumns) throw new Refused({ reason: 'tooManyColumns', maxColumns });
    if (this.rows.length >= maxRows) throw new Refused({ reason: 'tooManyRows', maxRows });
    this.cellCount += width;
    if (this.cellCount > maxCells) throw new Refused({ reason: 'tooManyCells', maxCells });
    this.rows.push({ rowNumber, cells: width === cells.length ? cells : cells.slice(0, width) });
  }
}
