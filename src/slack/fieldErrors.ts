import type { z } from 'zod';
import type { Messages } from '../i18n/index.js';
import type { ImportantDayProblem } from '../domain/occasionInput.js';
import { fieldErrors, type FieldError } from '../validation/errors.js';
import { importantDayProblemText } from '../i18n/occasionText.js';

const OCCASION = 'occasion:';

function messageOf(t: Messages, { key, max, line }: FieldError): string {
  if (key.startsWith(OCCASION)) {
    const text = importantDayProblemText(t, key.slice(OCCASION.length) as ImportantDayProblem);
    return line === undefined ? text : t.occasions.onLine(line, text);
  }
  const message = t.validation[key as keyof Messages['validation']] ?? t.validation.required;
  return typeof message === 'function' ? message(max ?? 0) : message;
}

/** Field errors as Slack's `response_action: "errors"` map, in the user's language. */
export function errorMessages(t: Messages, errors: FieldError[]): Record<string, string> {
  return Object.fromEntries(errors.map((e) => [e.field, messageOf(t, e)]));
}

/** zod's issues as Slack's `response_action: "errors"` map, in the user's language. */
export function modalErrors(t: Messages, error: z.ZodError): Record<string, string> {
  return errorMessages(t, fieldErrors(error));
}
