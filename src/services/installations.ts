import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { domain } from '../config/domain.js';
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

/**
 * AES-256-GCM with a fresh IV per write; the tag makes a tampered value fail to decrypt instead of yielding garbage.
 */
function createTokenCipher(hexKey: string) {
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
  for (const model of Object.values(models)) {
    if (model.schema.pathType('teamId') === 'real') await model.collection.deleteMany({ teamId }, {});
  }
  // A range, not a regex: ids are compared as data.
  await models.counters.deleteMany({ _id: { $gte: `${teamId}:`, $lt: `${teamId};` } });
  await models.teams.deleteOne({ _id: teamId });
}

/**
 * A reinstall while the workspace's old data is being deleted: Slack's install page shows it failed, and it can be
 * tried again shortly.
 */
export class PurgeUnderWayError extends Error {
  constructor(teamId: string) {
    super(`the data of workspace ${teamId} is being deleted after its uninstall; install again in a few minutes`);
  }
}

/**
 * Workspaces installed through OAuth: their bot tokens (encrypted at rest),
 * uninstalls, and the deletion of a departed team's data once its
 * retention period has passed.
 */
export function createInstallationService({
  models,
  now,
  encryptionKey,
  retentionDays,
}: {
  models: Models;
  now: () => Date;
  encryptionKey: string;
  retentionDays: number;
}) {
  const cipher = createTokenCipher(encryptionKey);

  /** A reinstall replaces the token and cancels a pending deletion. */
  async function save(install: NewInstallation): Promise<void> {
    const { id, botToken, ...rest } = install;
    // Data being deleted right now would take the new install's first cards with it: the install is refused until it is
    // done.
    if (await models.installations.exists({ _id: id, purgingSince: { $gt: leaseStart() } }))
      throw new PurgeUnderWayError(id);
    await models.installations.updateOne(
      { _id: id },
      {
        $set: { ...rest, botTokenEncrypted: cipher.encrypt(botToken), installedAt: now() },
        $unset: { uninstalledAt: '', purgeAfter: '', purgingSince: '' },
      },
      { upsert: true },
    );
  }

  /** The bot of a workspace that has the app installed; null once it is uninstalled or its token revoked. */
  async function botOf(id: string): Promise<InstalledBot | null> {
    const record = await models.installations
      .findOne({ _id: id, uninstalledAt: { $exists: false } })
      .lean<InstallationRecord>();
    if (!record) return null;
    const { botTokenEncrypted, botId, botUserId, isEnterpriseInstall, enterpriseId, scopes, installedBy } = record;
    return {
      token: cipher.decrypt(botTokenEncrypted),
      botId,
      botUserId,
      isEnterpriseInstall,
      enterpriseId,
      scopes,
      installedBy,
    };
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

  const leaseStart = () => new Date(now().getTime() - domain.oauth.purgeLeaseMinutes * 60_000);

  /**
   * Deletes the data of every team whose retention period is over, then its
   * installation record, last. Each team is claimed first, only while it is
   * still due (a reinstall clears purgeAfter) and not being purged: a
   * reinstall meanwhile is refused (see save). A run that stops half-way
   * leaves its claim to expire, and the next run finishes the job; deleting
   * is idempotent, so a claim two instances both win does no harm.
   */
  async function purgeDue(): Promise<string[]> {
    const purged: string[] = [];
    for (const { _id } of await models.installations.find({ purgeAfter: { $lte: now() } }, { _id: 1 }).lean()) {
      const purgingSince = now();
      const free = { $or: [{ purgingSince: { $exists: false } }, { purgingSince: { $lte: leaseStart() } }] };
      const { modifiedCount } = await models.installations.updateOne(
        { _id, purgeAfter: { $lte: purgingSince }, ...free },
        { $set: { purgingSince } },
      );
      if (modifiedCount === 0) continue;
      await deleteTeamData(models, _id);
      await models.installations.deleteOne({ _id, purgingSince });
      purged.push(_id);
    }
    return purged;
  }

  return { save, botOf, isInstalled, uninstall, purgeDue };
}

export type InstallationService = ReturnType<typeof createInstallationService>;
