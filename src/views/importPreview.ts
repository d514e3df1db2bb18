import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import type { FieldChange } from '../domain/diff.js';
import { formatFen } from '../domain/money.js';
import { escapeMrkdwn, joinMrkdwn, md, type Mrkdwn } from '../i18n/mrkdwn.js';
import type { Messages } from '../i18n/index.js';
import type { ImportKind, ImportRecord } from '../models/import.js';
import type { PlannedCardRow, PlannedRow, PlannedSaleRow, RowProblem } from '../services/importPlan.js';
import type { ImportPreview } from '../services/imports.js';
import { formatInstant } from '../time.js';
import { importButtonValue, importSheetValue } from './buttonValues.js';
import { displayValue } from './fieldValues.js';
import { ACTION, CALLBACK, IMPORT_BLOCK } from './ids.js';
import { problemsText, problemText, targetLabel } from './importText.js';
import { LIMITS, PREVIEW } from './limits.js';
import { message, type SlackMessage } from './message.js';
import { mrkdwn, plain, section } from './text.js';

/** `/card import`: Slack's file input (one spreadsheet) and what the file holds. */
export function renderImportModal(t: Messages, kind: ImportKind): types.ModalView {
  const m = t.imports.modal;
  const option = (value: ImportKind) => ({ text: plain(m.kinds[value], LIMITS.optionText), value });
  return {
    type: 'modal',
    callback_id: CALLBACK.importModal,
    title: plain(m.title, LIMITS.modalTitle),
    submit: plain(m.submit, LIMITS.modalTitle),
    close: plain(t.imports.preview.cancelButton, LIMITS.modalTitle),
    blocks: [
      {
        type: 'input',
        block_id: IMPORT_BLOCK.file,
        label: plain(m.file, 2000),
        element: { type: 'file_input', action_id: IMPORT_BLOCK.file, filetypes: ['xlsx', 'csv', 'txt'], max_files: 1 },
      } as unknown as types.InputBlock,
      {
        type: 'input',
        block_id: IMPORT_BLOCK.kind,
        label: plain(m.kind, 2000),
        element: {
          type: 'radio_buttons',
          action_id: IMPORT_BLOCK.kind,
          options: [option('cards'), option('sales')],
          initial_option: option(kind),
        },
      },
      { type: 'context', elements: [mrkdwn(escapeMrkdwn(m.hint), LIMITS.contextText)] },
    ],
  };
}

/** The modal once submitted: the preview is on its way to the DM. */
export function renderReadingModal(t: Messages): types.ModalView {
  return {
    type: 'modal',
    title: plain(t.imports.modal.title, LIMITS.modalTitle),
    close: plain(t.modal.close, LIMITS.modalTitle),
    blocks: [section(escapeMrkdwn(t.imports.modal.reading), LIMITS.sectionText)],
  };
}

const fileLabel = (imp: Pick<ImportRecord, 'fileName'>) => escapeMrkdwn(imp.fileName);

/** Lines of a list, the first `previewListed`, then how many more. */
function listed<T>(t: Messages, header: Mrkdwn, items: T[], line: (item: T) => Mrkdwn): types.KnownBlock[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, domain.import.previewListed).map(line);
  const rest = items.length - shown.length;
  const lines = [header, ...shown, ...(rest > 0 ? [t.imports.preview.more(rest)] : [])];
  return [section(joinMrkdwn(lines, '\n'), LIMITS.sectionText)];
}

function columnsLine(t: Messages, imp: ImportRecord): Mrkdwn {
  const p = t.imports.preview;
  const sheet = imp.kind;
  const parts = imp.columns.map((c) => {
    const header = escapeMrkdwn(c.header);
    if (c.role === 'field' && c.target) return p.columnField(header, escapeMrkdwn(targetLabel(t, sheet, c.target)));
    return c.role === 'extra' ? p.columnExtra(header) : p.columnIgnored(header);
  });
  return joinMrkdwn([md`${escapeMrkdwn(p.columnsHeader)}`, joinMrkdwn(parts, ' · ')], '\n');
}

function changeText(t: Messages, changes: FieldChange[], replacing: boolean): Mrkdwn {
  const p = t.imports.preview;
  const label = (field: string) => escapeMrkdwn(targetLabel(t, 'cards', field));
  const value = (field: string, v: unknown) => displayValue(t, field, v, PREVIEW.historyChange);
  return joinMrkdwn(
    changes
      .filter((c) => c.field !== 'referrerId')
      .map((c) =>
        replacing
          ? p.replace(label(c.field), value(c.field, c.from), value(c.field, c.to))
          : p.fill(label(c.field), value(c.field, c.to)),
      ),
    t.imports.listSeparator,
  );
}

