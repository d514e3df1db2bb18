import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** 收款: one payment and the receivables it settled. */
export interface PaymentRecord {
  _id: Types.ObjectId;
  teamId: string;
  customerId: Types.ObjectId;
  date: string;
  amountFen: number;
  allocations: { receivableId: Types.ObjectId; fen: number }[];
  createdBy: string;
  createdAt: Date;
}

const paymentSchema = new Schema<PaymentRecord>(
  {
    teamId: { type: String, required: true },
    customerId: { type: Schema.Types.ObjectId, required: true },
    date: { type: String, required: true },
    amountFen: { type: Number, required: true },
    allocations: [
      {
        _id: false,
        receivableId: { type: Schema.Types.ObjectId, required: true },
        fen: { type: Number, required: true },
      },
    ],
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'payments', versionKey: false, strict: 'throw' },
);

// The Money view: a customer's payments, newest first.
paymentSchema.index({ teamId: 1, customerId: 1, date: -1 });

export type PaymentModel = Model<PaymentRecord>;

export function paymentModel(connection: Connection): PaymentModel {
  return connection.model<PaymentRecord>('Payment', paymentSchema);
}
