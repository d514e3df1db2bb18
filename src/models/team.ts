import { Schema, type Connection, type Model } from 'mongoose';
import type { SettingValue } from '../domain/settings.js';
import type { Locale } from '../i18n/index.js';

/** A workspace that has used the app. Unset settings fall back to the environment's (or domain's) defaults. */
export interface TeamRecord {
  _id: string;
  /** The same as _id: guarded writes scope every record by teamId. */
  teamId?: string;
  locale?: Locale;
  timezone?: string;
  nudgeHour?: number;
  nudgeChannel?: string;
  financeUserIds?: string[];
  managerUserIds?: string[];
  /**
   * The reminder kinds' settings the team changed, by group and field (a
   * setting `pool.afterDays` is `kindSettings.pool.afterDays`); the others
   * follow the kind's default.
   */
  kindSettings?: Record<string, Record<string, SettingValue>>;
  /** Settings are written only from the version an admin saw (two admins saving at once: one wins). */
  version?: number;
  createdAt: Date;
}

const teamSchema = new Schema<TeamRecord>(
  {
    _id: String,
    teamId: String,
    locale: String,
    timezone: String,
    nudgeHour: Number,
    nudgeChannel: String,
    financeUserIds: { type: [String], default: undefined },
    managerUserIds: { type: [String], default: undefined },
    kindSettings: Schema.Types.Mixed,
    version: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { collection: 'teams', versionKey: false },
);

export type TeamModel = Model<TeamRecord>;

export function teamModel(connection: Connection): TeamModel {
  return connection.model<TeamRecord>('Team', teamSchema);
}
