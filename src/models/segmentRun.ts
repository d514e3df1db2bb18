import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One team's scheduled segmentation on one team-local day. `_id` is
 * `<teamId>:<YYYY-MM-DD>`: inserting it is the claim, atomic on FerretDB
 * too, so of several instances exactly one runs the day's refresh.
 */
interface SegmentRunRecord {
  _id: string;
  teamId: string;
  day: string;
  startedAt: Date;
  finishedAt?: Date;
}

const segmentRunSchema = new Schema<SegmentRunRecord>(
  {
    _id: String,
    teamId: { type: String, required: true },
    day: { type: String, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: Date,
  },
  { collection: 'segmentRuns', versionKey: false, strict: 'throw' },
);

export type SegmentRunModel = Model<SegmentRunRecord>;

export function segmentRunModel(connection: Connection): SegmentRunModel {
  return connection.model<SegmentRunRecord>('SegmentRun', segmentRunSchema);
}
