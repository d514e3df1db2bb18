import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { isDatabaseUnavailable } from '../../../db/errors.js';
import { parseTypeAhead } from '../../../domain/lookup.js';
import { messagesFor, type Messages } from '../../../i18n/index.js';
import type { CustomerRecord } from '../../../models/customer.js';
import { todayIn } from '../../../time.js';
import { cardInputSchema } from '../../../validation/cardInput.js';
import { fieldErrors } from '../../../validation/errors.js';
import { optionalUserId } from '../../../validation/fields.js';
import { visitInputSchema } from '../../../validation/visitInput.js';
import { FUNCTION } from '../../../views/ids.js';
import { renderCardFor } from '../../cardFor.js';
import { messagesForUser, teamScope, type ListenerDeps, type TeamScope } from '../../deps.js';
import { errorMessages } from '../../fieldErrors.js';
import { describeRequest } from '../../listen.js';
import { referralRefusal } from '../../referralRefusal.js';

type StepArgs = SlackEventMiddlewareArgs<'function_executed'> & AllMiddlewareArgs;
type Inputs = Record<string, unknown>;

/** How a step ends: its outputs (and what to do once Slack has them), or which input was wrong and why. */
type StepOutcome = { outputs: Record<string, string>; after?: () => Promise<void> } | { error: string };

type InputName = keyof Messages['steps']['inputs'];

/** "「姓名」(`name`): required." in the team's language: the input as Workflow Builder titles it, and its key. */
const badInput = (t: Messages, input: InputName, why: string): StepOutcome => ({
  error: t.steps.badInput(t.steps.inputs[input], input, why),
});

/** The first error of a form schema, on the step input that fed that field. */
function firstError(t: Messages, error: Parameters<typeof fieldErrors>[0], inputOf: Record<string, InputName>) {
  const [first] = fieldErrors(error);
  const field = first?.field ?? '';
  return badInput(t, inputOf[field] ?? 'name', errorMessages(t, first ? [first] : [])[field] ?? t.validation.required);
}

/** An input as text: Workflow Builder sends strings, but a mapped variable may be a number. */
function textOf(inputs: Inputs, key: string): string | undefined {
  const value = inputs[key];
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? String(value) : undefined;
}

/** A card named by its number or phone, in the step's workspace: exactly one, or why not. */
async function cardOf(
  deps: ListenerDeps,
  { teamId, t }: TeamScope,
  text: string | undefined,
): Promise<{ customer: CustomerRecord } | { why: string }> {
  const lookup = parseTypeAhead(text ?? '');
  if (!lookup || lookup.kind === 'name') return { why: t.steps.notCardOrPhone };
  const { matches } = await deps.customers.findCustomers(teamId, lookup, { exactDecides: true });
  if (matches.length === 1) return { customer: matches[0]! };
  return { why: matches.length === 0 ? t.steps.noCard(text!.trim()) : t.steps.severalCards(text!.trim()) };
}

/** The visit kind typed in a workflow: its key or its name in either language. */
function kindOf(text: string | undefined): string | undefined | null {
  const typed = text?.trim().toLowerCase();
  if (!typed) return undefined;
  for (const labels of [messagesFor('zh').options.visitKind, messagesFor('en').options.visitKind]) {
    const found = Object.entries(labels).find(([key, label]) => key === typed || label.toLowerCase() === typed);
    if (found) return found[0];
  }
  return null;
}

/** One execution's requests are one request: Slack delivering it again saves nothing new. */
const requestKeyOf = (teamId: string, { event }: StepArgs) => `${teamId}:function:${event.function_execution_id}`;

/**
 * The new card, posted to its owner's DM with the app: the link to that message. Should Slack refuse the post, the
 * card is there all the same: the link then opens the app, where `/card` finds it.
 */
async function sendToOwner(
  deps: ListenerDeps,
  args: StepArgs,
  { teamId, settings }: TeamScope,
  customer: CustomerRecord,
  ownerId: string,
): Promise<string> {
  try {
    const card = await deps.cards.getCard(teamId, customer._id.toString());
    const viewer = { client: args.client, settings, userId: ownerId };
    const shown = await renderCardFor(deps, await messagesForUser(deps, settings, ownerId), card!, viewer);
    const posted = await args.client.chat.postMessage({ channel: ownerId, ...shown });
    const link = await args.client.chat.getPermalink({ channel: posted.channel!, message_ts: posted.ts! });
    if (link.permalink) return link.permalink;
  } catch (error) {
    deps.logger.warn(
      `${describeRequest(args.body)}: card ${customer.number} not sent to its owner (${(error as Error).message})`,
    );
  }
  return `https://slack.com/app_redirect?app=${encodeURIComponent(String(args.body.api_app_id))}&team=${encodeURIComponent(teamId)}`;
}

const CARD_INPUTS: Record<string, InputName> = {
  name: 'name',
  phone: 'phone',
  birthday: 'birthday',
  company: 'company',
  region: 'region',
  ownerId: 'owner',
  referrerId: 'referrer',
};

/**
 * 新建客户卡 as a workflow step: checked as the create modal checks a card
 * (the referrer named by card number or phone), created once per execution,
 * posted to its owner's DM with the app; the outputs are its number and the
 * link to that message. Its reminders (a referral's nudge) follow as for a
 * card created by hand.
 */
