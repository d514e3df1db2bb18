import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { CustomerNudgeRecord, NudgeRecord } from '../models/nudge.js';
import type { CardEvent, CardEventType } from '../services/cardEvents.js';
import type { KindTraits } from '../services/nudges.js';
import type { TeamSettings } from '../services/teamSettings.js';
import type { SettingSpec } from '../domain/settings.js';
import type { CalendarDate } from '../time.js';
import type { SlackMessage } from '../views/message.js';
import type { KindDeps } from './deps.js';

/** When and for whom a nudge is being posted. */
export interface PostingScope {
  settings: TeamSettings;
  today: CalendarDate;
}

/**
 * One event a kind reacts to, with the card as it is now (null: gone) and, for an owner change, the kinds whose
 * reminders moved with it.
 */
export type Reaction<T extends CardEventType> = (
  event: Extract<CardEvent, { type: T }>,
  context: ReactionContext,
) => Promise<unknown>;

/**
 * Events of one type, team and author reacted to together (a refresh ranks cards by the thousand), with their cards as
 * they are now, read at once, by id (a card no longer there is absent).
 */
export type BatchReaction<T extends CardEventType> = (
  events: readonly Extract<CardEvent, { type: T }>[],
  cards: ReadonlyMap<string, CustomerRecord>,
) => Promise<unknown>;

interface ReactionContext {
  /** The card the event is about, read once for every kind; null for a team's event, or a card no longer there. */
  card: CustomerRecord | null;
  /** For `ownerChanged`: the kinds of the waiting reminders the pipeline moved to the new owner. */
  moved: readonly string[];
}

/** A background job a kind owns (one Agenda job definition), queued by its own reactions. */
export interface KindJob {
  name: string;
  /** A run whose instance died is taken up by another after this long. */
  lockLifetimeMs: number;
  run(data: { teamId: string }): Promise<unknown>;
}

/** The rules of one kind of reminder, made with the app's services. */
export interface KindRules<Context> {
  /** The card events it reacts to, and what it then schedules, moves or cancels. */
  on?: { [T in CardEventType]?: Reaction<T> };
  /** Instead of `on`, for events that come by the thousand: reactions to many at once, a bulk write each. */
  onBatch?: { [T in CardEventType]?: BatchReaction<T> };
  /**
   * Takes up data written before it existed (a boot step run once per database, or at every boot with
   * `carryOverEveryBoot`).
   */
  carryOver?(teamIds: string[]): Promise<void>;
  /** Data an earlier release may still write (during a rolling upgrade): the carry-over runs at every boot. */
  carryOverEveryBoot?: boolean;
  /** Jobs of its own, queued by its reactions. */
  jobs?: KindJob[];
  /**
   * A later day to post it on instead (another contact nudge of the customer goes out today), or null; asked with
   * `load`, and heeded only when its cause holds.
   */
  deferTo?(nudge: NudgeRecord, scope: PostingScope): Promise<CalendarDate | null>;
  /**
   * Null when its cause no longer holds (an invoice paid meanwhile): the nudge is cancelled, not posted. `card` is the
   * customer as the pipeline is reading it for the message (null: gone): a kind that needs it awaits it rather than
   * reading it again.
   */
  load(nudge: CustomerNudgeRecord, scope: PostingScope, card: Promise<CustomerRecord | null>): Promise<Context | null>;
  destination(nudge: CustomerNudgeRecord, scope: PostingScope, context: Context): string;
  /** `nudge.version` is the version its buttons answer (the one it has once recorded as sent). */
  render(t: Messages, customer: CustomerRecord, nudge: CustomerNudgeRecord, context: Context): SlackMessage;
  /** Once posted: schedules what follows it, if anything. */
  afterPosted?(nudge: CustomerNudgeRecord, scope: PostingScope, context: Context): Promise<void>;
  /**
   * Instead of `afterPosted`, for what follows a nudge whether or not Slack takes it: scheduled for a claimed batch at
   * once, before any of it is posted, so a crash between a post and its record loses nothing. A claim that lapsed runs
   * it again, so it must schedule the same twice.
   */
  scheduleAhead?(
    claimed: readonly { nudge: CustomerNudgeRecord; context: Context }[],
    scope: PostingScope,
  ): Promise<void>;
}

/** A kind about a person's day rather than one customer: no customer; `load` gathers everything it shows. */
export interface PersonKindRules<Context> {
  on?: { [T in CardEventType]?: Reaction<T> };
  carryOver?(teamIds: string[]): Promise<void>;
  jobs?: KindJob[];
  /** Null when there is nothing to say: the nudge is cancelled, not posted. */
  load(nudge: NudgeRecord, scope: PostingScope): Promise<Context | null>;
  destination(nudge: NudgeRecord, scope: PostingScope, context: Context): string;
  render(t: Messages, nudge: NudgeRecord, context: Context): SlackMessage;
}

/**
 * Everything about one kind of reminder, in its file: its name, its traits
 * (how the one pipeline treats it), the team settings it reads (default and
 * range; the settings modal shows them), and its rules. Adding a kind is
 * its file, its strings, one line in index.ts and a test.
 */
export type KindDefinition<Name extends string = string> =
  | {
      name: Name;
      about: 'customer';
      traits: KindTraits;
      settings?: readonly SettingSpec[];
      create(deps: KindDeps): KindRules<any>;
    }
  | {
      name: Name;
      about: 'person';
      traits: KindTraits;
      settings?: readonly SettingSpec[];
      create(deps: KindDeps): PersonKindRules<any>;
    };
