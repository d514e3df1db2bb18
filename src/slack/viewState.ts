import { INPUT_ACTION } from './ids.js';

interface StateValue {
  type: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_date?: string | null;
  selected_user?: string | null;
  selected_options?: { value: string }[];
}

type FormValue = string | boolean | undefined;

function readValue(v: StateValue): FormValue {
  switch (v.type) {
    case 'static_select':
    case 'radio_buttons':
      return v.selected_option?.value ?? undefined;
    case 'datepicker':
      return v.selected_date ?? undefined;
    case 'users_select':
      return v.selected_user ?? undefined;
    case 'checkboxes':
      return (v.selected_options ?? []).length > 0;
    default:
      return v.value ?? undefined;
  }
}

/** A submitted modal's inputs as `{ blockId: value }`, ready for a zod schema. */
export function readViewState(values: Record<string, Record<string, StateValue>>): Record<string, FormValue> {
  return Object.fromEntries(
    Object.entries(values).flatMap(([blockId, actions]) => {
      const action = actions[INPUT_ACTION];
      return action ? [[blockId, readValue(action)]] : [];
    }),
  );
}
