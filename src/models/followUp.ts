import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * pending → sending (claimed by one instance) → sent, or back to pending with a
 * later nextAttemptAt when Slack refuses, or failed after the last attempt.
 * superseded / done close it without a nudge.
 */
export const FOLLOW_UP_STATUSES = ['pending', 'sending', 'sent', 'failed', 'superseded', 'done'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
export const OPEN_FOLLOW_UP_STATUSES: readonly FollowUpStatus[] = ['pending', 'sending', 'sent', 'failed'];
/** Open and not being posted right now: a user may snooze, answer or replace it. */
export const ANSWERABLE_FOLLOW_UP_STATUSES: readonly FollowUpStatus[] = ['pending', 'sent', 'failed'];

export interface FollowUpRecord {
  _id: Types.ObjectId;
  teamId: string;
  customerId: Types.ObjectId;
  visitId?: Types.ObjectId;
  ownerId: string;
  dueDate: string;
  plan?: string;
  status: FollowUpStatus;
  /** Bumped by every change, each claimed through writeIfUnchanged. */
  version: number;
  /** When a scan may (re)try to post it; for a claimed nudge, when the claim expires. */
  nextAttemptAt: Date;
  /** Delivery attempts since it was last (re)scheduled. */
  attempts: number;
  /** Claims ever taken on it; numbers the claim documents, never reset. */
  claims: number;
  lastError?: string;
  channel?: string;
  messageTs?: string;
  sentAt?: Date;
  closedBy?: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const followUpSchema = new Schema<FollowUpRecord>(
  {
    teamId: { type: String, required: true },
    customerId: { type: Schema.Types.ObjectId, required: true },
    visitId: Schema.Types.ObjectId,
    ownerId: { type: String, required: true },
    dueDate: { type: String, required: true },
    plan: String,
    status: { type: String, enum: FOLLOW_UP_STATUSES, required: true },
    version: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    attempts: { type: Number, default: 0 },
    claims: { type: Number, default: 0 },
    lastError: String,
    channel: String,
    messageTs: String,
    sentAt: Date,
    closedBy: String,
    createdBy: { type: String, required: true },
  },
  { collection: 'followups', timestamps: true, versionKey: false, strict: 'throw' },
);

// The scan: due nudges of a team. The card: a customer's open follow-up.
followUpSchema.index({ teamId: 1, status: 1, nextAttemptAt: 1 });
followUpSchema.index({ teamId: 1, customerId: 1, status: 1 });

export type FollowUpModel = Model<FollowUpRecord>;

export function followUpModel(connection: Connection): FollowUpModel {
  return connection.model<FollowUpRecord>('FollowUp', followUpSchema);
}
