export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

function normalize(value: unknown): unknown {
  return value === '' || value === null || (Array.isArray(value) && value.length === 0) ? undefined : value;
}

/** A value as compared: objects (a birthday, important days) by what they hold, whatever their keys' order. */
function comparable(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Whether two values of a field are the same (objects by what they hold). */
export const sameValue = (a: unknown, b: unknown): boolean => comparable(normalize(a)) === comparable(normalize(b));

/** Which of `fields` differ between two versions of a card, with their old and new values. */
export function diffFields(before: object, after: object, fields: readonly string[]): FieldChange[] {
  const was = before as Readonly<Record<string, unknown>>;
  const now = after as Readonly<Record<string, unknown>>;
  return fields
    .map((field) => ({ field, from: normalize(was[field]), to: normalize(now[field]) }))
    .filter((change) => comparable(change.from) !== comparable(change.to));
}
