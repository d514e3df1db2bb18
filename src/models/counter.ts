import { Schema, type Connection, type Model } from 'mongoose';

/** One sequence per team and year; `_id` is `<teamId>:<year>`. */
interface CounterRecord {
  _id: string;
  seq: number;
}

const counterSchema = new Schema<CounterRecord>(
  { _id: String, seq: { type: Number, required: true } },
  { collection: 'counters', versionKey: false },
);

export type CounterModel = Model<CounterRecord>;

export function counterModel(connection: Connection): CounterModel {
  return connection.model<CounterRecord>('Counter', counterSchema);
}
