import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** What one sale left unpaid, and how much of it payments have settled so far. */
export interface OpenReceivable {
  _id: Types.ObjectId;
  saleId: Types.ObjectId;
  dueDate: string;
  amountFen: number;
  settledFen: number;
}

/**
 * A customer's account: the receivables still open and what they add up to.
 * One document per customer, so every money change (a sale, a payment) is one
 * versioned step through writeIfUnchanged, with its sale or payment record
 * inserted exactly with it: two payments at once can never settle more than
 * is owed. Settled receivables leave the list; their sales and payments stay.
 */
export interface LedgerRecord {
  /** The customer's id. */
  _id: Types.ObjectId;
  teamId: string;
  /**
   * The card's owner, none while it is in the pool: App Home lists each person's overdue customers from the one read
   * of the team's overdue ledgers. Copied when the ledger opens and moved with the card (the overdue kind reacts to
   * every change of owner); never versioned, like any field derived from the card.
   */
  ownerId?: string;
  version: number;
  receivables: OpenReceivable[];
  outstandingFen: number;
  /** Returns and discounts so far per sale, so they never add up to more than the sale. */
  adjusted: { saleId: Types.ObjectId; fen: number }[];
  /** The latest sales and payments applied, so the same one delivered twice is applied once. */
  applied: Types.ObjectId[];
  createdAt: Date;
}

const receivableSchema = new Schema<OpenReceivable>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    saleId: { type: Schema.Types.ObjectId, required: true },
    dueDate: { type: String, required: true },
    amountFen: { type: Number, required: true },
    settledFen: { type: Number, required: true },
  },
  { _id: false },
);

const ledgerSchema = new Schema<LedgerRecord>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    teamId: { type: String, required: true },
    ownerId: { type: String },
    version: { type: Number, required: true },
    receivables: { type: [receivableSchema], default: [] },
    outstandingFen: { type: Number, required: true },
    applied: { type: [Schema.Types.ObjectId], default: [] },
    adjusted: {
      type: [
        { _id: false, saleId: { type: Schema.Types.ObjectId, required: true }, fen: { type: Number, required: true } },
      ],
      default: [],
    },
    createdAt: { type: Date, required: true },
  },
  { collection: 'ledgers', versionKey: false, strict: 'throw' },
);

// The team's open receivables by due date: overdue lists and collection nudges.
ledgerSchema.index({ teamId: 1, 'receivables.dueDate': 1 });
// Home's overdue list: a salesperson's customers with something past due.
ledgerSchema.index({ teamId: 1, ownerId: 1, 'receivables.dueDate': 1 });

export type LedgerModel = Model<LedgerRecord>;

export function ledgerModel(connection: Connection): LedgerModel {
  return connection.model<LedgerRecord>('Ledger', ledgerSchema);
}