async function createCard(deps: ListenerDeps, args: StepArgs, scope: TeamScope): Promise<StepOutcome> {
  const { t, teamId, settings } = scope;
  const inputs = args.inputs;
  const referrerText = textOf(inputs, 'referrer')?.trim();
  let referrerId: string | undefined;
  if (referrerText) {
    const referrer = await cardOf(deps, scope, referrerText);
    if ('why' in referrer) return badInput(t, 'referrer', referrer.why);
    referrerId = referrer.customer._id.toString();
  }
  const parsed = cardInputSchema(todayIn(deps.now(), settings.timezone)).safeParse({
    name: textOf(inputs, 'name'),
    phone: textOf(inputs, 'phone'),
    birthday: textOf(inputs, 'birthday'),
    company: textOf(inputs, 'company'),
    region: textOf(inputs, 'region'),
    ownerId: textOf(inputs, 'owner'),
    referrerId,
  });
  if (!parsed.success) return firstError(t, parsed.error, CARD_INPUTS);
  const ownerId = parsed.data.ownerId;
  if (!ownerId) return badInput(t, 'owner', t.validation.required);
  // A workflow is nobody: the card is recorded as created by its owner.
  const created = await deps.customers.createCustomer(teamId, ownerId, parsed.data, requestKeyOf(teamId, args));
  if (created.status === 'refused') return badInput(t, 'referrer', referralRefusal(t, created.refusal));
  const link = await sendToOwner(deps, args, scope, created.customer, ownerId);
  return {
    outputs: { card_number: created.customer.number, card_link: link },
    after: async () => {
      await created.react();
      await deps.refreshHome(teamId, [ownerId]);
    },
  };
}

const VISIT_INPUTS: Record<string, InputName> = {
  notes: 'note',
  nextFollowUpDate: 'next_follow_up_date',
  kind: 'kind',
};

/**
 * 记录拜访 as a workflow step: the customer by card number or phone, what
 * was discussed, the next follow-up; checked as the visit modal checks a
 * visit dated today, logged once per execution by whoever the workflow names
 * (anyone of the workspace may log on any card, as the card's Log visit
 * button allows), with the follow-up nudge it sets going.
 */
async function logVisit(deps: ListenerDeps, args: StepArgs, scope: TeamScope): Promise<StepOutcome> {
  const { t, teamId, settings } = scope;
  const inputs = args.inputs;
  const found = await cardOf(deps, scope, textOf(inputs, 'customer'));
  if ('why' in found) return badInput(t, 'customer', found.why);
  const loggedBy = optionalUserId.safeParse(textOf(inputs, 'logged_by'));
  if (!loggedBy.success || !loggedBy.data)
    return badInput(t, 'logged_by', loggedBy.success ? t.validation.required : t.validation.invalidUser);
  const kind = kindOf(textOf(inputs, 'kind'));
  if (kind === null) return badInput(t, 'kind', t.steps.badKind);
  const today = todayIn(deps.now(), settings.timezone);
  const parsed = visitInputSchema(today).safeParse({
    date: today,
    kind: kind ?? 'visit',
    notes: textOf(inputs, 'note'),
    nextFollowUpDate: textOf(inputs, 'next_follow_up_date'),
  });
  if (!parsed.success) return firstError(t, parsed.error, VISIT_INPUTS);
  const customerId = found.customer._id.toString();
  const logged = await deps.visits.logVisit(teamId, loggedBy.data, customerId, parsed.data, {
    requestKey: requestKeyOf(teamId, args),
  });
  if (!logged) return badInput(t, 'customer', t.card.gone);
  return {
    outputs: { card_number: logged.customer.number },
    after: () => deps.refreshHome(teamId, [loggedBy.data, logged.customer.ownerId]),
  };
}

/**
 * Runs a step inside the workspace the execution belongs to, in its
 * language, and always ends it: complete with the outputs, or fail with
 * which input was wrong and why, or, on a failure of ours, with a reason
 * saying whether trying again later will help (and a line in the log).
 */
function step(deps: ListenerDeps, work: (args: StepArgs, scope: TeamScope) => Promise<StepOutcome>) {
  return async (args: StepArgs): Promise<void> => {
    let t = messagesFor(deps.defaultLocale);
    try {
      const scope = await teamScope(deps, args.context);
      t = scope.t;
      const outcome = await work(args, scope);
      if ('error' in outcome) return void (await args.fail({ error: outcome.error }));
      await args.complete({ outputs: outcome.outputs });
      await outcome
        .after?.()
        .catch((error: Error) => deps.logger.warn(`${describeRequest(args.body)} completed, then: ${error.message}`));
    } catch (error) {
      const e = error as Error;
      deps.logger.error(`${describeRequest(args.body)} failed: ${e.name}: ${e.message}`);
      // Not "nothing was saved": a step may fail after its card or visit is written (Slack refusing the end).
      const reason = isDatabaseUnavailable(error) ? t.errors.unavailableNow : t.errors.failed;
      await args
        .fail({ error: reason })
        .catch((failed: Error) => deps.logger.warn(`could not fail the step: ${failed.message}`));
    }
  };
}

/** The Workflow Builder steps the manifest declares under `functions`. */
export function register(app: App, deps: ListenerDeps): void {
  app.function(
    FUNCTION.createCard,
    step(deps, (args, scope) => createCard(deps, args, scope)),
  );
  app.function(
    FUNCTION.logVisit,
    step(deps, (args, scope) => logVisit(deps, args, scope)),
  );
}
