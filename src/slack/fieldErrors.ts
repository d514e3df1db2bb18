import type { z } from 'zod';
import type { Messages } from '../i18n/index.js';
import { fieldErrors, type FieldError } from '../validation/errors.js';

/** Field errors as Slack's `response_action: "errors"` map, in the user's language. */
export function errorMessages(t: Messages, errors: FieldError[]): Record<string, string> {
  return Object.fromEntries(
    errors.map(({ field, key, max }) => {
      const message = t.validation[key] ?? t.validation.required;
      return [field, typeof message === 'function' ? message(max ?? 0) : message];
    }),
  );
}

/** zod's issues as Slack's `response_action: "errors"` map, in the user's language. */
export function modalErrors(t: Messages, error: z.ZodError): Record<string, string> {
  return errorMessages(t, fieldErrors(error));
}
