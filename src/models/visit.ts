import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { messageSourceSchema, type MessageSource } from './messageSource.js';

export interface VisitRecord {
  _id: Types.ObjectId;
  teamId: string;
  customerId: Types.ObjectId;
  date: string;
  kind: string;
  notes?: string;
  needs?: string;
  /** 索要资料: the customer asked for material; their owner's wrap-up lists them that day. */
  materialRequested?: boolean;
  attitude?: string;
  visitWelcome?: string;
  lastPurchaseDate?: string;
  purchaseQuantity?: number;
  purchaseKinds?: string;
  stockOnHand?: number;
  nextFollowUpDate?: string;
  nextFollowUpPlan?: string;
  /** Saved from a Slack message (保存到客户卡): the message, its link, who wrote it, its files. */
  source?: MessageSource;
  createdBy: string;
  createdAt: Date;
}

const visitSchema = new Schema<VisitRecord>(
  {
    teamId: { type: String, required: true },
    customerId: { type: Schema.Types.ObjectId, required: true },
    date: { type: String, required: true },
    kind: { type: String, required: true },
    notes: String,
    needs: String,
    materialRequested: Boolean,
    attitude: String,
    visitWelcome: String,
    lastPurchaseDate: String,
    purchaseQuantity: Number,
    purchaseKinds: String,
    stockOnHand: Number,
    nextFollowUpDate: String,
    nextFollowUpPlan: String,
    source: messageSourceSchema,
    createdBy: { type: String, required: true },
  },
  { collection: 'visits', timestamps: { createdAt: true, updatedAt: false }, versionKey: false, strict: 'throw' },
);

// The card's "last visits" and the history view, newest first.
visitSchema.index({ teamId: 1, customerId: 1, date: -1, createdAt: -1 });
// The wrap-up: a team's visits of a day that asked for material.
visitSchema.index({ teamId: 1, materialRequested: 1, date: 1 });
// A festival's gift list: the customers greeted or given a gift in the last 12 months, from index entries alone
// (the card's index above is per customer).
visitSchema.index({ teamId: 1, kind: 1, date: 1, customerId: 1 });

export type VisitModel = Model<VisitRecord>;

export function visitModel(connection: Connection): VisitModel {
  return connection.model<VisitRecord>('Visit', visitSchema);
}
