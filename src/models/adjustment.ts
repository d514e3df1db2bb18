import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { ADJUSTMENT_KINDS, type AdjustmentKind } from '../domain/settlement.js';

/** 退赔、折价: a correcting entry against a sale, never an edit of it. */
export interface AdjustmentRecord {
  _id: Types.ObjectId;
  teamId: string;
  customerId: Types.ObjectId;
  saleId: Types.ObjectId;
  kind: AdjustmentKind;
  amountFen: number;
  /** The part that reduced what was still owed; the rest is owed back to the customer. */
  owedReducedFen: number;
  reason: string;
  /** Who was responsible (a Slack user), if anyone. */
  responsibleId?: string;
  createdBy: string;
  createdAt: Date;
}

const adjustmentSchema = new Schema<AdjustmentRecord>(
  {
    teamId: { type: String, required: true },
    customerId: { type: Schema.Types.ObjectId, required: true },
    saleId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, enum: ADJUSTMENT_KINDS, required: true },
    amountFen: { type: Number, required: true },
    owedReducedFen: { type: Number, required: true },
    reason: { type: String, required: true },
    responsibleId: String,
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'adjustments', versionKey: false, strict: 'throw' },
);

// The Money view and the card's totals: a customer's adjustments, newest first.
adjustmentSchema.index({ teamId: 1, customerId: 1, createdAt: -1 });
// Segmentation: a team's returns and discounts inside the 12-month window.
adjustmentSchema.index({ teamId: 1, createdAt: 1 });

export type AdjustmentModel = Model<AdjustmentRecord>;

export function adjustmentModel(connection: Connection): AdjustmentModel {
  return connection.model<AdjustmentRecord>('Adjustment', adjustmentSchema);
}
