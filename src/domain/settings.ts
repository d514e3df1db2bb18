import { FESTIVAL_IDS } from './occasions.js';
import { TIERS } from './segments.js';

/** A kind's setting: a whole number (days, fen…) or a list (tiers kept out of the pool, festivals greeted). */
export type SettingValue = number | readonly string[];

/** The settings picked from a list, and what each list offers, in the order it offers them. */
export const CHOICES = { tiers: TIERS, festivals: FESTIVAL_IDS } as const satisfies Record<string, readonly string[]>;
export type ChoiceUnit = keyof typeof CHOICES;

/**
 * How a kind's setting is asked for and shown: days, an amount in yuan (stored in fen), or some of a list's values
 * (CHOICES: tiers, festivals).
 */
type SettingUnit = 'days' | 'yuan' | ChoiceUnit;

/** Whether a setting is picked from a list rather than typed as a number. */
export const isChoice = (unit: SettingUnit): unit is ChoiceUnit => Object.hasOwn(CHOICES, unit);

/**
 * One team setting a reminder kind reads, declared in the kind's file: its
 * default, and for numbers the whole-number range accepted (in the unit
 * asked: yuan for amounts). The settings modal, its validation and the
 * defaults all come from these.
 */
export interface SettingSpec {
  /** `<group>.<field>`: the change log's name, the modal's block id, and where the team's value is stored. */
  key: string;
  unit: SettingUnit;
  default: SettingValue;
  min?: number;
  max?: number;
}

/** What a setting's value is in the unit the modal asks it in: yuan for amounts stored in fen. */
export const askedValue = (spec: SettingSpec, value: number): number =>
  spec.unit === 'yuan' ? Math.round(value / 100) : value;
export const storedValue = (spec: SettingSpec, asked: number): number => (spec.unit === 'yuan' ? asked * 100 : asked);
