import type { types } from '@slack/bolt';
import { domain } from '../config/domain.js';
import { formatFen } from '../domain/money.js';
import type { Locale, Messages } from '../i18n/index.js';
import {
  askedValue,
  CHOICES,
  isChoice,
  type ChoiceUnit,
  type SettingSpec,
  type SettingValue,
} from '../domain/settings.js';
import type { EditableSettings, SettingsChange, TeamSettings } from '../services/teamSettings.js';
import { ACTION, CALLBACK, INPUT_ACTION } from './ids.js';
import { formatInstant } from '../time.js';
import { numberInput, selectInput } from './inputs.js';
import { LIMITS } from './limits.js';
import { mrkdwn, plain, section } from './text.js';
import { appMrkdwn, escapeMrkdwn, joinMrkdwn, md, mention, type Mrkdwn } from '../i18n/mrkdwn.js';

type Block = types.KnownBlock;
type Value = string | number | readonly string[] | null | undefined;

/** What App Home's settings section shows a viewer. */
export interface SettingsSection {
  settings: TeamSettings;
  /** The kinds' settings, as the kinds declare them. */
  specs: readonly SettingSpec[];
  admin: boolean;
  /** The team's manager: may hand a salesperson's cards over, as an admin may. */
  manager: boolean;
  changes: SettingsChange[];
  /** The language the viewer sees, theirs or the team's. */
  locale: Locale;
}

/** Each edited setting as the change log names it, in the order the modal asks: the team's own, then each kind's. */
function flat(s: EditableSettings): [string, Value][] {
  return [
    ['nudgeChannel', s.nudgeChannel],
    ['financeUserIds', s.financeUserIds],
    ['managerUserIds', s.managerUserIds],
    ['nudgeHour', s.nudgeHour],
    ['timezone', s.timezone],
    ['locale', s.locale],
    ...Object.entries(s.kinds),
  ];
}

/** What each list's values are called: tiers and festivals by name. */
const CHOICE_LABELS: Record<ChoiceUnit, (t: Messages) => Readonly<Record<string, string>>> = {
  tiers: (t) => t.options.tier,
  festivals: (t) => t.occasions.festivals,
};

/** A setting's value as people read it: channels and people as mentions, amounts in yuan, list values by name. */
function shown(t: Messages, specs: readonly SettingSpec[], field: string, value: Value): Mrkdwn {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0))
    return escapeMrkdwn(t.settings.unset);
  const unit = specs.find((spec) => spec.key === field)?.unit;
  if (field === 'nudgeChannel')
    return /^[CG][A-Z0-9]+$/.test(String(value)) ? (`<#${String(value)}>` as Mrkdwn) : escapeMrkdwn(String(value));
  if (unit && isChoice(unit)) {
    const labels = CHOICE_LABELS[unit](t);
    return escapeMrkdwn((value as readonly string[]).map((v) => labels[v] ?? v).join(t.punct.list));
  }
  if (Array.isArray(value))
    return joinMrkdwn(
      value.map((u) => mention(u, u)),
      ', ',
    );
  if (field === 'nudgeHour') return escapeMrkdwn(t.settings.hour(Number(value)));
  if (field === 'locale') return escapeMrkdwn(t.settings.languages[value as Locale] ?? String(value));
  if (unit === 'yuan') return escapeMrkdwn(formatFen(Number(value)));
  return escapeMrkdwn(String(value));
}

const label = (t: Messages, field: string) => escapeMrkdwn(t.settings.fields[field] ?? field);

/** Edit settings (admins) and Hand over cards (admins and the manager), in one actions block. */
function settingsButtons(t: Messages, admin: boolean, manager: boolean): types.Button[] {
  const edit: types.Button = {
    type: 'button',
    action_id: ACTION.editSettings,
    text: plain(t.settings.edit, LIMITS.buttonText),
    value: 'edit',
  };
  const handover: types.Button = {
    type: 'button',
    action_id: ACTION.handoverStart,
    text: plain(t.handover.start, LIMITS.buttonText),
    value: 'start',
  };
  return [...(admin ? [edit] : []), ...(admin || manager ? [handover] : [])];
}

/**
 * The team's settings for everyone to read, an Edit button for admins, a
 * Hand over button for admins and the manager, the last few changes, and the
 * viewer's own language. At most 6 blocks (a manager who is not an admin
 * reads the settings and gets the button).
 */
export function renderSettingsSection(
  t: Messages,
  { settings, specs, admin, manager, changes, locale }: SettingsSection,
): Block[] {
  const rows = flat(settings).map(([field, value]) => t.settings.row(label(t, field), shown(t, specs, field, value)));
  const blocks: Block[] = [
    {
      ...section(md`${appMrkdwn(t.settings.title)}\n${joinMrkdwn(rows, '\n')}`, LIMITS.sectionText),
      block_id: 'home_settings',
    },
  ];
  if (!admin)
    blocks.push({
      type: 'context',
      block_id: 'home_settings_readonly',
      elements: [mrkdwn(escapeMrkdwn(t.settings.readOnly), LIMITS.contextText)],
    });
  const buttons = settingsButtons(t, admin, manager);
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'home_settings_edit', elements: buttons });
  if (changes.length > 0) {
    const lines = changes.map((c) =>
      t.settings.changeRow(
        mention(c.userId, c.userId),
        label(t, c.field),
        shown(t, specs, c.field, c.from),
        shown(t, specs, c.field, c.to),
        escapeMrkdwn(formatInstant(c.at, settings.timezone)),
      ),
    );
    blocks.push({
      type: 'context',
      block_id: 'home_settings_changes',
      elements: [mrkdwn(md`${appMrkdwn(t.settings.changes)}\n${joinMrkdwn(lines, '\n')}`, LIMITS.contextText)],
    });
  }
  const languages = (Object.keys(t.settings.languages) as Locale[]).map((l) => ({
    text: plain(t.settings.languages[l], LIMITS.optionText),
    value: l,
  }));
  blocks.push(
    { ...section(appMrkdwn(t.settings.myLanguage), LIMITS.sectionText), block_id: 'home_language' },
    {
      type: 'actions',
      block_id: 'home_language_select',
      elements: [
        {
          type: 'static_select',
          action_id: ACTION.chooseLocale,
          options: languages,
          initial_option: languages.find((o) => o.value === locale)!,
        },
      ],
    },
  );
  return blocks;
}

