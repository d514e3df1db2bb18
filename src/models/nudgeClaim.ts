import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * One document per attempt to post a follow-up nudge. Its `_id` is
 * `<followUpId>:<claim number>`, so of two instances trying the same attempt
 * only one can insert it: `_id` uniqueness is atomic on every MongoDB-compatible
 * server, which findOneAndUpdate is not (FerretDB runs it as read-then-write).
 */
export interface NudgeClaimRecord {
  _id: string;
  teamId: string;
  followUpId: Types.ObjectId;
  claimedAt: Date;
}

const nudgeClaimSchema = new Schema<NudgeClaimRecord>(
  {
    _id: String,
    teamId: { type: String, required: true },
    followUpId: { type: Schema.Types.ObjectId, required: true },
    claimedAt: { type: Date, required: true },
  },
  { collection: 'nudgeclaims', versionKey: false, strict: 'throw' },
);

export type NudgeClaimModel = Model<NudgeClaimRecord>;

export function nudgeClaimModel(connection: Connection): NudgeClaimModel {
  return connection.model<NudgeClaimRecord>('NudgeClaim', nudgeClaimSchema);
}
