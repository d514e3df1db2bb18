import type { z } from 'zod';
import type { ValidationKey } from './fields.js';

export interface FieldError {
  field: string;
  key: ValidationKey;
  max?: number;
}

/** One error per field (the first), keyed for translation. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    if (seen.has(field)) continue;
    seen.add(field);
    const key = (issue.message as ValidationKey) ?? 'required';
    const max = issue.code === 'too_big' ? Number(issue.maximum) : undefined;
    errors.push(max === undefined ? { field, key } : { field, key, max });
  }
  return errors;
}
