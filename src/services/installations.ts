import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Models } from '../models/index.js';
import type { InstallationRecord } from '../models/installation.js';

const DAY_MS = 24 * 60 * 60_000;
const IV_BYTES = 12;

/** What an OAuth install gives us about one workspace; the token is plain here and nowhere else. */
export interface NewInstallation {
  id: string;
  isEnterpriseInstall: boolean;
  enterpriseId?: string;
  botToken: string;
  botId?: string;
  botUserId?: string;
  scopes: string[];
  installedBy?: string;
}

export interface InstalledBot {
  token: string;
  botId?: string;
  botUserId?: string;
  isEnterpriseInstall: boolean;
  enterpriseId?: string;
  scopes: string[];
  installedBy?: string;
}

/** AES-256-GCM with a fresh IV per write; the tag makes a tampered value fail to decrypt instead of yielding garbage. */
export function createTokenCipher(hexKey: string) {
  const key = Buffer.from(hexKey, 'hex');
  return {
    encrypt(plain: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64')).join('.');
    },
    decrypt(sealed: string): string {
      const [iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64'));
      const decipher = createDecipheriv('aes-256-gcm', key, iv!);
      decipher.setAuthTag(tag!);
      return Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8');
    },
  };
}

/** Every collection holding a team's documents, found by its `teamId` field or an `_id` of `<teamId>:…`. */
async function deleteTeamData(models: Models, teamId: string): Promise<void> {
  for (const model of Object.values(models) as Models[keyof Models][]) {
    if (model.schema.pathType('teamId') === 'real') await model.collection.deleteMany({ teamId }, {});
  }
  // A range, not a regex: ids are compared as data.
  await models.counters.deleteMany({ _id: { $gte: `${teamId}:`, $lt: `${teamId};` } });
  await models.teams.deleteOne({ _id: teamId });
}

/**
 * Workspaces installed through OAuth: their bot tokens (encrypted at rest),
 * uninstalls, and the deletion of a departed team's data once its
 * retention period has passed.
 */
export function createInstallationService({ models, now, encryptionKey, retentionDays }: { models: Models; now: () => Date; encryptionKey: string; retentionDays: number }) {
  const cipher = createTokenCipher(encryptionKey);

  /** A reinstall replaces the token and cancels a pending deletion. */
  async function save(install: NewInstallation): Promise<void> {
    const { id, botToken, ...rest } = install;
    await models.installations.updateOne(
      { _id: id },
      { $set: { ...rest, botTokenEncrypted: cipher.encrypt(botToken), installedAt: now() }, $unset: { uninstalledAt: '', purgeAfter: '' } },
      { upsert: true },
    );
  }

  /** The bot of a workspace that has the app installed; null once it is uninstalled or its token revoked. */
  async function botOf(id: string): Promise<InstalledBot | null> {
    const record = await models.installations.findOne({ _id: id, uninstalledAt: { $exists: false } }).lean<InstallationRecord>();
    if (!record) return null;
    const { botTokenEncrypted, botId, botUserId, isEnterpriseInstall, enterpriseId, scopes, installedBy } = record;
    return { token: cipher.decrypt(botTokenEncrypted), botId, botUserId, isEnterpriseInstall, enterpriseId, scopes, installedBy };
  }

  async function isInstalled(id: string): Promise<boolean> {
    return (await models.installations.exists({ _id: id, uninstalledAt: { $exists: false } })) !== null;
  }

  /** The first of app_uninstalled / tokens_revoked starts the retention period; a repeat does not extend it. */
  async function uninstall(id: string): Promise<void> {
    const at = now();
    await models.installations.updateOne(
      { _id: id, uninstalledAt: { $exists: false } },
      { $set: { uninstalledAt: at, purgeAfter: new Date(at.getTime() + retentionDays * DAY_MS) } },
    );
  }

  /**
   * Deletes the data of every team whose retention period is over, then its
   * installation record, last: a run that stops half-way leaves the record,
   * so the next run (on any instance) finishes the job. Deleting is
   * idempotent, so two instances purging at once do no harm and need no
   * claim. A reinstall clears purgeAfter, so its record is never matched.
   */
  async function purgeDue(): Promise<string[]> {
    const purged: string[] = [];
    for (const { _id } of await models.installations.find({ purgeAfter: { $lte: now() } }, { _id: 1 }).lean()) {
      await deleteTeamData(models, _id);
      const { deletedCount } = await models.installations.deleteOne({ _id, purgeAfter: { $lte: now() } });
      if (deletedCount > 0) purged.push(_id);
    }
    return purged;
  }

  return { save, botOf, isInstalled, uninstall, purgeDue };
}

export type InstallationService = ReturnType<typeof createInstallationService>;