/** One kind's setting as the modal asks it: a whole number within its range, or values picked from its list. */
function kindInput(t: Messages, spec: SettingSpec, value: SettingValue): types.InputBlock {
  if (isChoice(spec.unit)) return choicesInput(t, spec.key, spec.unit, value as readonly string[]);
  const block = numberInput({
    key: spec.key,
    label: t.settings.fields[spec.key] ?? spec.key,
    optional: false,
    value: askedValue(spec, value as number),
  });
  const range = {
    ...(spec.min !== undefined ? { min_value: String(spec.min) } : {}),
    ...(spec.max !== undefined ? { max_value: String(spec.max) } : {}),
  };
  return { ...block, element: { ...block.element, ...range } };
}

/** The settings modal, filled with the team's current values; the version it shows travels in private_metadata. */
export function renderSettingsModal(
  t: Messages,
  settings: TeamSettings,
  specs: readonly SettingSpec[],
): types.ModalView {
  const f = t.settings.fields;
  const hours = Object.fromEntries(Array.from({ length: 24 }, (_, h) => [String(h), t.settings.hour(h)]));
  const zones = Object.fromEntries([...new Set([settings.timezone, ...domain.settings.timezones])].map((z) => [z, z]));
  const users = (key: 'financeUserIds' | 'managerUserIds'): types.InputBlock => ({
    type: 'input',
    block_id: key,
    optional: true,
    label: plain(f[key]!, 2000),
    element: {
      type: 'multi_users_select',
      action_id: INPUT_ACTION,
      ...(settings[key].length ? { initial_users: [...settings[key]] } : {}),
    },
  });
  return {
    type: 'modal',
    callback_id: CALLBACK.settingsModal,
    title: plain(t.settings.modalTitle, LIMITS.modalTitle),
    submit: plain(t.settings.save, LIMITS.modalTitle),
    close: plain(t.modal.cancel, LIMITS.modalTitle),
    private_metadata: JSON.stringify({ version: settings.version }),
    blocks: [
      {
        type: 'input',
        block_id: 'nudgeChannel',
        optional: true,
        label: plain(f.nudgeChannel!, 2000),
        hint: plain(t.settings.nudgeChannelHint, 2000),
        // Public channels only: with channels:read the app can tell whether it is in one, and asks for no groups:read
        // to see private ones.
        element: {
          type: 'conversations_select',
          action_id: INPUT_ACTION,
          filter: { include: ['public'], exclude_bot_users: true, exclude_external_shared_channels: true },
          ...(settings.nudgeChannel ? { initial_conversation: settings.nudgeChannel } : {}),
        },
      },
      users('financeUserIds'),
      users('managerUserIds'),
      selectInput({
        key: 'nudgeHour',
        label: f.nudgeHour!,
        optional: false,
        options: hours,
        value: String(settings.nudgeHour),
      }),
      selectInput({ key: 'timezone', label: f.timezone!, optional: false, options: zones, value: settings.timezone }),
      selectInput({
        key: 'locale',
        label: f.locale!,
        optional: false,
        options: t.settings.languages,
        value: settings.locale,
      }),
      ...specs.map((spec) => kindInput(t, spec, settings.kinds[spec.key] ?? spec.default)),
    ],
  };
}

/** Values picked from a list (the tiers kept out of the pool, the festivals greeted): any of them, or none. */
function choicesInput(t: Messages, key: string, unit: ChoiceUnit, picked: readonly string[]): types.InputBlock {
  const labels = CHOICE_LABELS[unit](t);
  const options = CHOICES[unit].map((value) => ({ text: plain(labels[value] ?? value, LIMITS.optionText), value }));
  const initial = options.filter((o) => picked.includes(o.value));
  return {
    type: 'input',
    block_id: key,
    optional: true,
    label: plain(t.settings.fields[key] ?? key, 2000),
    element: {
      type: 'multi_static_select',
      action_id: INPUT_ACTION,
      options,
      ...(initial.length ? { initial_options: initial } : {}),
    },
  };
}

/** The version a settings modal was opened on, or null when its metadata is not ours. */
export function parseSettingsMetadata(raw: string | undefined): number | null {
  try {
    const version = (JSON.parse(raw ?? '') as { version?: unknown }).version;
    return Number.isInteger(version) && (version as number) >= 0 ? (version as number) : null;
  } catch {
    return null;
  }
}

/** Tells an admin the bot must be invited to the nudge channel they chose, and how. */
export function renderInviteNotice(t: Messages, channel: string) {
  const text = t.settings.inviteBot(`<#${channel}>` as Mrkdwn);
  return { text, blocks: [section(text, LIMITS.sectionText)] };
}
