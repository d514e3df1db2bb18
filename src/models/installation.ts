import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A workspace (or Enterprise Grid organisation) that installed the app
 * through OAuth. `_id` is its team id, or its enterprise id for an
 * organisation-wide install. The bot token is stored only encrypted.
 */
export interface InstallationRecord {
  _id: string;
  isEnterpriseInstall: boolean;
  enterpriseId?: string;
  /** AES-256-GCM: `<iv>.<auth tag>.<ciphertext>`, base64 each (see services/installations.ts). */
  botTokenEncrypted: string;
  botId?: string;
  botUserId?: string;
  scopes: string[];
  installedBy?: string;
  installedAt: Date;
  /** Set by app_uninstalled / tokens_revoked; cleared by a reinstall. */
  uninstalledAt?: Date;
  /** When the team's data is deleted, unless it reinstalls first. */
  purgeAfter?: Date;
  /**
   * Set while an instance deletes the team's data: a reinstall waits, and another instance takes over only once this is
   * old.
   */
  purgingSince?: Date;
}

const installationSchema = new Schema<InstallationRecord>(
  {
    _id: String,
    isEnterpriseInstall: { type: Boolean, required: true },
    enterpriseId: String,
    botTokenEncrypted: { type: String, required: true },
    botId: String,
    botUserId: String,
    scopes: [String],
    installedBy: String,
    installedAt: { type: Date, required: true },
    uninstalledAt: Date,
    purgeAfter: Date,
    purgingSince: Date,
  },
  { collection: 'installations', versionKey: false },
);
installationSchema.index({ purgeAfter: 1 });

export type InstallationModel = Model<InstallationRecord>;

export function installationModel(connection: Connection): InstallationModel {
  return connection.model<InstallationRecord>('Installation', installationSchema);
}
