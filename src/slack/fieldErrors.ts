import type { z } from 'zod';
import type { Messages } from '../i18n/index.js';
import { fieldErrors } from '../validation/errors.js';

/** zod's issues as Slack's `response_action: "errors"` map, in the user's language. */
export function modalErrors(t: Messages, error: z.ZodError): Record<string, string> {
  return Object.fromEntries(
    fieldErrors(error).map(({ field, key, max }) => {
      const message = t.validation[key] ?? t.validation.required;
      return [field, typeof message === 'function' ? message(max ?? 0) : message];
    }),
  );
}
