import fc from 'fast-check';
import { CHOICES, isChoice } from '../src/domain/settings.js';
import { messagesFor } from '../src/i18n/index.js';
import { INPUT_ACTION } from '../src/views/ids.js';
import { readViewState } from '../src/slack/viewState.js';
import { parseHandoverInput } from '../src/validation/handoverInput.js';
import { KIND_SETTINGS } from '../src/nudgeKinds/index.js';
import { parseSettingsInput } from '../src/validation/settingsInput.js';

/** The kinds' settings the app's modal asks, as the kinds declare them. */
const NUMBERS = KIND_SETTINGS.filter((spec) => !isChoice(spec.unit));
/** The settings picked from a list (tiers, festivals), with what their list offers. */
const LISTS: Record<string, readonly string[]> = Object.fromEntries(
  KIND_SETTINGS.flatMap((spec) => (isChoice(spec.unit) ? [[spec.key, CHOICES[spec.unit]]] : [])),
);
const OFFERED = Object.values(CHOICES).flat();
const RANGES = Object.fromEntries(
  NUMBERS.map((spec) => [spec.key, { min: spec.min!, max: spec.max!, yuan: spec.unit === 'yuan' }]),
);
const SELECTS = ['nudgeHour', 'timezone', 'locale'];
const BLOCKS = [
  'nudgeChannel',
  'financeUserIds',
  'managerUserIds',
  ...SELECTS,
  ...Object.keys(RANGES),
  ...Object.keys(LISTS),
];

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1e3',
    '7.5',
    '9999999',
    ' 30 ',
    'NaN',
    '{"$gt":""}',
    'Asia/Shanghai',
    'Mars/Olympus',
    'zh',
    'en',
    'CNUDGES',
    'U1',
    'top',
    'small',
  ),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...OFFERED, 'U0123', 'W9')), { maxLength: 6 }),
  fc.object({ maxDepth: 1 }),
);

/** One block's element as a crafted payload may carry it: any type, any value in any of Slack's fields. */
const element = fc.record(
  {
    type: fc.constantFrom(
      'static_select',
      'multi_static_select',
      'number_input',
      'plain_text_input',
      'users_select',
      'conversations_select',
      'multi_users_select',
      'checkboxes',
      'nonsense',
    ),
    value: junk,
    selected_option: fc.oneof(fc.constant(null), fc.record({ value: junk })),
    selected_options: fc.oneof(junk, fc.array(fc.record({ value: junk }), { maxLength: 5 })),
    selected_conversation: junk,
    selected_users: junk,
    selected_user: junk,
  },
  { requiredKeys: ['type'] },
);

/** What the modal itself would send for a block: valid values mostly, some just past a limit. */
function plausible(block: string): fc.Arbitrary<Record<string, unknown>> {
  const select = (values: fc.Arbitrary<string>) =>
    values.map((value) => ({ type: 'static_select', selected_option: { value } }));
  const range = RANGES[block];
  if (range)
    return fc
      .integer({ min: range.min - 1, max: range.max + 1 })
      .map((n) => ({ type: 'number_input', value: String(n) }));
  if (block === 'nudgeHour') return select(fc.integer({ min: 0, max: 24 }).map(String));
  if (block === 'timezone')
    return select(fc.constantFrom('Asia/Shanghai', 'UTC', 'Europe/London', 'America/New_York', 'Mars/Olympus'));
  if (block === 'locale') return select(fc.constantFrom('zh', 'en', 'zh', 'en', 'fr'));
  if (block === 'nudgeChannel')
    return fc
      .constantFrom('CNUDGES', 'G123', 'C9', 'D1')
      .map((c) => ({ type: 'conversations_select', selected_conversation: c }));
  const offered = LISTS[block];
  if (offered) {
    return fc
      .array(fc.constantFrom(...offered, 'huge'), { maxLength: 5 })
      .map((picked) => ({ type: 'multi_static_select', selected_options: picked.map((value) => ({ value })) }));
  }
  return fc
    .array(fc.constantFrom('U0123', 'W9', 'U77'), { maxLength: 4 })
    .map((users) => ({ type: 'multi_users_select', selected_users: users }));
}

const block = (name: string) =>
  fc.record({
    [INPUT_ACTION]: fc.oneof({ arbitrary: plausible(name), weight: 19 }, { arbitrary: element, weight: 1 }),
  });
