import type { types } from '@slack/bolt';
import { formatFen } from '../domain/money.js';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { Account } from '../services/money.js';
import { CALLBACK } from './ids.js';
import { header } from './inputs.js';
import { LIMITS } from './limits.js';
import { plain, section } from './text.js';
import { escapeMrkdwn, joinMrkdwn, md, mention, type Mrkdwn } from '../i18n/mrkdwn.js';

const fen = (amount: number) => escapeMrkdwn(formatFen(amount));

function listOrEmpty(t: Messages, lines: Mrkdwn[]): types.KnownBlock {
  return section(lines.length > 0 ? joinMrkdwn(lines, '\n') : escapeMrkdwn(t.money.noEntries), LIMITS.sectionText);
}

/** The Money button: sales, open receivables and payments, newest first, each dated with who recorded it. */
export function renderMoneyModal(
  t: Messages,
  customer: Pick<CustomerRecord, 'name' | 'number'>,
  { sales, adjustments, payments, receivables }: Account,
): types.ModalView {
  const m = t.money;
  const saleLines = sales.map((s) => {
    const line = m.saleLine(
      escapeMrkdwn(s.date),
      escapeMrkdwn(s.product),
      s.quantity,
      fen(s.amountFen),
      mention(s.createdBy, ''),
    );
    const withOverride = s.creditOverriddenBy ? md`${line} · ${m.overridden(mention(s.creditOverriddenBy, ''))}` : line;
    const against = adjustments
      .filter((a) => a.saleId.equals(s._id))
      .map((a) =>
        m.adjustmentLine(
          escapeMrkdwn(m.adjustmentKinds[a.kind]),
          fen(a.amountFen),
          escapeMrkdwn(a.reason),
          mention(a.responsibleId ?? a.createdBy, ''),
        ),
      );
    return joinMrkdwn([withOverride, ...against], '\n');
  });
  const receivableLines = receivables.map((r) =>
    m.receivableLine(escapeMrkdwn(r.dueDate), fen(r.amountFen), fen(r.amountFen - r.settledFen)),
  );
  const paymentLines = payments.map((p) =>
    m.paymentLine(escapeMrkdwn(p.date), fen(p.amountFen), mention(p.createdBy, '')),
  );
  return {
    type: 'modal',
    callback_id: CALLBACK.moneyModal,
    title: plain(m.title, LIMITS.modalTitle),
    close: plain(t.modal.close, LIMITS.modalTitle),
    blocks: [
      section(md`*${escapeMrkdwn(customer.name)}*  \`${escapeMrkdwn(customer.number)}\``, LIMITS.sectionText),
      header(m.salesHeader),
      listOrEmpty(t, saleLines),
      header(m.receivablesHeader),
      listOrEmpty(t, receivableLines),
      header(m.paymentsHeader),
      listOrEmpty(t, paymentLines),
    ],
  };
}
