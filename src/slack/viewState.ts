import { ACTION, INPUT_ACTION } from '../views/ids.js';

type FormValue = string | string[] | boolean | undefined;
type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function readValue(v: Loose): FormValue {
  switch (v.type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return isObject(v.selected_option) ? text(v.selected_option.value) : undefined;
    case 'datepicker':
      return text(v.selected_date);
    case 'users_select':
      return text(v.selected_user);
    case 'conversations_select':
      return text(v.selected_conversation);
    case 'multi_users_select':
      return Array.isArray(v.selected_users)
        ? v.selected_users.filter((u): u is string => typeof u === 'string')
        : undefined;
    case 'multi_static_select':
      return Array.isArray(v.selected_options)
        ? v.selected_options.flatMap((o) => (isObject(o) && typeof o.value === 'string' ? [o.value] : []))
        : undefined;
    case 'checkboxes':
      return Array.isArray(v.selected_options) && v.selected_options.length > 0;
    default:
      return text(v.value);
  }
}

/**
 * A submitted modal's inputs as `{ blockId: value }`, ready for a zod schema.
 * The payload is signed but its shape is not guaranteed: anything that is not
 * the usual object reads as an empty field, which the schema then refuses.
 */
export function readViewState(state: unknown): Record<string, FormValue> {
  const values = isObject(state) && isObject(state.values) ? state.values : {};
  return Object.fromEntries(
    Object.entries(values).flatMap(([blockId, actions]) => {
      // The card picker keeps its own action id: the options handler is routed by it.
      const action = isObject(actions) ? (actions[INPUT_ACTION] ?? actions[ACTION.cardPicker]) : undefined;
      return isObject(action) ? [[blockId, readValue(action)]] : [];
    }),
  );
}
