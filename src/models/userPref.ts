import { Schema, type Connection, type Model } from 'mongoose';
import type { Locale } from '../i18n/index.js';

/** What one person chose for themselves; without a row, the team's settings apply. */
interface UserPrefRecord {
  teamId: string;
  userId: string;
  locale: Locale;
}

const userPrefSchema = new Schema<UserPrefRecord>(
  {
    teamId: { type: String, required: true },
    userId: { type: String, required: true },
    locale: { type: String, enum: ['zh', 'en'], required: true },
  },
  { collection: 'users', versionKey: false, strict: 'throw' },
);

userPrefSchema.index({ teamId: 1, userId: 1 }, { unique: true });

export type UserPrefModel = Model<UserPrefRecord>;

export function userPrefModel(connection: Connection): UserPrefModel {
  return connection.model<UserPrefRecord>('UserPref', userPrefSchema);
}
