import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Someone looked at their App Home, and when: only they, and only for a
 * while, get it republished when their data changes. Publishing for everyone
 * in a team on every change would cost Slack calls for people who never look.
 */
interface HomeOpenRecord {
  teamId: string;
  userId: string;
  openedAt: Date;
}

const homeOpenSchema = new Schema<HomeOpenRecord>(
  {
    teamId: { type: String, required: true },
    userId: { type: String, required: true },
    openedAt: { type: Date, required: true },
  },
  { collection: 'homeOpens', versionKey: false, strict: 'throw' },
);

// One row per person; a refresh asks which of a few users have one.
homeOpenSchema.index({ teamId: 1, userId: 1 }, { unique: true });

export type HomeOpenModel = Model<HomeOpenRecord>;

export function homeOpenModel(connection: Connection): HomeOpenModel {
  return connection.model<HomeOpenRecord>('HomeOpen', homeOpenSchema);
}
