import { Types } from 'mongoose';
import type { CustomerRecord } from '../models/customer.js';
import type { CardEvent } from '../services/cardEvents.js';
import type { KindTraitsByName } from '../services/nudges.js';
import type { SettingSpec } from '../domain/settings.js';
import { ambassadorKind } from './ambassador.js';
import { cadenceKind } from './cadence.js';
import { checkInKind } from './checkIn.js';
import type { KindDeps } from './deps.js';
import { festivalKind } from './festival.js';
import { followUpKind } from './followUp.js';
import { greetingKind } from './greeting.js';
import type { KindDefinition, KindJob, KindRules, PersonKindRules, Reaction, ReactionContext } from './kind.js';
import { overdueKind } from './overdue.js';
import { poolReleaseKind, poolWarningKind } from './pool.js';
import { promiseKind } from './promise.js';
import { referralKind } from './referral.js';
import { thanksKind } from './thanks.js';
import { wrapUpKind } from './wrapUp.js';

/**
 * Every kind of reminder, one line each: a new kind adds its file and its line here, never a scheduler of its own.
 * @internal Exported for its own tests; the app uses it here.
 */
export const KINDS = [
  followUpKind,
  checkInKind,
  overdueKind,
  referralKind,
  thanksKind,
  promiseKind,
  ambassadorKind,
  cadenceKind,
  wrapUpKind,
  poolWarningKind,
  poolReleaseKind,
  greetingKind,
  festivalKind,
] as const satisfies readonly KindDefinition[];

/** How the pipeline treats each kind. */
export const KIND_TRAITS: KindTraitsByName = Object.fromEntries(KINDS.map((k) => [k.name, k.traits]));

/** Every kind's team settings, in the order the settings modal asks them. */
export const KIND_SETTINGS: readonly SettingSpec[] = KINDS.flatMap((k): readonly SettingSpec[] =>
  'settings' in k ? k.settings : [],
);

type AnyRules = KindRules<unknown> | PersonKindRules<unknown>;

export interface Kinds {
  /** Each kind's rules, by name: the scan posts through them. */
  rules: Readonly<Record<string, { about: 'customer' | 'person'; rules: AnyRules }>>;
  /**
   * The one subscriber to card events: the pipeline's own part first (moving reminders to a new owner, retiming), then
   * each kind's.
   */
  react(event: CardEvent): Promise<void>;
  /** Every kind's take-up of data written before it existed, each run once per database (or every boot). */
  carryOvers: { name: string; everyBoot: boolean; run(teamIds: string[]): Promise<void> }[];
  jobs: KindJob[];
}

/** The kinds' rules, made with the app's services. */
export function createKinds(deps: KindDeps): Kinds {
  const made = KINDS.map((kind): { name: string; about: 'customer' | 'person'; rules: AnyRules } => ({
    name: kind.name,
    about: kind.about,
    rules: kind.create(deps),
  }));

  async function cardOf(event: CardEvent): Promise<CustomerRecord | null> {
    if (!('customerId' in event)) return null;
    return deps.models.customers
      .findOne({ _id: new Types.ObjectId(event.customerId), teamId: event.teamId })
      .lean<CustomerRecord>();
  }

  /**
   * What the pipeline itself does on an event, whatever the kinds: reminders follow the card's owner; a new nudge hour
   * moves them.
   */
  async function pipeline(event: CardEvent, card: CustomerRecord | null): Promise<readonly string[]> {
    if (event.type === 'ownerChanged' && card) return deps.nudges.moveTo(event.teamId, card._id, event.to, event.by);
    if (event.type === 'settingsChanged' && event.fields.some((f) => f === 'nudgeHour' || f === 'timezone'))
      await deps.nudges.retime(event.teamId);
    return [];
  }

  async function react(event: CardEvent): Promise<void> {
    const card = await cardOf(event);
    const context: ReactionContext = { card, moved: await pipeline(event, card) };
    for (const { rules } of made) {
      const reaction = rules.on?.[event.type] as Reaction<typeof event.type> | undefined;
      if (reaction) await reaction(event, context);
    }
  }

  return {
    rules: Object.fromEntries(made.map(({ name, about, rules }) => [name, { about, rules }])),
    react,
    carryOvers: made.flatMap(({ name, rules }) =>
      rules.carryOver
        ? [
            {
              name,
              everyBoot: 'carryOverEveryBoot' in rules && rules.carryOverEveryBoot === true,
              run: rules.carryOver.bind(rules),
            },
          ]
        : [],
    ),
    jobs: made.flatMap(({ rules }) => rules.jobs ?? []),
  };
}
