/**
 * Block Kit's documented limits, checked the way Slack checks them (lengths
 * in UTF-16 code units, as JavaScript's `length` counts), written
 * independently of the app's own views so that an invalid view fails a test.
 * https://api.slack.com/reference/block-kit
 */
type Json = Record<string, any>;
type Surface = 'message' | 'modal' | 'home';

const ELEMENT_TYPES_IN_INPUT = new Set([
  'plain_text_input',
  'number_input',
  'datepicker',
  'static_select',
  'external_select',
  'radio_buttons',
  'users_select',
  'checkboxes',
  'multi_users_select',
  'multi_static_select',
  'conversations_select',
  'file_input',
]);

class Checker {
  readonly errors: string[] = [];

  check(ok: boolean, message: string): void {
    if (!ok) this.errors.push(message);
  }

  text(obj: Json | undefined, where: string, max: number, kind?: 'plain_text'): void {
    if (!obj) return this.check(false, `${where}: missing text object`);
    this.check(
      obj.type === 'plain_text' || (kind === undefined && obj.type === 'mrkdwn'),
      `${where}: bad text type ${obj.type}`,
    );
    this.check(typeof obj.text === 'string' && obj.text.length >= 1, `${where}: text must be a non-empty string`);
    this.check(
      typeof obj.text !== 'string' || obj.text.length <= max,
      `${where}: text longer than ${max} (${obj.text?.length})`,
    );
  }

  option(o: Json, where: string): void {
    this.text(o.text, `${where}.text`, 75, 'plain_text');
    if (o.description) this.text(o.description, `${where}.description`, 75, 'plain_text');
    this.check(typeof o.value === 'string' && o.value.length <= 150, `${where}: option value missing or > 150`);
  }

  options(el: Json, where: string, max: number): void {
    const opts: Json[] = el.options ?? [];
    this.check(opts.length >= 1 && opts.length <= max, `${where}: needs 1..${max} options`);
    opts.forEach((o, i) => this.option(o, `${where}.options[${i}]`));
    const values = new Set(opts.map((o) => o.value));
    if (el.initial_option)
      this.check(values.has(el.initial_option.value), `${where}: initial_option not among options`);
    for (const o of el.initial_options ?? [])
      this.check(values.has(o.value), `${where}: initial_options not among options`);
  }

  element(el: Json, where: string): void {
    this.check(typeof el.action_id !== 'string' || el.action_id.length <= 255, `${where}: action_id > 255`);
    switch (el.type) {
      case 'button':
        this.text(el.text, `${where}.text`, 75, 'plain_text');
        this.check(
          el.value === undefined || (typeof el.value === 'string' && el.value.length <= 2000),
          `${where}: value > 2000`,
        );
        this.check(el.style === undefined || ['primary', 'danger'].includes(el.style), `${where}: bad style`);
        break;
      case 'plain_text_input':
        this.check(
          el.max_length === undefined || (el.max_length >= 1 && el.max_length <= 3000),
          `${where}: max_length must be 1..3000`,
        );
        this.check(
          el.initial_value === undefined || el.initial_value.length <= (el.max_length ?? 3000),
          `${where}: initial_value longer than max_length`,
        );
        break;
      case 'number_input':
        this.check(typeof el.is_decimal_allowed === 'boolean', `${where}: is_decimal_allowed is required`);
        break;
      case 'datepicker':
        this.check(
          el.initial_date === undefined || /^\d{4}-\d{2}-\d{2}$/.test(el.initial_date),
          `${where}: initial_date not YYYY-MM-DD`,
        );
        break;
      case 'static_select':
        this.options(el, where, 100);
        break;
      case 'multi_static_select':
        this.options(el, where, 100);
        this.check(
          el.initial_options === undefined || el.initial_options.length >= 1,
          `${where}: initial_options must be a non-empty array`,
        );
        this.check(
          el.max_selected_items === undefined || el.max_selected_items >= 1,
          `${where}: max_selected_items must be at least 1`,
        );
        break;
      case 'radio_buttons':
      case 'checkboxes':
        this.options(el, where, 10);
        break;
      case 'external_select':
        this.check(
          el.min_query_length === undefined || (Number.isInteger(el.min_query_length) && el.min_query_length >= 0),
          `${where}: bad min_query_length`,
        );
        if (el.initial_option) {
          this.text(el.initial_option.text, `${where}.initial_option.text`, 75, 'plain_text');
          this.check(
            typeof el.initial_option.value === 'string' && el.initial_option.value.length <= 150,
            `${where}: initial_option.value > 150`,
          );
        }
        break;
      case 'users_select':
        break;
      case 'file_input':
        this.check(
          el.max_files === undefined || (Number.isInteger(el.max_files) && el.max_files >= 1 && el.max_files <= 10),
          `${where}: max_files must be 1..10`,
        );
        this.check(
          el.filetypes === undefined ||
            (Array.isArray(el.filetypes) && el.filetypes.every((f: unknown) => typeof f === 'string')),
          `${where}: filetypes must be a list of strings`,
        );
        break;
      case 'multi_users_select':
        this.check(
          el.initial_users === undefined || (Array.isArray(el.initial_users) && el.initial_users.length >= 1),
          `${where}: initial_users must be a non-empty array`,
        );
        break;
      case 'conversations_select':
        this.check(
          el.initial_conversation === undefined || typeof el.initial_conversation === 'string',
          `${where}: initial_conversation must be a string`,
        );
        break;
      default:
        this.check(false, `${where}: unknown element type ${el.type}`);
    }
    if (el.placeholder) this.text(el.placeholder, `${where}.placeholder`, 150, 'plain_text');
  }

