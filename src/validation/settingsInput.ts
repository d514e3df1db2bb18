import { z } from 'zod';
import { domain } from '../config/domain.js';
import { TIERS } from '../domain/segments.js';
import { SLACK_USER_ID } from '../domain/slackIds.js';
import type { EditableSettings } from '../services/teamSettings.js';
import { isValidTimezone } from '../time.js';

const CADENCE_CLASSES = Object.keys(domain.cadence.days) as (keyof typeof domain.cadence.days)[];
const { ranges } = domain.settings;

/** The range each numeric setting's block accepts, by block id. */
export const SETTINGS_RANGES: Record<string, { min: number; max: number }> = {
  'collection.longAfterDays': ranges['collection.longAfterDays'],
  'collection.largeFromFen': ranges['collection.largeFromFen'],
  'collection.repeatEveryDays': ranges['collection.repeatEveryDays'],
  ...Object.fromEntries(CADENCE_CLASSES.map((c) => [`cadenceDays.${c}`, ranges.cadenceDays])),
  'pool.afterDays': ranges['pool.afterDays'],
  'pool.graceDays': ranges['pool.graceDays'],
};

const userIds = z.array(z.string().regex(SLACK_USER_ID)).max(20).optional().transform((ids) => [...new Set(ids ?? [])]);
const whole = ({ min, max }: { min: number; max: number }) => z.coerce.number().int().min(min).max(max);

/**
 * The settings modal's blocks, by block id. Every value is checked here,
 * never trusted from the form: a crafted payload meets the same rules.
 * Failures carry no message: the block id says which range to name.
 */
const schema = z.object({
  nudgeChannel: z.string().regex(/^[CG][A-Z0-9]+$/).optional(),
  financeUserIds: userIds,
  managerUserIds: userIds,
  nudgeHour: whole({ min: 0, max: 23 }),
  // Any real zone, not just the listed ones: a team's env default may be elsewhere, and the modal offers it too.
  timezone: z.string().max(64).refine(isValidTimezone),
  locale: z.enum(['zh', 'en']),
  ...Object.fromEntries(Object.entries(SETTINGS_RANGES).map(([key, range]) => [key, whole(range)])),
  'pool.excludeTiers': z.array(z.enum(TIERS)).optional().transform((tiers) => TIERS.filter((t) => tiers?.includes(t))),
});

export type SettingsParse = { ok: true; value: EditableSettings } | { ok: false, badBlocks: string[] };

export function parseSettingsInput(values: Record<string, unknown>): SettingsParse {
  const parsed = schema.safeParse(values);
  if (!parsed.success) return { ok: false, badBlocks: [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')))] };
  const v = parsed.data as Record<string, any>;
  return {
    ok: true,
    value: {
      nudgeChannel: v.nudgeChannel,
      financeUserIds: v.financeUserIds,
      managerUserIds: v.managerUserIds,
      nudgeHour: v.nudgeHour,
      timezone: v.timezone,
      locale: v.locale,
      collection: {
        longAfterDays: v['collection.longAfterDays'],
        largeFromFen: v['collection.largeFromFen'] * 100,
        repeatEveryDays: v['collection.repeatEveryDays'],
      },
      cadenceDays: Object.fromEntries(CADENCE_CLASSES.map((c) => [c, v[`cadenceDays.${c}`]])) as EditableSettings['cadenceDays'],
      pool: { afterDays: v['pool.afterDays'], graceDays: v['pool.graceDays'], excludeTiers: v['pool.excludeTiers'] },
    },
  };
}
