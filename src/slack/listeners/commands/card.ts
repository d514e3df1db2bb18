import type { App } from '@slack/bolt';
import { exportAllowed, type ExportRequest } from '../../../domain/exportRequest.js';
import { parseLookup, type LookupRequest, type SearchLookup } from '../../../domain/lookup.js';
import { mayHandOver } from '../../../domain/roles.js';
import { renderAmbassadorList } from '../../../views/ambassadorList.js';
import { renderBirthdayList } from '../../../views/birthdays.js';
import { renderBriefMessage } from '../../../views/brief.js';
import {
  renderHelp,
  renderMatches,
  renderNotFound,
  renderNotice,
  renderSafeNotice,
  type NewCardPrefill,
} from '../../../views/lookup.js';
import type { SlackMessage } from '../../../views/message.js';
import { renderImportModal } from '../../../views/importPreview.js';
import { renderOverdueList } from '../../../views/overdueList.js';
import { escapeMrkdwn } from '../../../i18n/mrkdwn.js';
import { renderPoolList } from '../../../views/pool.js';
import { renderReferralList } from '../../../views/referralList.js';
import { renderVisitPlan } from '../../../views/visitPlan.js';
import { addDays, todayIn } from '../../../time.js';
import { domain } from '../../../config/domain.js';
import { renderCardFor } from '../../cardFor.js';
import type { ListenerDeps, TeamScope } from '../../deps.js';
import { deliverToDm } from '../../exportDelivery.js';
import { handoverPreview } from '../../handoverPreview.js';
import { slackNames } from '../../userNames.js';
import { COMMAND } from '../../../views/ids.js';
import { afterAck, describeRequest, type CommandArgs } from '../../listen.js';

function prefillFor(request: LookupRequest & { text: string }): NewCardPrefill {
  return request.kind === 'phone' ? { phone: request.text } : { name: request.text };
}

/** Who asked, and the client to ask Slack about them. */
interface Caller {
  userId: string;
  client: CommandArgs['client'];
}

/** `/card segments refresh`: admins only, as it rewrites every card of the team. */
async function refreshSegments(
  deps: ListenerDeps,
  { teamId, settings, t }: TeamScope,
  caller: Caller,
): Promise<SlackMessage> {
  if (!(await deps.roles.rolesOf(caller.client, settings, caller.userId)).admin)
    return renderNotice(t.segments.adminOnly);
  const report = await deps.segments.refreshTeam(teamId);
  return renderNotice(t.segments.refreshed(report.current, report.inactive, report.changed));
}

/** `/card handover <@from> <@to>`: admins and the manager only; a preview whose Confirm names this request. */
async function handoverReply(
  deps: ListenerDeps,
  scope: TeamScope,
  caller: Caller,
  request: Extract<LookupRequest, { kind: 'handover' }>,
): Promise<SlackMessage> {
  if (!mayHandOver(await deps.roles.rolesOf(caller.client, scope.settings, caller.userId)))
    return renderNotice(scope.t.handover.adminOnly);
  return handoverPreview(deps, scope, request.fromId, request.toId);
}

/** `/card birthdays` (生日): the caller's customers' days from today (the team's) to domain.occasions.listDays ahead. */
async function birthdaysReply(deps: ListenerDeps, { teamId, settings, t }: TeamScope, caller: Caller) {
  const today = todayIn(deps.now(), settings.timezone);
  const days = domain.occasions.listDays;
  const list = await deps.occasions.coming(teamId, caller.userId, today, addDays(today, days));
  return renderBirthdayList(t, list, today, days);
}

/** `/card brief <name | phone | card number>`: found as `/card <name>` finds, one match answered with its brief. */
async function briefReply(deps: ListenerDeps, { teamId, t }: TeamScope, request: SearchLookup): Promise<SlackMessage> {
  const { matches, more } = await deps.customers.findCustomers(teamId, request, { exactDecides: true });
  const [only] = matches;
  if (!only) return renderNotFound(t, request.text, prefillFor(request));
  if (matches.length > 1) return renderMatches(t, request.text, matches, more, 'brief');
  return renderBriefMessage(t, await deps.briefs.briefOf(only));
}

/**
 * `/card export`: told at once that it is on its way, then written and sent
 * to the DM in this request's handler, after the ack. A failure is told
 * through the response_url; an instance dying midway leaves the user
 * without the file, to ask again.
 */