/** Whole forms most of the time, so that some are accepted; forms with blocks missing the rest. */
const state = fc.oneof(
  fc.record(Object.fromEntries(BLOCKS.map((name) => [name, block(name)]))),
  fc.record(Object.fromEntries(BLOCKS.map((name) => [name, block(name)])), { requiredKeys: [] }),
);

describe('the settings modal as a crafted payload fills it', () => {
  it('never throws, and whatever it accepts is within every range', () => {
    let accepted = 0;
    fc.assert(
      fc.property(state, (values) => {
        const parsed = parseSettingsInput(readViewState({ values }), KIND_SETTINGS);
        if (!parsed.ok) return expect(parsed.badBlocks.length).toBeGreaterThan(0);
        accepted += 1;
        const v = parsed.value;
        expect(Number.isInteger(v.nudgeHour) && v.nudgeHour >= 0 && v.nudgeHour <= 23).toBe(true);
        expect(['zh', 'en']).toContain(v.locale);
        for (const [key, { min, max, yuan }] of Object.entries(RANGES)) {
          const asked = (v.kinds[key] as number) / (yuan ? 100 : 1);
          expect(Number.isInteger(asked) && asked >= min && asked <= max).toBe(true);
        }
        for (const [key, offered] of Object.entries(LISTS)) {
          const picked = v.kinds[key] as readonly string[];
          expect(picked.every((value) => offered.includes(value))).toBe(true);
          expect(new Set(picked).size).toBe(picked.length);
        }
        for (const id of [...v.financeUserIds, ...v.managerUserIds]) expect(id).toMatch(/^[UW][A-Z0-9]+$/);
      }),
      { numRuns: 2000 },
    );
    // The checks above ran on accepted forms, not only on refusals.
    expect(accepted).toBeGreaterThan(0);
  });

  it('accepts a well-formed form, tiers and festivals in their order without repeats', () => {
    const form = (type: string, field: string, value: unknown) => ({ [INPUT_ACTION]: { type, [field]: value } });
    const values = {
      nudgeHour: form('static_select', 'selected_option', { value: '9' }),
      timezone: form('static_select', 'selected_option', { value: 'Asia/Shanghai' }),
      locale: form('static_select', 'selected_option', { value: 'en' }),
      ...Object.fromEntries(
        Object.entries(RANGES).map(([key, { min }]) => [key, form('number_input', 'value', String(min))]),
      ),
      'pool.excludeTiers': form('multi_static_select', 'selected_options', [
        { value: 'small' },
        { value: 'top' },
        { value: 'small' },
      ]),
      'festival.festivals': form('multi_static_select', 'selected_options', [
        { value: 'nationalDay' },
        { value: 'springFestival' },
      ]),
    };
    const parsed = parseSettingsInput(readViewState({ values }), KIND_SETTINGS);
    const kinds = parsed.ok ? parsed.value.kinds : {};
    expect([
      kinds['pool.afterDays'],
      kinds['pool.graceDays'],
      kinds['pool.excludeTiers'],
      kinds['festival.festivals'],
    ]).toEqual([14, 1, ['top', 'small'], ['springFestival', 'nationalDay']]);
    expect(kinds['collection.largeFromFen']).toBe(100);
  });
});

describe("Home's handover modal as a crafted payload fills it", () => {
  it('never throws, and accepts only two different Slack user ids', () => {
    const t = messagesFor('zh');
    const person = fc.oneof(
      fc
        .constantFrom('U0123', 'W9', 'U0123 ', 'C1', '<@U1>')
        .map((user) => ({ type: 'users_select', selected_user: user })),
      element,
    );
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.record(
          { from: fc.record({ [INPUT_ACTION]: person }), to: fc.record({ [INPUT_ACTION]: person }) },
          { requiredKeys: [] },
        ),
        (values) => {
          const parsed = parseHandoverInput(t, readViewState({ values }));
          if (!parsed.ok) return expect(Object.keys(parsed.errors).length).toBeGreaterThan(0);
          accepted += 1;
          expect(parsed.input.fromId).toMatch(/^[UW][A-Z0-9]+$/);
          expect(parsed.input.toId).toMatch(/^[UW][A-Z0-9]+$/);
          expect(parsed.input.fromId).not.toBe(parsed.input.toId);
        },
      ),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
