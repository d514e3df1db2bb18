import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** One team setting changed by an admin: who, which, from what, to what. Written with the change itself. */
export interface SettingsChangeRecord {
  _id: Types.ObjectId;
  teamId: string;
  userId: string;
  at: Date;
  /** The setting's key, e.g. `nudgeHour` or `collection.longAfterDays`. */
  field: string;
  /** null: unset (the default applied). */
  from: unknown;
  to: unknown;
}

const settingsChangeSchema = new Schema<SettingsChangeRecord>(
  {
    teamId: { type: String, required: true },
    userId: { type: String, required: true },
    at: { type: Date, required: true },
    field: { type: String, required: true },
    from: Schema.Types.Mixed,
    to: Schema.Types.Mixed,
  },
  { collection: 'settingsChanges', versionKey: false },
);

// App Home lists a team's latest changes.
settingsChangeSchema.index({ teamId: 1, at: -1 });

export type SettingsChangeModel = Model<SettingsChangeRecord>;

export function settingsChangeModel(connection: Connection): SettingsChangeModel {
  return connection.model<SettingsChangeRecord>('SettingsChange', settingsChangeSchema);
}
