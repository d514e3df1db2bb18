import { domain } from '../config/domain.js';
import { idFor } from '../db/requestIds.js';
import { insertOnce } from '../db/writeIfUnchanged.js';
import type { CardEventRecord } from '../models/cardEvent.js';
import type { Models } from '../models/index.js';

/** How a card changed hands. */
type OwnerChange = 'reassign' | 'handover' | 'claim';

interface About {
  teamId: string;
  /** The card it happened to. */
  customerId: string;
  /** Who did it: a Slack user id, or `system`. */
  by: string;
}

/**
 * What happened to a card, announced once by the service that did it. The
 * reminder kinds (src/nudgeKinds) react to these, each by its own rules;
 * nothing else schedules, moves or cancels a kind's reminders. Ids are strings.
 */
export type CardEvent =
  | (About & { type: 'created' })
  /** An edit of its fields, or the ambassador flag answered on it. */
  | (About & { type: 'saved' })
  /** A visit, call, meeting or message logged; `moved`: the card's last contact moved forward with it. */
  | (About & { type: 'contactLogged'; visitId: string; moved: boolean })
  | (About & { type: 'saleRecorded'; saleId: string })
  /** `fromPool`: it was in the team pool until now (a claim, or a manager assigning it). */
  | (About & { type: 'ownerChanged'; how: OwnerChange; from?: string; to: string; fromPool: boolean })
  /** Released to the team pool (公海): it has no owner now. */
  | (About & { type: 'released' })
  /** The nightly ranking changed its segment or tier. */
  | (About & { type: 'ranked' })
  /** It was recorded as referred by another card: a referral is open, the prospect this card. */
  | (About & { type: 'referred'; referralId: string })
  /** A referral it made has an outcome (deal, or no deal): the referrer this card. */
  | (About & { type: 'referralClosed'; referralId: string })
  /** A promise made to it moved to another day. */
  | (About & { type: 'promiseMoved'; promiseId: string; previousVersion: number; previousDueDate: string })
  /** Not one card: an admin changed team settings (`fields`, as the change log names them). */
  | { type: 'settingsChanged'; teamId: string; by: string; fields: string[] }
  /**
   * Many cards at once: new cards `/card import` wrote, a batch at a time. A kind that cares schedules for all of
   * them in one go (NudgeService.scheduleMany); a kind that does not, ignores it. Cards an import changed are
   * announced one by one as `saved`, as an edit is.
   */
  | { type: 'imported'; teamId: string; by: string; customerIds: string[] }
  /** Many sales at once: a sales history `/card import` recorded, a batch at a time (past sales: no thanks, no deal). */
  | { type: 'salesImported'; teamId: string; by: string; saleIds: string[] };

export type CardEventType = CardEvent['type'];

/** Events a kind may handle together: one team's, of one type, by one author. */
const sameKind = (a: CardEvent, b: CardEvent) => a.teamId === b.teamId && a.type === b.type && a.by === b.by;

/**
 * Reacts to events of one team, type and author, one or a batch of them (a refresh's ranked cards); must be idempotent
 * (an event is handled at least once).
 */
export type CardEventHandler = (events: readonly CardEvent[]) => Promise<void>;

/** An event to write with a guarded change, and the reaction to run once that change landed. */
export interface RecordedEvent {
  record: { model: Models['cardEvents']; doc: CardEventRecord };
  react(): Promise<void>;
}

/**
 * The one port through which services announce what happened to cards.
 * Each event is first recorded (once: its id comes from `key`, what
 * happened), then handled; one left pending by an instance that stopped is
 * handled by the next nudge scan. Nobody is told about the kinds: they subscribe.
 */
export function createCardEvents(models: Models, now: () => Date) {
  let handle: CardEventHandler = async () => undefined;

  const docOf = (event: CardEvent, key: string): CardEventRecord => ({
    _id: idFor(`cardEvent:${key}`),
    teamId: event.teamId,
    event: { ...event },
    state: 'pending',
    at: now(),
  });

  /** Handles events in order, those next to each other of one team, type and author in one go. */
  async function react(docs: readonly Pick<CardEventRecord, '_id' | 'teamId' | 'event'>[]): Promise<void> {
    const eventOf = (index: number) => docs[index]!.event as CardEvent;
    for (let from = 0, to = 1; from < docs.length; from = to, to = from + 1) {
      while (to < docs.length && sameKind(eventOf(to), eventOf(from))) to += 1;
      const batch = docs.slice(from, to);
      await handle(batch.map((doc) => doc.event as CardEvent));
      await models.cardEvents.updateMany(
        { _id: { $in: batch.map((doc) => doc._id) }, teamId: batch[0]!.teamId, state: 'pending' },
        { $set: { state: 'handled', handledAt: now() } },
      );
    }
  }

  return {
    /** The kinds' dispatcher (one: the composition root wires it once the kinds exist). */
    subscribe(handler: CardEventHandler): void {
      handle = handler;
    },

    /** Records the event and has every kind react to it before returning. */
    async announce(event: CardEvent, key: string): Promise<void> {
      const doc = docOf(event, key);
      await insertOnce(models.cardEvents, doc);
      await react([doc]);
    },

    /**
     * Records the event now and leaves the reaction to the caller (after it
     * has answered Slack): should this instance stop first, the next scan reacts.
     */
    async record(event: CardEvent, key: string): Promise<{ react(): Promise<void> }> {
      const doc = docOf(event, key);
      await insertOnce(models.cardEvents, doc);
      return { react: () => react([doc]) };
    },

    /**
     * The event as a record of a guarded change (writeIfUnchanged's `records`): it exists exactly when the change does.
     */
    withChange(event: CardEvent, key: string): RecordedEvent {
      const doc = docOf(event, key);
      return { record: { model: models.cardEvents, doc }, react: () => react([doc]) };
    },

    /** Events recorded with many changes (writeManyIfUnchanged), reacted to in batches rather than one by one. */
    async reactAll(recorded: readonly RecordedEvent[]): Promise<void> {
      await react(recorded.map((r) => r.record.doc));
    },

    /**
     * A change replayed (the same request again): its event, recorded with it, is reacted to again, should the first
     * reaction have stopped.
     */
    async again(teamId: string, key: string): Promise<void> {
      const doc = await models.cardEvents.findOne({ _id: idFor(`cardEvent:${key}`), teamId }).lean();
      if (doc) await react([doc]);
    },

    /**
     * A team's events left pending longer than their writer would take (it
     * stopped, or lost the database): handled now, oldest first. Handled ones
     * are kept a while for the record, then removed.
     */
    async handleLeftOver(teamId: string): Promise<number> {
      const { leftOverAfterMs, keptMs, batch } = domain.cardEvents;
      await models.cardEvents.deleteMany({ teamId, state: 'handled', at: { $lt: new Date(now().getTime() - keptMs) } });
      const left = await models.cardEvents
        .find({ teamId, state: 'pending', at: { $lt: new Date(now().getTime() - leftOverAfterMs) } })
        .sort({ at: 1 })
        .limit(batch)
        .lean();
      await react(left);
      return left.length;
    },
  };
}

export type CardEvents = ReturnType<typeof createCardEvents>;
