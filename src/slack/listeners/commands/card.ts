import type { App } from '@slack/bolt';
import { parseLookup, type LookupRequest } from '../../../domain/lookup.js';
import type { Messages } from '../../../i18n/index.js';
import { renderAmbassadorList } from '../../../views/ambassadorList.js';
import { renderCard } from '../../../views/card.js';
import { renderHelp, renderMatches, renderNotFound, renderNotice, type NewCardPrefill } from '../../../views/lookup.js';
import type { SlackMessage } from '../../../views/message.js';
import { renderOverdueList } from '../../../views/overdueList.js';
import { renderReferralList } from '../../../views/referralList.js';
import type { ListenerDeps } from '../../deps.js';
import { COMMAND } from '../../ids.js';
import { afterAck, type CommandArgs } from '../../listen.js';

function prefillFor(request: LookupRequest & { text: string }): NewCardPrefill {
  return request.kind === 'phone' ? { phone: request.text } : { name: request.text };
}

async function lookupReply(deps: ListenerDeps, teamId: string, t: Messages, text: string): Promise<SlackMessage> {
  const request = parseLookup(text);
  if (request.kind === 'help') return renderHelp(t);
  if (request.kind === 'tooLong') return renderNotice(t.lookup.tooLong(request.max));
  if (request.kind === 'overdue') return renderOverdueList(t, await deps.money.overdueList(teamId));
  if (request.kind === 'referrals') return renderReferralList(t, await deps.referrals.listReferrals(teamId));
  if (request.kind === 'ambassadors') {
    const list = await deps.ambassadors.list(teamId);
    return renderAmbassadorList(t, list, await deps.referrals.countsFor(teamId, list.rows.map((r) => r.customer._id)));
  }
  const { matches, more } = await deps.customers.findCustomers(teamId, request, { exactDecides: true });
  const [only] = matches;
  if (!only) return renderNotFound(t, request.text, prefillFor(request));
  if (matches.length === 1) return renderCard(t, await deps.cards.loadCard(only));
  return renderMatches(t, request.text, matches, more);
}

/** `/card <name | phone | card number | overdue | referrals | ambassadors | help>` */
export function register(app: App, deps: ListenerDeps): void {
  app.command(
    COMMAND,
    afterAck<CommandArgs>(deps, async ({ command, respond }, { teamId, t }) => {
      await respond({ response_type: 'ephemeral', ...(await lookupReply(deps, teamId, t, String(command.text ?? ''))) });
    }),
  );
}
