export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

function normalize(value: unknown): unknown {
  return value === '' || value === null ? undefined : value;
}

/** Which of `fields` differ between two versions of a card, with their old and new values. */
export function diffFields(before: object, after: object, fields: readonly string[]): FieldChange[] {
  const was = before as Readonly<Record<string, unknown>>;
  const now = after as Readonly<Record<string, unknown>>;
  return fields
    .map((field) => ({ field, from: normalize(was[field]), to: normalize(now[field]) }))
    .filter((change) => change.from !== change.to);
}
