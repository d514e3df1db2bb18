import { Schema, type Connection, type Model, type Types } from 'mongoose';

const PROMISE_STATUSES = ['open', 'kept'] as const;

type PromiseStatus = (typeof PROMISE_STATUSES)[number];

/** 承诺: something promised to a customer during a visit, due on a day; its owner is nudged then. */
export interface PromiseRecord {
  _id: Types.ObjectId;
  teamId: string;
  customerId: Types.ObjectId;
  visitId: Types.ObjectId;
  text: string;
  dueDate: string;
  status: PromiseStatus;
  /** Bumped by every change (kept, rescheduled), each claimed through writeIfUnchanged. */
  version: number;
  keptBy?: string;
  keptAt?: Date;
  createdBy: string;
  createdAt: Date;
}

const promiseSchema = new Schema<PromiseRecord>(
  {
    teamId: { type: String, required: true },
    customerId: { type: Schema.Types.ObjectId, required: true },
    visitId: { type: Schema.Types.ObjectId, required: true },
    text: { type: String, required: true },
    dueDate: { type: String, required: true },
    status: { type: String, enum: PROMISE_STATUSES, required: true },
    version: { type: Number, required: true },
    keptBy: String,
    keptAt: Date,
    createdBy: { type: String, required: true },
  },
  { collection: 'promises', timestamps: { createdAt: true, updatedAt: false }, versionKey: false, strict: 'throw' },
);

// The card's open promises, soonest due first.
promiseSchema.index({ teamId: 1, customerId: 1, status: 1, dueDate: 1 });
// Boot adopts promises an earlier release saved without a version; indexed, a boot with none reads nothing.
promiseSchema.index({ version: 1 });

export type PromiseModel = Model<PromiseRecord>;

export function promiseModel(connection: Connection): PromiseModel {
  return connection.model<PromiseRecord>('Promise', promiseSchema);
}
