import { Schema, type Connection, type Model, type Types } from 'mongoose';

const HANDOVER_STATES = ['running', 'done'] as const;
type HandoverState = (typeof HANDOVER_STATES)[number];

/**
 * One confirmed `/card handover`: every card of `fromId` moves to `toId`.
 * `_id` comes from the preview's request id, so its insert is the claim:
 * two Confirm clicks at once run it once. A runner that died leaves it
 * `running` past `leaseUntil`; the next Confirm takes it over and finishes.
 */
export interface HandoverRecord {
  _id: Types.ObjectId;
  teamId: string;
  fromId: string;
  toId: string;
  by: string;
  state: HandoverState;
  version: number;
  leaseUntil: Date;
  moved: number;
  skipped: number;
  createdAt: Date;
}

const handoverSchema = new Schema<HandoverRecord>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    teamId: { type: String, required: true },
    fromId: { type: String, required: true },
    toId: { type: String, required: true },
    by: { type: String, required: true },
    state: { type: String, enum: HANDOVER_STATES, required: true },
    version: { type: Number, required: true },
    leaseUntil: { type: Date, required: true },
    moved: { type: Number, default: 0 },
    skipped: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { collection: 'handovers', versionKey: false, strict: 'throw' },
);

export type HandoverModel = Model<HandoverRecord>;

export function handoverModel(connection: Connection): HandoverModel {
  return connection.model<HandoverRecord>('Handover', handoverSchema);
}
