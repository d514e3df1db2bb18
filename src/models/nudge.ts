import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** A kind of reminder, by the name its file in src/nudgeKinds gives it; the registry there lists them all. */
export type NudgeKind = string;

/**
 * pending → sending (claimed by one instance) → sent, or back to pending with a
 * later nextAttemptAt when Slack refuses, or failed after the last attempt.
 * superseded / done close it without a nudge; cancelled, when its cause no
 * longer holds as it is about to be posted.
 */
const NUDGE_STATUSES = ['pending', 'sending', 'sent', 'failed', 'superseded', 'done', 'cancelled'] as const;
export type NudgeStatus = (typeof NUDGE_STATUSES)[number];
export const OPEN_NUDGE_STATUSES: readonly NudgeStatus[] = ['pending', 'sending', 'sent', 'failed'];
/** Open and not being posted right now: a user may snooze, answer or replace it. */
export const ANSWERABLE_NUDGE_STATUSES: readonly NudgeStatus[] = ['pending', 'sent', 'failed'];

/** One due reminder in the outbox: when and to whom it goes, and how its delivery went. */
export interface NudgeRecord {
  _id: Types.ObjectId;
  teamId: string;
  kind: NudgeKind;
  /** The customer it is about; absent only for kinds about a person's day (the wrap-up). */
  customerId?: Types.ObjectId;
  /** The record that caused it (the visit of a follow-up, the sale of a check-in, the promise due). */
  sourceId?: Types.ObjectId;
  ownerId: string;
  dueDate: string;
  /** What it is about, in the words it was scheduled with (a follow-up's plan, a check-in's product). */
  plan?: string;
  /** The day it is about, when that is not the day it is due (a birthday greeted days ahead). */
  occursOn?: string;
  /** Which reminder of its cause this is, for kinds that follow up once (1, then 2). */
  round?: number;
  status: NudgeStatus;
  /** Bumped by every change, each claimed through writeIfUnchanged. */
  version: number;
  /** When a scan may (re)try to post it; for a claimed nudge, when the claim expires. */
  nextAttemptAt: Date;
  /** Delivery attempts since it was last (re)scheduled; a rate limit (429) is not counted. */
  attempts: number;
  /**
   * Since when Slack has been refusing it (or its claim lapsed mid-post):
   * a nudge refused this long is given up (domain.nudges.giveUpAfterMs).
   * Unset while nothing went wrong, and again once it is posted or rescheduled.
   */
  refusedSince?: Date;
  /** Claims ever taken on it, never reset. */
  claims: number;
  lastError?: string;
  /**
   * Listed in this digest (its ts in the team's channel) but its reply not posted yet: the reply belongs in that
   * thread.
   */
  digestTs?: string;
  channel?: string;
  messageTs?: string;
  sentAt?: Date;
  closedBy?: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A nudge about one customer: any kind but those about a person's day. */
export type CustomerNudgeRecord = NudgeRecord & { customerId: Types.ObjectId };

export const isAboutCustomer = (n: NudgeRecord): n is CustomerNudgeRecord => n.customerId !== undefined;

const nudgeSchema = new Schema<NudgeRecord>(
  {
    teamId: { type: String, required: true },
    kind: { type: String, required: true },
    customerId: Schema.Types.ObjectId,
    sourceId: Schema.Types.ObjectId,
    ownerId: { type: String, required: true },
    dueDate: { type: String, required: true },
    plan: String,
    occursOn: String,
    round: Number,
    status: { type: String, enum: NUDGE_STATUSES, required: true },
    version: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    attempts: { type: Number, default: 0 },
    refusedSince: Date,
    claims: { type: Number, default: 0 },
    lastError: String,
    digestTs: String,
    channel: String,
    messageTs: String,
    sentAt: Date,
    closedBy: String,
    createdBy: { type: String, required: true },
  },
  { collection: 'nudges', timestamps: true, versionKey: false, strict: 'throw' },
);

// The scan: due nudges of a team, whatever their kind. The card: a customer's open nudges of a kind.
nudgeSchema.index({ teamId: 1, status: 1, nextAttemptAt: 1 });
nudgeSchema.index({ teamId: 1, customerId: 1, kind: 1, status: 1 });
// `/card ambassadors`: a team's open nudges of one kind, without reading the other kinds'.
nudgeSchema.index({ teamId: 1, kind: 1, status: 1, dueDate: 1 });
// The wrap-up: a team's contact nudges due tomorrow.
nudgeSchema.index({ teamId: 1, dueDate: 1, kind: 1 });
// App Home and `/card plan`: one owner's open nudges of some kinds, due by a day, soonest first.
nudgeSchema.index({ teamId: 1, ownerId: 1, kind: 1, status: 1, dueDate: 1 });

export type NudgeModel = Model<NudgeRecord>;

export function nudgeModel(connection: Connection): NudgeModel {
  return connection.model<NudgeRecord>('Nudge', nudgeSchema);
}
