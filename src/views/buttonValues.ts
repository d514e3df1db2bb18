import type { NudgeRecord } from '../models/nudge.js';
import type { NudgeRef } from '../services/nudges.js';

/**
 * What each button carries in its `value`, written by the views and read by
 * the listeners: one place for both, so a format cannot drift between them.
 */

/** A nudge button's value: `<nudgeId>:<version>`, the version it answers (older messages carry the id alone). */
export const nudgeButtonValue = (nudge: Pick<NudgeRecord, '_id' | 'version'>): string =>
  `${nudge._id.toString()}:${nudge.version}`;

const NUDGE_REF = /^([0-9a-f]{24})(?::(\d{1,9}))?$/;

export function parseNudgeRef(raw?: string): NudgeRef | null {
  const match = NUDGE_REF.exec(raw ?? '');
  if (!match) return null;
  return match[2] === undefined ? { id: match[1]! } : { id: match[1]!, version: Number(match[2]) };
}

const REFERRAL_BUTTON = /^([0-9a-f]{24})(?::([0-9a-f]{24}))?$/;

/**
 * A referral button's value: `<referralId>`, or `<referralId>:<cardId>` when pressed on that card (the card is shown
 * again).
 */
export const referralButtonValue = (referralId: string, cardId?: string): string =>
  cardId ? `${referralId}:${cardId}` : referralId;

export function parseReferralButton(raw?: string): { referralId: string; cardId?: string } | null {
  const match = REFERRAL_BUTTON.exec(raw ?? '');
  if (!match) return null;
  return match[2] === undefined ? { referralId: match[1]! } : { referralId: match[1]!, cardId: match[2] };
}

/** Where a promise's button was pressed: on the card (show the card again) or on its nudge (close the nudge). */
export interface PromiseRef {
  id: string;
  from: 'card' | 'nudge';
}

const PROMISE_REF = /^(card|nudge):([0-9a-f]{24})$/;

/** A promise button's value: `card:<promiseId>` or `nudge:<promiseId>`. */
export const promiseButtonValue = ({ from, id }: PromiseRef): string => `${from}:${id}`;

export function parsePromiseRef(raw?: string): PromiseRef | null {
  const match = PROMISE_REF.exec(raw ?? '');
  return match ? { from: match[1] as PromiseRef['from'], id: match[2]! } : null;
}

/** A handover's Confirm: which preview (its request id) and who to whom. */
export interface HandoverRef {
  requestId: string;
  fromId: string;
  toId: string;
}

const HANDOVER_REF = /^([0-9a-f]{16,64}):([UW][A-Z0-9]{1,30}):([UW][A-Z0-9]{1,30})$/;

export const handoverButtonValue = ({ requestId, fromId, toId }: HandoverRef): string =>
  `${requestId}:${fromId}:${toId}`;

export function parseHandoverRef(raw?: string): HandoverRef | null {
  const match = HANDOVER_REF.exec(raw ?? '');
  return match ? { requestId: match[1]!, fromId: match[2]!, toId: match[3]! } : null;
}

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** An import's Import, Continue and Cancel buttons: the import's id. */
export const importButtonValue = (importId: string): string => importId;

export const parseImportRef = (raw?: string): string | null => (OBJECT_ID.test(raw ?? '') ? raw! : null);

/** An option of an import preview's sheet picker: `<importId>:<index of the sheet in the workbook>`. */
export const importSheetValue = (importId: string, index: number): string => `${importId}:${index}`;

const IMPORT_SHEET = /^([0-9a-f]{24}):(\d{1,3})$/;

export function parseImportSheet(raw?: string): { importId: string; index: number } | null {
  const match = IMPORT_SHEET.exec(raw ?? '');
  return match ? { importId: match[1]!, index: Number(match[2]) } : null;
}