async function runExport(
  deps: ListenerDeps,
  { teamId, settings, t }: TeamScope,
  { command, respond, client, body }: CommandArgs,
  asked: ExportRequest,
) {
  const { request, ownOnly } = exportAllowed(
    asked,
    command.user_id,
    await deps.roles.rolesOf(client, settings, command.user_id),
  );
  const tell = (text: string) => respond({ response_type: 'ephemeral', ...renderNotice(text) });
  await tell(ownOnly ? `${t.exports.started}\n${t.exports.ownOnly}` : t.exports.started);
  try {
    const summary = await deps.exports.exportCards(
      teamId,
      request,
      deliverToDm(client, command.user_id),
      slackNames(client, deps.logger),
    );
    if (summary.cards === 0 && !summary.visits && !summary.sales) await tell(t.exports.none);
  } catch (error) {
    deps.logger.error(`${describeRequest(body)} export failed: ${(error as Error).message}`);
    await tell(t.exports.failed);
  }
}

async function lookupReply(
  deps: ListenerDeps,
  scope: TeamScope,
  caller: Caller,
  request: Exclude<LookupRequest, { kind: 'export' | 'import' }>,
): Promise<SlackMessage> {
  const { teamId, t } = scope;
  if (request.kind === 'help') return renderHelp(t);
  if (request.kind === 'tooLong') return renderNotice(t.lookup.tooLong(request.max));
  if (request.kind === 'overdue') return renderOverdueList(t, await deps.money.overdueList(teamId));
  if (request.kind === 'referrals') return renderReferralList(t, await deps.referrals.listReferrals(teamId));
  if (request.kind === 'segmentsRefresh') return refreshSegments(deps, scope, caller);
  if (request.kind === 'pool') return renderPoolList(t, await deps.pool.list(teamId), scope.settings.timezone);
  if (request.kind === 'birthdays') return birthdaysReply(deps, scope, caller);
  if (request.kind === 'brief') return briefReply(deps, scope, request.search);
  if (request.kind === 'badBrief') return renderNotice(t.brief.usage);
  if (request.kind === 'plan') {
    const today = todayIn(deps.now(), scope.settings.timezone);
    return renderVisitPlan(
      t,
      await deps.visitPlan.planVisits(teamId, caller.userId, { region: request.region, today }),
    );
  }
  if (request.kind === 'badExport') return renderSafeNotice(t.exports.badFilter(escapeMrkdwn(request.word)));
  if (request.kind === 'handover') return handoverReply(deps, scope, caller, request);
  if (request.kind === 'badHandover') return renderNotice(t.handover.usage);
  if (request.kind === 'badImport') return renderNotice(t.imports.usage);
  if (request.kind === 'ambassadors') {
    const list = await deps.ambassadors.list(teamId);
    return renderAmbassadorList(
      t,
      list,
      await deps.referrals.countsFor(
        teamId,
        list.rows.map((r) => r.customer._id),
      ),
    );
  }
  const { matches, more } = await deps.customers.findCustomers(teamId, request, { exactDecides: true });
  const [only] = matches;
  if (!only) return renderNotFound(t, request.text, prefillFor(request));
  if (matches.length === 1)
    return renderCardFor(deps, t, await deps.cards.loadCard(only), { ...caller, settings: scope.settings });
  return renderMatches(t, request.text, matches, more);
}

/**
 * `/card <name | phone | card number | brief <name> | overdue | referrals | ambassadors | pool | birthdays | plan [region] |
 * segments refresh | export … | handover @a @b | import [sales] | help>`
 */
export function register(app: App, deps: ListenerDeps): void {
  app.command(
    COMMAND,
    afterAck<CommandArgs>(deps, async (args, scope) => {
      const request = parseLookup(String(args.command.text ?? ''));
      if (request.kind === 'export') return runExport(deps, scope, args, request.request);
      // The import modal opens on the command's trigger (valid 3 s): Slack's file input, then a preview in the DM.
      if (request.kind === 'import')
        return void (await args.client.views.open({
          trigger_id: args.command.trigger_id,
          view: renderImportModal(scope.t, request.what),
        }));
      await args.respond({
        response_type: 'ephemeral',
        ...(await lookupReply(deps, scope, { userId: args.command.user_id, client: args.client }, request)),
      });
    }),
  );
}
