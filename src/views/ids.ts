/** Every command, action, callback and block id the app sends or listens for. */
export const COMMAND = '/card';

export const ACTION = {
  openCard: 'card_open',
  newCard: 'card_new',
  editCard: 'card_edit',
  logVisit: 'visit_open',
  history: 'history_open',
  nudgeLogVisit: 'nudge_visit',
  snoozeDay: 'nudge_snooze_day',
  snoozeWeek: 'nudge_snooze_week',
  nudgeDone: 'nudge_done',
  /** A birthday or important day's greeting: log it (the visit modal, as a greeting); value = the nudge. */
  logGreeting: 'greeting_log',
  /** A festival's gift list: log a gift to one customer (the visit modal, as a gift); value = the customer's id. */
  logGift: 'gift_log',
  specialHandling: 'nudge_special_handling',
  recordSale: 'sale_open',
  recordPayment: 'payment_open',
  money: 'money_open',
  recordAdjustment: 'adjustment_open',
  /** The type-ahead that picks a card (a referrer): an external_select served by the options handler. */
  cardPicker: 'card_pick',
  recordReferral: 'referral_open',
  thankReferrer: 'referral_thank',
  referralNoDeal: 'referral_no_deal',
  markAmbassador: 'ambassador_mark',
  dismissAmbassadorSuggestion: 'ambassador_suggestion_dismiss',
  promiseKept: 'promise_kept',
  promiseReschedule: 'promise_reschedule',
  /** 访前简报: on the card, `/card plan` rows and the Home tab; value = the customer's id. */
  cardBrief: 'card_brief',
  /** App Home: an admin opens the team settings modal. */
  editSettings: 'settings_edit',
  /** App Home: a person picks the language the app shows them in. */
  chooseLocale: 'locale_choose',
  /** 转交: on the card; value = the customer's id. */
  reassign: 'card_reassign',
  /**
   * A handover preview's Confirm (`/card handover`, or the DM Home's Hand over sends); value =
   * `<requestId>:<fromId>:<toId>`.
   */
  handoverConfirm: 'handover_confirm',
  /** App Home: an admin or the manager opens the handover modal (the same preview as `/card handover`). */
  handoverStart: 'handover_start',
  /** 公海: take a pooled card; value = the customer's id. */
  poolClaim: 'pool_claim',
  /** An import preview's Import (or, after a failure, Continue); value = the import's id. */
  importConfirm: 'import_confirm',
  /** An import preview's Cancel; value = the import's id. */
  importCancel: 'import_cancel',
  /** An import preview's sheet picker (a workbook of several sheets); each option = `<importId>:<sheet index>`. */
  importSheet: 'import_sheet',
  /** An import preview's "overwrite" box, read from the message's state when Import is pressed. */
  importOverwrite: 'import_overwrite',
} as const;

/** Shortcuts, as manifest.yml declares them under features.shortcuts (a test checks the two agree). */
export const SHORTCUT = {
  /** A message shortcut: 保存到客户卡 / Save to card. */
  saveMessage: 'save_message_to_card',
  /** Global shortcuts (the ⚡ menu). */
  newCard: 'new_customer_card',
  logVisit: 'log_customer_visit_shortcut',
  findCustomer: 'find_customer',
} as const;

/** Workflow Builder steps, as manifest.yml declares them under functions (a test checks the two agree). */
export const FUNCTION = {
  createCard: 'create_customer_card',
  logVisit: 'log_customer_visit',
} as const;

export const CALLBACK = {
  cardModal: 'card_modal',
  visitModal: 'visit_modal',
  historyModal: 'history_modal',
  saleModal: 'sale_modal',
  paymentModal: 'payment_modal',
  moneyModal: 'money_modal',
  adjustmentModal: 'adjustment_modal',
  specialHandlingModal: 'special_handling_modal',
  referralModal: 'referral_modal',
  thanksModal: 'thanks_modal',
  noDealModal: 'no_deal_modal',
  promiseRescheduleModal: 'promise_reschedule_modal',
  settingsModal: 'settings_modal',
  reassignModal: 'reassign_modal',
  handoverModal: 'handover_modal',
  /** 保存到客户卡: the message shortcut's modal. */
  saveMessageModal: 'save_message_modal',
  /** The ⚡ Log visit shortcut: pick the customer, then the visit modal. */
  pickForVisitModal: 'pick_for_visit_modal',
  /** The ⚡ Find a customer shortcut: pick the customer, then the card in a DM. */
  findCustomerModal: 'find_customer_modal',
  importModal: 'import_modal',
} as const;

/** Blocks of the import modal and preview whose values are read back. */
export const IMPORT_BLOCK = {
  file: 'import_file',
  kind: 'import_kind',
  overwrite: 'import_overwrite',
} as const;

/** Input blocks use the field's key as block id and this as action id. */
export const INPUT_ACTION = 'value';
