import type { types } from '@slack/bolt';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { HistoryRecord } from '../models/history.js';
import type { VisitRecord } from '../models/visit.js';
import type { CardHistory } from '../services/history.js';
import { CALLBACK } from './ids.js';
import { formatInstant } from '../time.js';
import { displayValue, optionLabel } from './fieldValues.js';
import { header } from './inputs.js';
import { LIMITS, PREVIEW } from './limits.js';
import { historySourceLines } from './messageSource.js';
import { plain, section } from './text.js';
import { escapeMrkdwn, joinMrkdwn, md, mention, truncate, type Mrkdwn } from '../i18n/mrkdwn.js';

function fieldLabel(t: Messages, field: string): string {
  return (t.fields as Record<string, string>)[field] ?? (t.visit as unknown as Record<string, string>)[field] ?? field;
}

function entryText(t: Messages, entry: HistoryRecord, timezone: string): Mrkdwn {
  const who = mention(entry.userId, '');
  const at = escapeMrkdwn(formatInstant(entry.at, timezone));
  const headline = t.history[entry.action](who, at);
  const changes = entry.changes.map((c) =>
    t.history.change(
      escapeMrkdwn(fieldLabel(t, c.field)),
      displayValue(t, c.field, c.from, PREVIEW.historyChange),
      displayValue(t, c.field, c.to, PREVIEW.historyChange),
    ),
  );
  const note = entry.note ? [escapeMrkdwn(truncate(entry.note, PREVIEW.historyVisitText))] : [];
  const source = entry.source ? historySourceLines(t, entry.source) : [];
  return joinMrkdwn([headline, ...changes, ...note, ...source], '\n');
}

function visitText(t: Messages, v: VisitRecord): Mrkdwn {
  const head = md`*${t.visit.line(escapeMrkdwn(v.date), escapeMrkdwn(optionLabel(t, 'visitKind', v.kind) ?? v.kind), mention(v.createdBy, ''))}*`;
  const lines = (['notes', 'needs', 'purchaseKinds', 'nextFollowUpPlan'] as const)
    .filter((k) => v[k])
    .map(
      (k) =>
        md`${escapeMrkdwn(t.visit[k])}${escapeMrkdwn(t.punct.colon)}${escapeMrkdwn(truncate(String(v[k]), PREVIEW.historyVisitText))}`,
    );
  const material = v.materialRequested ? [escapeMrkdwn(t.visit.materialRequested)] : [];
  const source = v.source ? historySourceLines(t, v.source) : [];
  return joinMrkdwn([head, ...lines, ...material, ...source], '\n');
}

/** Latest changes and visits of a card, newest first. */
export function renderHistoryModal(
  t: Messages,
  customer: Pick<CustomerRecord, 'name' | 'number'>,
  { entries, visits }: CardHistory,
  timezone: string,
): types.ModalView {
  const changeBlocks = entries.map((e) => section(entryText(t, e, timezone), LIMITS.sectionText));
  const visitBlocks = visits.map((v) => section(visitText(t, v), LIMITS.sectionText));
  return {
    type: 'modal',
    callback_id: CALLBACK.historyModal,
    title: plain(t.modal.history, LIMITS.modalTitle),
    close: plain(t.modal.close, LIMITS.modalTitle),
    blocks: [
      section(md`*${escapeMrkdwn(customer.name)}*  \`${escapeMrkdwn(customer.number)}\``, LIMITS.sectionText),
      header(t.history.changesHeader),
      ...(changeBlocks.length > 0 ? changeBlocks : [section(escapeMrkdwn(t.history.empty), LIMITS.sectionText)]),
      header(t.history.visitsHeader),
      ...(visitBlocks.length > 0 ? visitBlocks : [section(escapeMrkdwn(t.card.noVisits), LIMITS.sectionText)]),
    ],
  };
}
