import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** 交易记录: one sale, as recorded; never edited (a wrong one is reversed by a correcting entry). */
export interface SaleRecord {
  _id: Types.ObjectId;
  teamId: string;
  customerId: Types.ObjectId;
  date: string;
  product: string;
  model?: string;
  style?: string;
  quantity: number;
  amountFen: number;
  profitFen?: number;
  /** When the unpaid part is due; absent when paid in full. */
  dueDate?: string;
  paidInFull: boolean;
  /** Who saved it although it took the customer over their credit limit. */
  creditOverriddenBy?: string;
  createdBy: string;
  createdAt: Date;
}

const saleSchema = new Schema<SaleRecord>(
  {
    teamId: { type: String, required: true },
    customerId: { type: Schema.Types.ObjectId, required: true },
    date: { type: String, required: true },
    product: { type: String, required: true },
    model: String,
    style: String,
    quantity: { type: Number, required: true },
    amountFen: { type: Number, required: true },
    profitFen: Number,
    dueDate: String,
    paidInFull: { type: Boolean, required: true },
    creditOverriddenBy: String,
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'sales', versionKey: false, strict: 'throw' },
);

// The card's money summary and the Money view: a customer's sales, newest first.
saleSchema.index({ teamId: 1, customerId: 1, date: -1 });
// Segmentation: a team's sales inside (or before) the 12-month window.
saleSchema.index({ teamId: 1, date: 1 });

export type SaleModel = Model<SaleRecord>;

export function saleModel(connection: Connection): SaleModel {
  return connection.model<SaleRecord>('Sale', saleSchema);
}
