import { z } from 'zod';
import { domain } from '../config/domain.js';
import type { CalendarDate } from '../time.js';
import { cardInputSchema, type CardInput } from './cardInput.js';
import { fieldErrors, type FieldError } from './errors.js';
import { optionalChoice, optionalObjectId, requiredText } from './fields.js';
import { visitInputSchema, type VisitFormInput } from './visitInput.js';

/** What a saved Slack message is on the card, as the modal's radio buttons name it. */
const CAPTURE_KINDS = ['contact', 'need', 'promise', 'note'] as const;
export type CaptureKind = (typeof CAPTURE_KINDS)[number];

/** The text field holds what the longest visit text (its notes) holds; a note keeps as much. */
export const CAPTURE_TEXT_MAX = domain.visit.maxLength.notes;

/** The card picker's option that makes a new card: this, then the name typed. */
export const NEW_CARD_OPTION_PREFIX = 'new:';

/** Which visit field each kind of message fills, and where the visit form's errors show in this modal. */
const VISIT_FIELD: Record<Exclude<CaptureKind, 'note'>, 'notes' | 'needs' | 'promise1'> = {
  contact: 'notes',
  need: 'needs',
  promise: 'promise1',
};
const MODAL_FIELD: Record<string, string> = {
  notes: 'text',
  needs: 'text',
  promise1: 'text',
  promise1Due: 'promiseDue',
  date: 'date',
  kind: 'kind',
};

const FormSchema = z.object({
  customer: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v : undefined),
    z.string({ error: 'invalidCard' }),
  ),
  what: optionalChoice(CAPTURE_KINDS).pipe(z.enum(CAPTURE_KINDS, { error: 'required' })),
});

export type CaptureTargetInput = { customerId: string } | { newCard: CardInput };
export type CaptureRecordInput = { kind: 'visit'; visit: VisitFormInput } | { kind: 'note'; text: string };

export type CaptureInput =
  | { ok: true; what: CaptureKind; target: CaptureTargetInput; record: CaptureRecordInput }
  | { ok: false; errors: FieldError[] };

const moved = (errors: FieldError[], to: (field: string) => string) =>
  errors.map((e) => ({ ...e, field: to(e.field) }));

/** The card picked: a card's id, or a new card with the name typed, which must be a card's name. */
function targetOf(customer: string, today: CalendarDate): { target: CaptureTargetInput } | { errors: FieldError[] } {
  if (customer.startsWith(NEW_CARD_OPTION_PREFIX)) {
    const card = cardInputSchema(today).safeParse({ name: customer.slice(NEW_CARD_OPTION_PREFIX.length) });
    return card.success
      ? { target: { newCard: card.data } }
      : { errors: moved(fieldErrors(card.error), () => 'customer') };
  }
  const id = optionalObjectId.safeParse(customer);
  return id.success && id.data
    ? { target: { customerId: id.data } }
    : { errors: [{ field: 'customer', key: 'invalidCard' }] };
}

/**
 * What the message becomes: a note (its text), or a visit built from the
 * fields and checked by the visit modal's own schema, so a contact, a need
 * or a promise saved from a message obeys exactly the rules of one logged by hand.
 */
function recordOf(
  what: CaptureKind,
  form: Record<string, unknown>,
  today: CalendarDate,
): { record: CaptureRecordInput } | { errors: FieldError[] } {
  if (what === 'note') {
    const note = z.object({ text: requiredText(CAPTURE_TEXT_MAX) }).safeParse({ text: form.text });
    return note.success ? { record: { kind: 'note', text: note.data.text } } : { errors: fieldErrors(note.error) };
  }
  const visit = visitInputSchema(today).safeParse({
    date: form.date,
    kind: form.kind ?? 'visit',
    [VISIT_FIELD[what]]: form.text,
    ...(what === 'promise' ? { promise1Due: form.promiseDue } : {}),
  });
  if (visit.success) return { record: { kind: 'visit', visit: visit.data } };
  return { errors: moved(fieldErrors(visit.error), (field) => MODAL_FIELD[field] ?? 'text') };
}

/** The save-to-card modal's fields, as the card and record they make, or every field's error. */
export function parseCaptureInput(form: Record<string, unknown>, today: CalendarDate): CaptureInput {
  const base = FormSchema.safeParse(form);
  if (!base.success) return { ok: false, errors: fieldErrors(base.error) };
  const target = targetOf(base.data.customer, today);
  const record = recordOf(base.data.what, form, today);
  const errors = [...('errors' in target ? target.errors : []), ...('errors' in record ? record.errors : [])];
  if ('errors' in target || 'errors' in record) return { ok: false, errors };
  return { ok: true, what: base.data.what, target: target.target, record: record.record };
}
