import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { FieldChange } from '../domain/diff.js';
import { messageSourceSchema, type MessageSource } from './messageSource.js';

const HISTORY_ACTIONS = [
  'created',
  'updated',
  'visit',
  'followUpSnoozed',
  'checkInSnoozed',
  'overdueSnoozed',
  'sale',
  'payment',
  'adjustment',
  'nudgeAnswered',
  'nudgeSnoozed',
  'referralRecorded',
  'referralOutcome',
  'referrerThanked',
  'promiseKept',
  'promiseRescheduled',
  'ambassadorSnoozed',
  'tierChanged',
  'reassigned',
  'released',
  'claimed',
  /** Made or changed by `/card import` (the file and row in its changes), or a sales history imported for it. */
  'imported',
  /** 备注: a note saved to the card from a Slack message (保存到客户卡 as a plain note). */
  'note',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export interface HistoryRecord {
  _id: Types.ObjectId;
  teamId: string;
  customerId: Types.ObjectId;
  action: HistoryAction;
  userId: string;
  at: Date;
  changes: FieldChange[];
  visitId?: Types.ObjectId;
  /** A note's text (action `note`). */
  note?: string;
  /** The Slack message a note was saved from. */
  source?: MessageSource;
}

const historySchema = new Schema<HistoryRecord>(
  {
    teamId: { type: String, required: true },
    customerId: { type: Schema.Types.ObjectId, required: true },
    action: { type: String, enum: HISTORY_ACTIONS, required: true },
    userId: { type: String, required: true },
    at: { type: Date, required: true },
    changes: [{ _id: false, field: String, from: Schema.Types.Mixed, to: Schema.Types.Mixed }],
    visitId: Schema.Types.ObjectId,
    note: String,
    source: messageSourceSchema,
  },
  { collection: 'history', versionKey: false, strict: 'throw' },
);

// The History button: a card's latest entries first.
historySchema.index({ teamId: 1, customerId: 1, at: -1, _id: -1 });

export type HistoryModel = Model<HistoryRecord>;

export function historyModel(connection: Connection): HistoryModel {
  return connection.model<HistoryRecord>('History', historySchema);
}
