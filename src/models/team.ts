import { Schema, type Connection, type Model } from 'mongoose';
import type { Locale } from '../i18n/index.js';

/** The collection matrix's thresholds a team may set; unset ones are domain.collection's. */
export interface CollectionThresholds {
  longAfterDays: number;
  largeFromFen: number;
  repeatEveryDays: number;
}

/** Contact cadence in days per class (domain.cadence.days' keys); unset ones are domain.cadence.days'. */
export type CadenceDays = { top: number; large: number; medium: number; small: number; inactive: number; potential: number };

/** 公海: days without a logged contact before the owner is warned, days of grace after it, and the tiers kept by their owners. */
export interface PoolThresholds {
  afterDays: number;
  graceDays: number;
  excludeTiers: readonly string[];
}

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
  collectionMatrix?: Partial<CollectionThresholds>;
  cadenceDays?: Partial<CadenceDays>;
  pool?: Partial<PoolThresholds>;
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
    collectionMatrix: Schema.Types.Mixed,
    cadenceDays: Schema.Types.Mixed,
    pool: Schema.Types.Mixed,
    version: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
  },
  { collection: 'teams', versionKey: false },
);

export type TeamModel = Model<TeamRecord>;

export function teamModel(connection: Connection): TeamModel {
  return connection.model<TeamRecord>('Team', teamSchema);
}
