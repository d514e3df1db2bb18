import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Installation, InstallationQuery, InstallationStore, InstallURLOptions, StateStore } from '@slack/bolt';
import { domain } from '../config/domain.js';
import { isDuplicateKey } from '../db/errors.js';
import type { Messages } from '../i18n/index.js';
import type { Models } from '../models/index.js';
import { PurgeUnderWayError, type InstallationService } from '../services/installations.js';

/** Slack's install flow takes seconds; a state older than this is refused. */
const STATE_LIFETIME_MS = domain.oauth.stateLifetimeMinutes * 60_000;

/** @slack/oauth's InvalidStateError code, which its failure page answers with HTTP 400. */
class InvalidStateError extends Error {
  readonly code = 'slack_oauth_invalid_state';
  override name = 'InvalidStateError';
}

/**
 * OAuth states kept in MongoDB and used once, through the insert of their
 * use (see OAuthStateUseRecord), so a replayed callback is refused on every
 * instance, even several at once; Bolt's default store checks only
 * the signature and age. The HMAC refuses a forged state before any read.
 */
export function createStateStore(models: Models, stateSecret: string, now: () => Date): StateStore {
  const sign = (id: string) => createHmac('sha256', stateSecret).update(id).digest('base64url');
  const signatureMatches = (id: string, signature: string) => {
    const expected = Buffer.from(sign(id));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  return {
    async generateStateParam(installOptions: InstallURLOptions) {
      const id = randomBytes(24).toString('base64url');
      const createdAt = now();
      await models.oauthStates.create({ _id: id, installOptions: { ...installOptions }, createdAt });
      // Abandoned installs leave states behind, and used ones their use; each new state sweeps the expired.
      const expired = new Date(createdAt.getTime() - STATE_LIFETIME_MS);
      await models.oauthStates.deleteMany({ createdAt: { $lt: expired } });
      await models.oauthStateUses.deleteMany({ usedAt: { $lt: expired } });
      return `${id}.${sign(id)}`;
    },
    async verifyStateParam(_wallClock: Date, state: string) {
      const [id = '', signature = ''] = String(state).split('.');
      if (!signatureMatches(id, signature)) throw new InvalidStateError('the state parameter was not issued by this app');
      const issued = await models.oauthStates.findById(id).lean();
      if (!issued) throw new InvalidStateError('the state parameter was already used or has expired');
      if (now().getTime() - issued.createdAt.getTime() > STATE_LIFETIME_MS) throw new InvalidStateError('the state parameter has expired');
      try {
        await models.oauthStateUses.create({ _id: id, usedAt: now() });
      } catch (error) {
        if (isDuplicateKey(error)) throw new InvalidStateError('the state parameter was already used');
        throw error;
      }
      await models.oauthStates.deleteOne({ _id: id });
      return issued.installOptions as unknown as InstallURLOptions;
    },
  };
}

/** An organisation-wide install is keyed by its enterprise id, any other by its team id, as Bolt queries them. */
function installationId(query: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }): string | undefined {
  return query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
}

/** Bolt's InstallationStore over the installations service; errors name the workspace, never the token. */
export function createInstallationStore(installations: InstallationService): InstallationStore {
  return {
    async storeInstallation(installation: Installation) {
      const id = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
      const bot = installation.bot;
      if (!id || !bot?.token) throw new Error('the installation carries no workspace id or bot token; is the bot scope requested?');
      await installations.save({
        id,
        isEnterpriseInstall: Boolean(installation.isEnterpriseInstall),
        ...(installation.enterprise?.id ? { enterpriseId: installation.enterprise.id } : {}),
        botToken: bot.token,
        botId: bot.id,
        botUserId: bot.userId,
        scopes: bot.scopes ?? [],
        installedBy: installation.user?.id,
      });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const id = installationId(query);
      const bot = id ? await installations.botOf(id) : null;
      if (!id || !bot) throw new Error(`workspace ${id ?? '(none)'} has not installed the app, or has uninstalled it`);
      return {
        team: bot.isEnterpriseInstall ? undefined : { id },
        enterprise: bot.enterpriseId ? { id: bot.enterpriseId } : undefined,
        isEnterpriseInstall: bot.isEnterpriseInstall,
        bot: { token: bot.token, id: bot.botId ?? '', userId: bot.botUserId ?? '', scopes: bot.scopes },
        user: { id: bot.installedBy ?? '', token: undefined, scopes: undefined },
        authVersion: 'v2',
      } as Installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const id = installationId(query);
      if (id) await installations.uninstall(id);
    },
  };
}

/** @slack/oauth's codes for a callback without a usable state or code: the user's link, not the app, is at fault. */
const BAD_LINK_CODES = new Set(['slack_oauth_missing_state', 'slack_oauth_invalid_state', 'slack_oauth_missing_code']);

/**
 * The page the browser shows when an install fails, saying why in the
 * app's language: Bolt's own says only "Something went wrong" with a code.
 * Its texts are our own, never the error's.
 */
export function installFailurePage(t: Messages) {
  return (error: Error & { code?: string }, _options: InstallURLOptions, _req: IncomingMessage, res: ServerResponse): void => {
    const [status, message] =
      error instanceof PurgeUnderWayError ? [503, t.install.purgeUnderWay] : BAD_LINK_CODES.has(error.code ?? '') ? [400, t.install.badState] : [500, t.install.failed];
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${t.install.title}</title></head><body><h2>${t.install.title}</h2><p>${message}</p></body></html>`);
  };
}