function newCardLine(t: Messages, row: Extract<PlannedCardRow, { action: 'create' }>): Mrkdwn {
  const details = [row.card.company, row.card.phone].filter(Boolean).map((d) => escapeMrkdwn(String(d)));
  const owner = t.imports.preview.owner(displayValue(t, 'ownerId', row.card.ownerId));
  return t.imports.preview.newRow(
    row.rowNumber,
    escapeMrkdwn(row.card.name),
    joinMrkdwn([md``, ...details, owner], ' · '),
  );
}

function matchLine(t: Messages, preview: ImportPreview, row: Extract<PlannedCardRow, { action: 'match' }>): Mrkdwn {
  const p = t.imports.preview;
  const head = p.matchRow(row.rowNumber, escapeMrkdwn(row.name), escapeMrkdwn(row.number));
  const changes = preview.changes.get(row.cardId);
  const fills = changes?.fills.filter((c) => c.field !== 'referrerId') ?? [];
  const replaces = changes?.replaces.filter((c) => c.field !== 'referrerId') ?? [];
  const said = [
    ...(fills.length > 0 ? [p.fills(changeText(t, fills, false))] : []),
    ...(replaces.length > 0 ? [p.replaces(changeText(t, replaces, true))] : []),
  ];
  return joinMrkdwn([head, ...(said.length > 0 ? said : [escapeMrkdwn(p.unchanged)])], '\n    ');
}

function saleLine(t: Messages, row: Exclude<PlannedSaleRow, { action: 'invalid' }>): Mrkdwn {
  const p = t.imports.preview;
  const { sale } = row;
  const details = [
    sale.date,
    `${sale.product} ×${sale.quantity}`,
    formatFen(sale.amountFen),
    sale.paidInFull ? p.paid : p.unpaid(sale.dueDate ?? ''),
  ].join(' · ');
  return p.saleRow(
    row.rowNumber,
    escapeMrkdwn(row.customer.name),
    escapeMrkdwn(row.customer.number),
    escapeMrkdwn(details),
  );
}

const problemLine = (t: Messages, kind: ImportKind, rowNumber: number, problems: RowProblem[]) =>
  t.imports.preview.problemRow(rowNumber, escapeMrkdwn(problemsText(t, kind, problems)));

/** The lists of a customer sheet's preview: new cards, matches and what they would change. */
function cardLists(t: Messages, preview: ImportPreview): types.KnownBlock[] {
  const rows = preview.rows as PlannedCardRow[];
  const creates = rows.filter((r): r is Extract<PlannedCardRow, { action: 'create' }> => r.action === 'create');
  const matches = rows.filter((r): r is Extract<PlannedCardRow, { action: 'match' }> => r.action === 'match');
  const p = t.imports.preview;
  return [
    ...listed(t, p.newHeader(creates.length), creates, (r) => newCardLine(t, r)),
    ...listed(t, p.matchHeader(matches.length), matches, (r) => matchLine(t, preview, r)),
  ];
}

function saleLists(t: Messages, preview: ImportPreview): types.KnownBlock[] {
  const creates = (preview.rows as PlannedSaleRow[]).filter(
    (r): r is Exclude<PlannedSaleRow, { action: 'invalid' }> => r.action === 'create',
  );
  return listed(t, t.imports.preview.saleHeader(creates.length), creates, (r) => saleLine(t, r));
}

/** The rows refused, then what to note about the others. */
function problemLists(t: Messages, kind: ImportKind, rows: PlannedRow[]): types.KnownBlock[] {
  const p = t.imports.preview;
  const invalid = rows.filter((r): r is Extract<PlannedRow, { action: 'invalid' }> => r.action === 'invalid');
  const warned = rows.flatMap((r) =>
    r.action === 'invalid' ? [] : r.warnings.map((w) => ({ rowNumber: r.rowNumber, warning: w })),
  );
  return [
    ...listed(t, p.invalidHeader(invalid.length), invalid, (r) => problemLine(t, kind, r.rowNumber, r.problems)),
    ...listed(t, p.warningsHeader(warned.length), warned, (w) =>
      p.problemRow(w.rowNumber, escapeMrkdwn(problemText(t, kind, w.warning))),
    ),
  ];
}

function sheetPicker(t: Messages, imp: ImportRecord): types.KnownBlock[] {
  if (!imp.sheetNames || imp.sheetNames.length < 2) return [];
  const options = imp.sheetNames.slice(0, LIMITS.selectOptions).map((name, index) => ({
    text: plain(name, LIMITS.optionText),
    value: importSheetValue(imp._id.toString(), index),
  }));
  const current = options.find((_, i) => imp.sheetNames![i] === imp.sheetName);
  return [
    {
      type: 'section',
      text: mrkdwn(escapeMrkdwn(t.imports.preview.sheetPick), LIMITS.sectionText),
      accessory: {
        type: 'static_select',
        action_id: ACTION.importSheet,
        placeholder: plain(t.imports.preview.sheetPlaceholder, LIMITS.placeholder),
        options,
        ...(current ? { initial_option: current } : {}),
      },
    },
  ];
}

