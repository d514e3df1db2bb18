import { Schema, type Connection, type Model, type Types } from 'mongoose';

const WRITE_INTENT_STATES = ['pending', 'applied', 'void'] as const;
export type WriteIntentState = (typeof WRITE_INTENT_STATES)[number];

/** A document that must exist exactly when the change happened (a history entry), with its own fixed _id. */
interface IntentRecord {
  into: string;
  doc: Record<string, unknown> & { _id: Types.ObjectId };
}

/**
 * The claim on one version step of one record, and the change it makes.
 * `_id` is `<collection>:<record id>:<version it moves to>`: of all writers
 * that saw the same version only one can insert it. Its `set`/`unset`/`records`
 * are kept until applied so anyone can finish a change whose writer died.
 */
export interface WriteIntentRecord {
  _id: string;
  teamId: string;
  targetCollection: string;
  /** A card's ObjectId, or a team's id. */
  targetId: Types.ObjectId | string;
  /** The version the record moves to; the writer saw `version - 1`. */
  version: number;
  state: WriteIntentState;
  /** The request that asked for it: the same request again is a replay, not a conflict. */
  requestKey?: string;
  set?: Record<string, unknown>;
  unset?: string[];
  records?: IntentRecord[];
  createdAt: Date;
  settledAt?: Date;
}

const writeIntentSchema = new Schema<WriteIntentRecord>(
  {
    _id: String,
    teamId: { type: String, required: true },
    targetCollection: { type: String, required: true },
    targetId: { type: Schema.Types.Mixed, required: true },
    version: { type: Number, required: true },
    state: { type: String, enum: WRITE_INTENT_STATES, required: true },
    requestKey: String,
    set: Schema.Types.Mixed,
    unset: [String],
    records: [{ _id: false, into: String, doc: Schema.Types.Mixed }],
    createdAt: { type: Date, required: true },
    settledAt: Date,
  },
  { collection: 'writeintents', versionKey: false, strict: 'throw' },
);

// Recovery: a team's intents left pending by a writer that died, oldest first.
writeIntentSchema.index({ teamId: 1, state: 1, createdAt: 1 });

export type WriteIntentModel = Model<WriteIntentRecord>;

export function writeIntentModel(connection: Connection): WriteIntentModel {
  return connection.model<WriteIntentRecord>('WriteIntent', writeIntentSchema);
}
