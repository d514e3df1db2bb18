import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  Installation,
  InstallationQuery,
  InstallationStore,
  InstallURLOptions,
  Logger,
  StateStore,
} from '@slack/bolt';
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
      if (!signatureMatches(id, signature))
        throw new InvalidStateError('the state parameter was not issued by this app');
      const issued = await models.oauthStates.findById(id).lean();
      if (!issued) throw new InvalidStateError('the state parameter was already used or has expired');
      if (now().getTime() - issued.createdAt.getTime() > STATE_LIFETIME_MS)
        throw new InvalidStateError('the state parameter has expired');
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
function installationId(query: {
  isEnterpriseInstall?: boolean;
  enterpriseId?: string;
  teamId?: string;
}): string | undefined {
  return query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
}

/** Bolt's InstallationStore over the installations service; errors name the workspace, never the token. */
export function createInstallationStore(installations: InstallationService): InstallationStore {
  return {
    async storeInstallation(installation: Installation) {
      const id = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
      const bot = installation.bot;
      if (!id || !bot?.token)
        throw new Error('the installation carries no workspace id or bot token; is the bot scope requested?');
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
      };
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const id = installationId(query);
      if (id) await installations.uninstall(id);
    },
  };
}

/** @slack/oauth's codes for a callback without a usable state or code: the user's link, not the app, is at fault. */
const BAD_LINK_CODES = new Set(['slack_oauth_missing_state', 'slack_oauth_invalid_state', 'slack_oauth_missing_code']);
/** @slack/oauth's code for `?error=access_denied`: the person cancelled on Slack's page. */
const CANCELLED_CODE = 'slack_oauth_installer_authorization_error';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One small page of the install flow, in the team's default language, naming the app. */
function page(t: Messages, title: string, body: string): string {
  return (
    `<!doctype html><html lang="${t.install.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)} · ${escapeHtml(t.install.appName)}</title></head>` +
    `<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">` +
    `<h1>${escapeHtml(t.install.appName)}</h1><h2>${escapeHtml(title)}</h2>${body}</body></html>`
  );
}

/** /slack/install: what the app is, and the Add to Slack link (Bolt's own page is in English and names no app). */
export function installPage(t: Messages) {
  return (url: string): string =>
    page(
      t,
      t.install.pageTitle,
      `<p>${escapeHtml(t.install.intro)}</p><p><a href="${escapeHtml(url)}" style="font-size: 1.2rem">${escapeHtml(t.install.addToSlack)}</a></p>`,
    );
}

/** The page once installed: where to go next. */
export function installSuccessPage(t: Messages) {
  return (
    _installation: Installation,
    _options: InstallURLOptions,
    _req: IncomingMessage,
    res: ServerResponse,
  ): void => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page(t, t.install.installedTitle, `<p>${escapeHtml(t.install.installed)}</p>`));
  };
}

/**
 * The page the browser shows when an install does not go through, saying why
 * in the app's language: cancelled on Slack's page (not a failure, 200), a
 * used or expired link (400), a deletion under way (503), anything else (500).
 * Bolt's own says only "Something went wrong" with a code. Its texts are our
 * own, never the error's.
 */
export function installFailurePage(t: Messages) {
  return (
    error: Error & { code?: string },
    _options: InstallURLOptions,
    _req: IncomingMessage,
    res: ServerResponse,
  ): void => {
    const [status, title, message] =
      error.code === CANCELLED_CODE
        ? [200, t.install.cancelledTitle, t.install.cancelled]
        : error instanceof PurgeUnderWayError
          ? [503, t.install.title, t.install.purgeUnderWay]
          : BAD_LINK_CODES.has(error.code ?? '')
            ? [400, t.install.title, t.install.badState]
            : [500, t.install.title, t.install.failed];
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page(t, title, `<p>${escapeHtml(message)}</p>`));
  };
}

/**
 * The installer logs every refused callback as an error, with its stack. A
 * cancelled install, a used, expired or forged link and a reinstall during a
 * deletion are routine, answered with their own page: one warning line each,
 * naming the reason. Anything else is logged as it was.
 */
export function quietInstallRefusals(logger: Logger): Logger {
  const codeOf = (e: unknown) => (e as { code?: unknown } | undefined)?.code;
  const routine = (e: unknown): e is Error & { code?: string } =>
    e instanceof Error &&
    (e instanceof PurgeUnderWayError || codeOf(e) === CANCELLED_CODE || BAD_LINK_CODES.has(String(codeOf(e))));
  return {
    debug: (...msgs) => logger.debug(...msgs),
    info: (...msgs) => logger.info(...msgs),
    warn: (...msgs) => logger.warn(...msgs),
    error: (...msgs) => {
      const [only] = msgs;
      if (msgs.length === 1 && routine(only))
        return logger.warn(`install refused: ${only.message} (${only.code ?? only.name})`);
      return logger.error(...msgs);
    },
    setLevel: (level) => logger.setLevel(level),
    getLevel: () => logger.getLevel(),
    setName: (name) => logger.setName(name),
  };
}
