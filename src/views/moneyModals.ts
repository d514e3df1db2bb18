import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import { formatFen } from '../domain/money.js';
import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { OpenReceivable } from '../models/ledger.js';
import type { SaleRecord } from '../models/sale.js';
import { CALLBACK } from './ids.js';
import type { CalendarDate } from '../time.js';
import { checkboxInput, dateInput, numberInput, radioInput, selectInput, textInput, userInput } from './inputs.js';
import { LIMITS } from './limits.js';
import type { AnswerTo, PostedMessage } from './message.js';
import { mrkdwn, plain } from './text.js';
import { escapeMrkdwn } from '../i18n/mrkdwn.js';

const MAX = domain.money.maxLength;
/** Long enough for any amount people write (`¥100,000,000.00`, `1.28万元`). */
const AMOUNT_LENGTH = 20;

/** Which card a money modal is for, and where to show the card again once saved. */
export interface MoneyModalMetadata extends AnswerTo {
  customerId: string;
  /** Pressed on a posted message (a collection reminder): it says who recorded what, keeping its facts. */
  posted?: PostedMessage;
}

function modal(
  t: Messages,
  callbackId: string,
  title: string,
  customer: Pick<CustomerRecord, 'name' | 'number'>,
  metadata: MoneyModalMetadata,
  blocks: types.KnownBlock[],
): types.ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, LIMITS.modalTitle),
    submit: plain(t.modal.save, LIMITS.modalTitle),
    close: plain(t.modal.cancel, LIMITS.modalTitle),
    private_metadata: JSON.stringify(metadata),
    blocks: [
      {
        type: 'context',
        elements: [
          mrkdwn(t.visit.customer(escapeMrkdwn(customer.name), escapeMrkdwn(customer.number)), LIMITS.contextText),
        ],
      },
      ...blocks,
    ],
  };
}

/** 交易记录: what was sold, for how much, and when the unpaid part is due. */
export function renderSaleModal(
  t: Messages,
  customer: Pick<CustomerRecord, 'name' | 'number'>,
  today: CalendarDate,
  metadata: MoneyModalMetadata,
): types.ModalView {
  const m = t.money;
  return modal(t, CALLBACK.saleModal, m.saleTitle, customer, metadata, [
    dateInput({ key: 'date', label: m.date, optional: false, value: today }),
    textInput({ key: 'product', label: m.product, optional: false, maxLength: MAX.product }),
    textInput({ key: 'model', label: m.model, maxLength: MAX.model }),
    textInput({ key: 'style', label: m.style, maxLength: MAX.style }),
    numberInput({ key: 'quantity', label: m.quantity, optional: false, value: 1 }),
    textInput({ key: 'amountFen', label: m.amount, optional: false, maxLength: AMOUNT_LENGTH, hint: m.amountHint }),
    textInput({ key: 'profitFen', label: m.profit, maxLength: AMOUNT_LENGTH }),
    dateInput({ key: 'dueDate', label: m.dueDate, hint: m.dueDateHint }),
    checkboxInput({ key: 'paidInFull', label: m.paidInFull, optionText: m.paidInFullOption, checked: false }),
    checkboxInput({
      key: 'overrideCredit',
      label: m.overrideCredit,
      optionText: m.overrideCreditOption,
      checked: false,
    }),
  ]);
}

/** 收款: how much came in, and which receivable it settles (oldest due first unless picked). */
export function renderPaymentModal(
  t: Messages,
  customer: Pick<CustomerRecord, 'name' | 'number'>,
  receivables: OpenReceivable[],
  today: CalendarDate,
  metadata: MoneyModalMetadata,
): types.ModalView {
  const m = t.money;
  const choices = Object.fromEntries([
    ['oldest', m.oldestFirst],
    ...receivables
      .slice(0, LIMITS.selectOptions - 1)
      .map((r) => [r._id.toString(), m.receivableOption(r.dueDate, formatFen(r.amountFen - r.settledFen))]),
  ]);
  return modal(t, CALLBACK.paymentModal, m.paymentTitle, customer, metadata, [
    textInput({ key: 'amountFen', label: m.payAmount, optional: false, maxLength: AMOUNT_LENGTH, hint: m.amountHint }),
    dateInput({ key: 'date', label: m.payDate, optional: false, value: today }),
    selectInput({ key: 'receivableId', label: m.receivable, options: choices, value: 'oldest' }),
  ]);
}

/** 退赔、折价: a correcting entry against one of the customer's recent sales. */
export function renderAdjustmentModal(
  t: Messages,
  customer: Pick<CustomerRecord, 'name' | 'number'>,
  sales: SaleRecord[],
  metadata: MoneyModalMetadata,
): types.ModalView {
  const m = t.money;
  const choices = Object.fromEntries(
    sales
      .slice(0, LIMITS.selectOptions)
      .map((s) => [s._id.toString(), m.saleOption(s.date, s.product, formatFen(s.amountFen))]),
  );
  return modal(t, CALLBACK.adjustmentModal, m.adjustmentTitle, customer, metadata, [
    selectInput({ key: 'saleId', label: m.sale, optional: false, options: choices, value: sales[0]?._id.toString() }),
    radioInput({ key: 'kind', label: m.adjustmentKind, optional: false, options: m.adjustmentKinds, value: 'return' }),
    textInput({
      key: 'amountFen',
      label: m.adjustmentAmount,
      optional: false,
      maxLength: AMOUNT_LENGTH,
      hint: m.amountHint,
    }),
    textInput({ key: 'reason', label: m.reason, optional: false, maxLength: MAX.reason, multiline: true }),
    userInput({ key: 'responsibleId', label: m.responsible }),
  ]);
}
