import { Schema, type Connection, type Model } from 'mongoose';
import type { Locale } from '../i18n/index.js';

/** A workspace that has used the app. Unset settings fall back to the environment's defaults. */
export interface TeamRecord {
  _id: string;
  locale?: Locale;
  timezone?: string;
  nudgeHour?: number;
  nudgeChannel?: string;
  createdAt: Date;
}

const teamSchema = new Schema<TeamRecord>(
  {
    _id: String,
    locale: String,
    timezone: String,
    nudgeHour: Number,
    nudgeChannel: String,
    createdAt: { type: Date, required: true },
  },
  { collection: 'teams', versionKey: false },
);

export type TeamModel = Model<TeamRecord>;

export function teamModel(connection: Connection): TeamModel {
  return connection.model<TeamRecord>('Team', teamSchema);
}