/** Import (with the overwrite box, for customers) and Cancel; only Cancel when nothing would be written. */
function actions(t: Messages, imp: ImportRecord): types.KnownBlock[] {
  const p = t.imports.preview;
  const id = importButtonValue(imp._id.toString());
  const writes = imp.counts.create + (imp.kind === 'cards' ? imp.counts.match : 0) > 0;
  const cancel = {
    type: 'button' as const,
    action_id: ACTION.importCancel,
    text: plain(p.cancelButton, LIMITS.buttonText),
    value: id,
  };
  if (!writes)
    return [section(escapeMrkdwn(p.nothingToImport), LIMITS.sectionText), { type: 'actions', elements: [cancel] }];
  const overwrite: types.KnownBlock[] =
    imp.kind === 'cards' && imp.counts.match > 0
      ? [
          {
            type: 'actions',
            block_id: IMPORT_BLOCK.overwrite,
            elements: [
              {
                type: 'checkboxes',
                action_id: ACTION.importOverwrite,
                options: [
                  {
                    text: plain(p.overwrite, LIMITS.optionText),
                    description: plain(p.overwriteHint, LIMITS.optionText),
                    value: 'overwrite',
                  },
                ],
              },
            ],
          },
        ]
      : [];
  return [
    ...overwrite,
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.importConfirm,
          style: 'primary',
          text: plain(p.importButton, LIMITS.buttonText),
          value: id,
        },
        cancel,
      ],
    },
  ];
}

/**
 * The preview, in the importer's DM: what the file is, how its columns are
 * read, what would be made, matched, changed and refused (each list capped,
 * saying how many more), then Import and Cancel. Nothing is written yet.
 */
export function renderImportPreview(t: Messages, preview: ImportPreview, timezone: string): SlackMessage {
  const { imp } = preview;
  const p = t.imports.preview;
  const counts = imp.kind === 'cards' ? p.cardCounts : p.saleCounts;
  const summary = joinMrkdwn(
    [
      p.file(fileLabel(imp)),
      ...(imp.sheetName ? [p.sheet(escapeMrkdwn(imp.sheetName))] : []),
      counts(imp.counts.rows, imp.counts.create, imp.counts.match, imp.counts.invalid),
    ],
    '\n',
  );
  const context = (text: string): types.KnownBlock => ({
    type: 'context',
    elements: [mrkdwn(escapeMrkdwn(text), LIMITS.contextText)],
  });
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain(p.title, LIMITS.headerText) },
    section(summary, LIMITS.sectionText),
    ...sheetPicker(t, imp),
    { type: 'context', elements: [mrkdwn(columnsLine(t, imp), LIMITS.contextText)] },
    ...(preview.titleRows.length > 0 ? [context(p.titleRows(preview.titleRows.join(t.imports.listSeparator)))] : []),
    ...(preview.forAnyone ? [] : [context(p.ownOnly)]),
    ...(imp.kind === 'cards' ? cardLists(t, preview) : saleLists(t, preview)),
    ...problemLists(t, imp.kind, preview.rows),
    ...actions(t, imp),
    context(p.expires(formatInstant(imp.expiresAt, timezone))),
  ];
  return message(p.fallback(fileLabel(imp)), blocks);
}

/** The preview message while the job writes. */
export function renderImportProgress(t: Messages, imp: ImportRecord, done: number, total: number): SlackMessage {
  const text = done === 0 ? t.imports.started(fileLabel(imp), total) : t.imports.progress(fileLabel(imp), done, total);
  return message(text, [section(text, LIMITS.sectionText)]);
}

/** The preview message once the import is written: what it did. */
export function renderImportSummary(t: Messages, imp: ImportRecord): SlackMessage {
  const r = imp.result ?? { created: 0, updated: 0, skipped: 0, invalid: 0 };
  const text =
    imp.kind === 'cards'
      ? t.imports.cardSummary(fileLabel(imp), r.created, r.updated, r.skipped, r.invalid)
      : t.imports.saleSummary(fileLabel(imp), r.created, r.skipped, r.invalid);
  return message(text, [section(text, LIMITS.sectionText)]);
}

/** The preview message when the job stopped on an error: Continue queues it again. */
export function renderImportFailed(t: Messages, imp: ImportRecord): SlackMessage {
  const text = t.imports.failed(fileLabel(imp));
  return message(text, [
    section(text, LIMITS.sectionText),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.importConfirm,
          style: 'primary',
          text: plain(t.imports.continueButton, LIMITS.buttonText),
          value: importButtonValue(imp._id.toString()),
        },
      ],
    },
  ]);
}
