import type { types } from '@slack/bolt';
import { ACTION, INPUT_ACTION } from './ids.js';
import { LIMITS } from './limits.js';
import { plain } from './text.js';

/** Input blocks: the block id is the field key, so validation errors map straight back to it. */
interface InputOptions {
  key: string;
  label: string;
  optional?: boolean;
  hint?: string;
}

function input(o: InputOptions, element: types.InputBlock['element']): types.InputBlock {
  return {
    type: 'input',
    block_id: o.key,
    optional: o.optional ?? true,
    label: plain(o.label, 2000),
    element,
    ...(o.hint ? { hint: plain(o.hint, 2000) } : {}),
  };
}

export function textInput(o: InputOptions & { maxLength: number; multiline?: boolean; value?: string }) {
  return input(o, {
    type: 'plain_text_input',
    action_id: INPUT_ACTION,
    max_length: o.maxLength,
    multiline: o.multiline ?? false,
    ...(o.value ? { initial_value: o.value } : {}),
  });
}

export function numberInput(o: InputOptions & { value?: number }) {
  return input(o, {
    type: 'number_input',
    action_id: INPUT_ACTION,
    is_decimal_allowed: false,
    min_value: '0',
    ...(o.value !== undefined ? { initial_value: String(o.value) } : {}),
  });
}

export function dateInput(o: InputOptions & { value?: string }) {
  return input(o, { type: 'datepicker', action_id: INPUT_ACTION, ...(o.value ? { initial_date: o.value } : {}) });
}

export function selectInput(o: InputOptions & { options: Record<string, string>; value?: string }) {
  const options = Object.entries(o.options).map(([value, text]) => ({ text: plain(text, LIMITS.optionText), value }));
  const initial = options.find((opt) => opt.value === o.value);
  return input(o, {
    type: 'static_select',
    action_id: INPUT_ACTION,
    options,
    ...(initial ? { initial_option: initial } : {}),
  });
}

export function radioInput(o: InputOptions & { options: Record<string, string>; value?: string }) {
  const options = Object.entries(o.options).map(([value, text]) => ({ text: plain(text, LIMITS.optionText), value }));
  const initial = options.find((opt) => opt.value === o.value);
  return input(o, {
    type: 'radio_buttons',
    action_id: INPUT_ACTION,
    options,
    ...(initial ? { initial_option: initial } : {}),
  });
}

export function userInput(o: InputOptions & { value?: string }) {
  return input(o, { type: 'users_select', action_id: INPUT_ACTION, ...(o.value ? { initial_user: o.value } : {}) });
}

/** A card of the team, found by typing: served by the options handler of ACTION.cardPicker. */
export function cardInput(o: InputOptions & { placeholder: string; value?: { id: string; label: string } }) {
  const initial = o.value
    ? { initial_option: { text: plain(o.value.label, LIMITS.optionText), value: o.value.id } }
    : {};
  return input(o, {
    type: 'external_select',
    action_id: ACTION.cardPicker,
    min_query_length: 1,
    placeholder: plain(o.placeholder, LIMITS.placeholder),
    ...initial,
  });
}

export function checkboxInput(o: InputOptions & { optionText: string; checked: boolean }) {
  const option = { text: plain(o.optionText, LIMITS.optionText), value: 'yes' };
  return input(o, {
    type: 'checkboxes',
    action_id: INPUT_ACTION,
    options: [option],
    ...(o.checked ? { initial_options: [option] } : {}),
  });
}

export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: plain(text, LIMITS.headerText) };
}
