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
import type { BatchReaction, KindDefinition, KindJob, KindRules, PersonKindRules, Reaction } from './kind.js';
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
   * The one subscriber to card events (of one type, team and author): the pipeline's own part first (moving reminders
   * to a new owner, retiming), then each kind's.
   */
  react(events: readonly CardEvent[]): Promise<void>;
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

  /** The cards the events are about, read at once. */
  async function cardsOf(events: readonly CardEvent[]): Promise<Map<string, CustomerRecord>> {
    const ids = events.flatMap((event) => ('customerId' in event ? [new Types.ObjectId(event.customerId)] : []));
    if (ids.length === 0) return new Map();
    const cards = await deps.models.customers
      .find({ _id: { $in: ids }, teamId: events[0]!.teamId })
      .lean<CustomerRecord[]>();
    return new Map(cards.map((card) => [card._id.toString(), card]));
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

  async function react(events: readonly CardEvent[]): Promise<void> {
    if (events.length === 0) return;
    const cards = await cardsOf(events);
    const contexts = [];
    for (const event of events) {
      const card = ('customerId' in event && cards.get(event.customerId)) || null;
      contexts.push({ card, moved: await pipeline(event, card) });
    }
    const { type } = events[0]!;
    for (const { rules } of made) {
      const batch = ('onBatch' in rules ? rules.onBatch?.[type] : undefined) as BatchReaction<typeof type> | undefined;
      const reaction = rules.on?.[type] as Reaction<typeof type> | undefined;
      if (batch) await batch(events, cards);
      else if (reaction) for (const [i, event] of events.entries()) await reaction(event, contexts[i]!);
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
