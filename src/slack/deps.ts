import type { Logger } from '@slack/bolt';
import { messagesFor, type Locale, type Messages } from '../i18n/index.js';
import type { AmbassadorService } from '../services/ambassadors.js';
import type { BriefService } from '../services/briefs.js';
import type { CaptureService } from '../services/captures.js';
import type { CardService } from '../services/cards.js';
import type { CustomerService } from '../services/customers.js';
import type { ExportService } from '../services/exports.js';
import type { HandoverService } from '../services/handover.js';
import type { HistoryService } from '../services/history.js';
import type { HomeService } from '../services/home.js';
import type { ImportService } from '../services/imports.js';
import type { InstallationService } from '../services/installations.js';
import type { MoneyService } from '../services/money.js';
import type { NudgeService } from '../services/nudges.js';
import type { OccasionService } from '../services/occasions.js';
import type { PoolService } from '../services/pool.js';
import type { ReferralService } from '../services/referrals.js';
import type { SegmentService } from '../services/segments.js';
import type { PromiseService } from '../services/promises.js';
import type { TeamSettings, TeamSettingsService } from '../services/teamSettings.js';
import type { VisitPlanService } from '../services/visitPlan.js';
import type { VisitService } from '../services/visits.js';
import type { UserLocaleService } from '../services/userLocale.js';
import type { RolesService } from './roles.js';

/** What listeners may use: services and the clock, never models. */
export interface ListenerDeps {
  customers: CustomerService;
  cards: CardService;
  briefs: BriefService;
  money: MoneyService;
  ambassadors: AmbassadorService;
  visits: VisitService;
  captures: CaptureService;
  nudges: NudgeService;
  referrals: ReferralService;
  promises: PromiseService;
  segments: SegmentService;
  visitPlan: VisitPlanService;
  pool: PoolService;
  history: HistoryService;
  exports: ExportService;
  handover: HandoverService;
  settings: TeamSettingsService;
  userLocales: UserLocaleService;
  roles: RolesService;
  home: HomeService;
  imports: ImportService;
  /** SLACK_API_URL, when set: the one host besides Slack's own that a file may be downloaded from with the bot token. */
  slackApiUrl?: string;
  occasions: OccasionService;
  /** Installed through OAuth only: the workspaces' installations, which uninstall events end. */
  installations?: InstallationService;
  /** Republishes App Home for those of these users who have opened it; never rejects. */
  refreshHome: (teamId: string, userIds: (string | undefined)[]) => Promise<void>;
  now: () => Date;
  logger: Logger;
  /** The language of answers given before the team's own settings could be read. */
  defaultLocale: Locale;
}

export interface TeamScope {
  teamId: string;
  settings: TeamSettings;
  /** In the language of the person acting (their choice, else the team's); channel posts use settings.locale. */
  t: Messages;
}

/** Every listener works inside the workspace the request came from, in the language of who asked. */
export async function teamScope(
  deps: Pick<ListenerDeps, 'settings' | 'userLocales'>,
  context: { teamId?: string; enterpriseId?: string },
  userId?: string,
): Promise<TeamScope> {
  const teamId = context.teamId ?? context.enterpriseId;
  if (!teamId) throw new Error('request carries no team id');
  const [settings, locale] = await Promise.all([
    deps.settings.settingsFor(teamId),
    userId ? deps.userLocales.localeOf(teamId, userId) : undefined,
  ]);
  return { teamId, settings, t: messagesFor(locale ?? settings.locale) };
}

/** The language to write to someone else in (a DM to a colleague): theirs, else the team's. */
export async function messagesForUser(
  deps: Pick<ListenerDeps, 'userLocales'>,
  settings: TeamSettings,
  userId: string,
): Promise<Messages> {
  return messagesFor((await deps.userLocales.localeOf(settings.teamId, userId)) ?? settings.locale);
}

/** Who sent a request, from any payload shape (command, action, submission, options). */
export function requesterOf(body: unknown): string | undefined {
  const b = (body ?? {}) as { user?: { id?: unknown }; user_id?: unknown };
  const id = b.user?.id ?? b.user_id;
  return typeof id === 'string' ? id : undefined;
}
