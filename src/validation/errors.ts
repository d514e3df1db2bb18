import type { z } from 'zod';
import type { ValidationKey } from './fields.js';

export interface FieldError {
  field: string;
  /** A key of `messages.validation`, or `occasion:<problem>` for a date the occasion rules refuse. */
  key: ValidationKey | `occasion:${string}`;
  max?: number;
  /** For text read line by line (important days): the line refused, from 1. */
  line?: number;
}

/** One error per field (the first), keyed for translation. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    if (seen.has(field)) continue;
    seen.add(field);
    const key = (issue.message as FieldError['key']) ?? 'required';
    const max = issue.code === 'too_big' ? Number(issue.maximum) : undefined;
    const line = issue.code === 'custom' ? (issue.params as { line?: number } | undefined)?.line : undefined;
    errors.push({ field, key, ...(max === undefined ? {} : { max }), ...(line === undefined ? {} : { line }) });
  }
  return errors;
}
