import { z } from 'zod';
import { CHOICES, isChoice, storedValue, type SettingSpec, type SettingValue } from '../domain/settings.js';
import { SLACK_USER_ID } from '../domain/slackIds.js';
import type { Locale } from '../i18n/index.js';
import { isValidTimezone } from '../time.js';

/** The settings modal's values, checked: the team's own, and every kind's by key (amounts in fen). */
interface SettingsInput {
  nudgeChannel?: string;
  financeUserIds: string[];
  managerUserIds: string[];
  nudgeHour: number;
  timezone: string;
  locale: Locale;
  kinds: Record<string, SettingValue>;
}

/** The hours a nudge may go out at. */
export const NUDGE_HOURS = { min: 0, max: 23 } as const;

const userIds = z
  .array(z.string().regex(SLACK_USER_ID))
  .max(20)
  .optional()
  .transform((ids) => [...new Set(ids ?? [])]);
const whole = ({ min, max }: { min: number; max: number }) => z.coerce.number().int().min(min).max(max);

/**
 * How one kind's setting is read from its block: a whole number within its range, or values of its list (each known
 * one once, in the list's order; none is a choice too).
 */
function fieldOf(spec: SettingSpec): z.ZodType<SettingValue> {
  if (isChoice(spec.unit)) {
    const offered: readonly string[] = CHOICES[spec.unit];
    return z
      .array(z.string().refine((value) => offered.includes(value)))
      .optional()
      .transform((picked) => offered.filter((value) => picked?.includes(value)));
  }
  return whole({ min: spec.min ?? 0, max: spec.max ?? Number.MAX_SAFE_INTEGER }).transform((asked) =>
    storedValue(spec, asked),
  );
}

export type SettingsParse = { ok: true; value: SettingsInput } | { ok: false; badBlocks: string[] };

/**
 * The settings modal's blocks, by block id. Every value is checked here,
 * never trusted from the form: a crafted payload meets the same rules.
 * Failures carry no message: the block id says which range to name.
 */
export function parseSettingsInput(values: Record<string, unknown>, specs: readonly SettingSpec[]): SettingsParse {
  const schema = z.object({
    nudgeChannel: z
      .string()
      .regex(/^[CG][A-Z0-9]+$/)
      .optional(),
    financeUserIds: userIds,
    managerUserIds: userIds,
    nudgeHour: whole(NUDGE_HOURS),
    // Any real zone, not just the listed ones: a team's env default may be elsewhere, and the modal offers it too.
    timezone: z.string().max(64).refine(isValidTimezone),
    locale: z.enum(['zh', 'en']),
    ...Object.fromEntries(specs.map((spec) => [spec.key, fieldOf(spec)])),
  });
  const parsed = schema.safeParse(values);
  if (!parsed.success)
    return { ok: false, badBlocks: [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))] };
  const v = parsed.data as Record<string, unknown> & Omit<SettingsInput, 'kinds'>;
  return {
    ok: true,
    value: {
      nudgeChannel: v.nudgeChannel,
      financeUserIds: v.financeUserIds,
      managerUserIds: v.managerUserIds,
      nudgeHour: v.nudgeHour,
      timezone: v.timezone,
      locale: v.locale,
      kinds: Object.fromEntries(specs.map((spec) => [spec.key, v[spec.key] as SettingValue])),
    },
  };
}