  block(b: Json, where: string, surface: Surface): void {
    switch (b.type) {
      case 'section':
        this.check(Boolean(b.text || b.fields), `${where}: section needs text or fields`);
        if (b.text) this.text(b.text, `${where}.text`, 3000);
        this.check((b.fields ?? []).length <= 10, `${where}: more than 10 fields`);
        (b.fields ?? []).forEach((f: Json, i: number) => this.text(f, `${where}.fields[${i}]`, 2000));
        if (b.accessory) this.element(b.accessory, `${where}.accessory`);
        break;
      case 'header':
        this.text(b.text, `${where}.text`, 150, 'plain_text');
        break;
      case 'context':
        this.check(b.elements?.length >= 1 && b.elements.length <= 10, `${where}: context needs 1..10 elements`);
        (b.elements ?? []).forEach((e: Json, i: number) => this.text(e, `${where}.elements[${i}]`, 3000));
        break;
      case 'divider':
        break;
      case 'actions': {
        const els: Json[] = b.elements ?? [];
        this.check(els.length >= 1 && els.length <= 25, `${where}: actions needs 1..25 elements`);
        const ids = els.map((e) => e.action_id).filter(Boolean);
        this.check(new Set(ids).size === ids.length, `${where}: duplicate action_id in block`);
        els.forEach((e, i) => this.element(e, `${where}.elements[${i}]`));
        break;
      }
      case 'input':
        this.check(surface !== 'message', `${where}: input blocks belong in modals and Home tabs`);
        this.text(b.label, `${where}.label`, 2000, 'plain_text');
        if (b.hint) this.text(b.hint, `${where}.hint`, 2000, 'plain_text');
        this.check(
          ELEMENT_TYPES_IN_INPUT.has(b.element?.type),
          `${where}: element ${b.element?.type} not allowed in input`,
        );
        if (b.element) this.element(b.element, `${where}.element`);
        break;
      default:
        this.check(false, `${where}: unknown block type ${b.type}`);
    }
  }

  blocks(blocks: unknown, surface: Surface): void {
    if (!Array.isArray(blocks)) return this.check(false, 'blocks must be an array');
    const max = surface === 'message' ? 50 : 100;
    this.check(blocks.length <= max, `${blocks.length} blocks; a ${surface} holds at most ${max}`);
    const blockIds = blocks.map((b: Json) => b.block_id).filter((id) => id !== undefined);
    this.check(new Set(blockIds).size === blockIds.length, 'duplicate block_id');
    for (const id of blockIds) this.check(String(id).length <= 255, `block_id ${id} > 255`);
    blocks.forEach((b: Json, i: number) => this.block(b, `blocks[${i}]`, surface));
  }
}

/**
 * What all the text objects of some blocks hold together, in UTF-16 code
 * units (JavaScript's `length`, as Slack counts: an emoji outside the BMP is
 * two): labels and options included.
 */
export function totalText(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((sum: number, n) => sum + totalText(n), 0);
  if (!node || typeof node !== 'object') return 0;
  const obj = node as Json;
  if ((obj.type === 'mrkdwn' || obj.type === 'plain_text') && typeof obj.text === 'string') return obj.text.length;
  return Object.values(obj).reduce((sum: number, v) => sum + totalText(v), 0);
}

/**
 * A message's blocks may hold this much text in all; more, and chat.postMessage has been seen to answer
 * msg_blocks_too_long.
 */
const MESSAGE_TEXT_TOTAL = 12_000;

export function validateMessage(payload: Json): string[] {
  const c = new Checker();
  c.check(typeof payload.text === 'string' || payload.blocks !== undefined, 'message needs text or blocks');
  c.check(typeof payload.text !== 'string' || payload.text.length <= 40000, 'text > 40000');
  if (payload.blocks !== undefined) {
    c.blocks(payload.blocks, 'message');
    const total = totalText(payload.blocks);
    c.check(
      total <= MESSAGE_TEXT_TOTAL,
      `msg_blocks_too_long: the blocks hold ${total} characters (UTF-16 units) of text, more than ${MESSAGE_TEXT_TOTAL}`,
    );
  }
  return c.errors;
}

export function validateModal(view: Json): string[] {
  const c = new Checker();
  c.check(view.type === 'modal', `view type ${view.type} is not modal`);
  c.text(view.title, 'title', 24, 'plain_text');
  if (view.submit) c.text(view.submit, 'submit', 24, 'plain_text');
  if (view.close) c.text(view.close, 'close', 24, 'plain_text');
  const hasInputs = (view.blocks ?? []).some((b: Json) => b.type === 'input');
  c.check(!hasInputs || view.submit !== undefined, 'a modal with inputs needs a submit button');
  c.check(view.callback_id === undefined || view.callback_id.length <= 255, 'callback_id > 255');
  c.check(view.private_metadata === undefined || view.private_metadata.length <= 3000, 'private_metadata > 3000');
  c.blocks(view.blocks, 'modal');
  return c.errors;
}

/** A Home tab (views.publish): up to 100 blocks, no title or buttons of its own. */
export function validateHome(view: Json): string[] {
  const c = new Checker();
  c.check(view.type === 'home', `view type ${view.type} is not home`);
  c.check(view.callback_id === undefined || view.callback_id.length <= 255, 'callback_id > 255');
  c.check(view.private_metadata === undefined || view.private_metadata.length <= 3000, 'private_metadata > 3000');
  c.blocks(view.blocks, 'home');
  return c.errors;
}
