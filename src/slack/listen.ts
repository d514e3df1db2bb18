import type {
  AllMiddlewareArgs,
  Logger,
  RespondFn,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
  types,
  ViewResponseAction,
  ViewSubmitAction,
} from '@slack/bolt';
import { domain } from '../config/domain.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { messagesFor, type Messages } from '../i18n/index.js';
import { renderNotice } from '../views/lookup.js';
import { renderSavedModal, renderSavingModal } from '../views/savingModal.js';
import { requesterOf, teamScope, type ListenerDeps, type TeamScope } from './deps.js';
import { parseMetadataCustomerId } from '../views/modalMetadata.js';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * What a failure tells the user: wait for the database, or a plain "went
 * wrong". Only a save (a modal submission) says nothing was saved; a lookup
 * or a button has nothing to say about saving.
 */
function failureNotice(t: Messages, error: unknown, saving = true): string {
  if (isDatabaseUnavailable(error)) return saving ? t.errors.unavailable : t.errors.unavailableNow;
  return saving ? t.errors.generic : t.errors.failed;
}

/** Who and what a failed request was about, for the log; never tokens or user text. */
export function describeRequest(body: unknown): string {
  const b = (body ?? {}) as Record<string, any>;
  const team = b.team?.id ?? b.team_id ?? b.team ?? '?';
  const user = b.user?.id ?? b.user_id ?? '?';
  const what =
    b.command ??
    b.view?.callback_id ??
    b.actions?.[0]?.action_id ??
    b.action_id ??
    // A workflow step by its own id, a shortcut by its callback id: each names what failed better than its type.
    b.event?.function?.callback_id ??
    b.event?.type ??
    b.callback_id ??
    b.type ??
    '?';
  return `team ${String(team)} user ${String(user)} ${String(what)}`;
}

function logFailure(logger: Logger, body: unknown, error: unknown): void {
  const e = error as Error;
  logger.error(`${describeRequest(body)} failed: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`);
}

interface AckedArgs extends AllMiddlewareArgs {
  ack: () => Promise<void>;
  /**
   * Absent where Slack gave no response_url (a button on App Home or in a modal); `work` always gets one (see
   * answerer).
   */
  respond?: RespondFn;
  body: unknown;
}

/**
 * After any interaction, App Home is republished for the person acting and
 * for the owner of the card a modal was about, if they have opened theirs.
 * Doing it here, once, instead of in each handler keeps every change covered
 * (a visit, a sale, a promise kept…) at the price of a refresh after the odd
 * interaction that changed nothing; it runs after the answer, so never delays it.
 */
async function refreshHomesAfter(deps: ListenerDeps, teamId: string, body: unknown): Promise<void> {
  const b = (body ?? {}) as Record<string, any>;
  const customerId = parseMetadataCustomerId(b.view?.private_metadata);
  const owner = customerId ? await deps.home.ownerOf(teamId, customerId).catch(() => undefined) : undefined;
  await deps.refreshHome(teamId, [b.user?.id ?? b.user_id, owner]);
}

/**
 * How a command or button answers the person who used it: through Slack's
 * response_url, or, for a button on App Home or in a modal (Slack gives
 * those none), in their DM with the app, as a new message.
 */
function answerer(args: AckedArgs): RespondFn {
  if (args.respond) return args.respond;
  const userId = requesterOf(args.body);
  return async (message) => {
    const {
      replace_original: _replace,
      delete_original: _delete,
      response_type: _type,
      ...shown
    } = typeof message === 'string' ? { text: message } : message;
    if (userId) await args.client.chat.postMessage({ channel: userId, text: shown.text ?? '', ...shown });
    // What a response_url answers: handlers never read it, but the signature is Bolt's.
    return new Response(null, { status: 200 });
  };
}

/**
 * Commands and buttons: acknowledge first (Slack allows 3 s), then work. No
 * failure escapes: it is logged with its context and the user is told, in
 * words that say whether trying again later will help.
 */
export function afterAck<A extends AckedArgs>(deps: ListenerDeps, work: (args: A, scope: TeamScope) => Promise<void>) {
  return async (args: A): Promise<void> => {
    await args.ack();
    const respond = answerer(args);
    let t = messagesFor(deps.defaultLocale);
    let scope: TeamScope | undefined;
    try {
      scope = await teamScope(deps, args.context, requesterOf(args.body));
      t = scope.t;
      await work({ ...args, respond }, scope);
    } catch (error) {
      logFailure(deps.logger, args.body, error);
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...renderNotice(failureNotice(t, error, false)),
      }).catch((e: Error) => deps.logger.warn(`could not tell the user: ${e.message}`));
    }
    // A slash command only looks cards up (the admin's segment refresh aside, which Home shows on its next open).
    const isCommand = (args.body as { command?: string }).command !== undefined;
    if (scope && !isCommand) await refreshHomesAfter(deps, scope.teamId, args.body);
  };
}

interface SubmissionArgs extends AllMiddlewareArgs {
  ack: (response?: ViewResponseAction) => Promise<void>;
  body: unknown;
}

/** A submission's answer to Slack, and what to do once the modal has closed. */
export interface SubmissionResult {
  response?: ViewResponseAction;
  after?: () => Promise<void>;
}

/** The title of the modal a submission came from, to name it in a message about it. */
function titleOf(body: unknown): string {
  const title = (body as { view?: { title?: { text?: unknown } } }).view?.title?.text;
  return typeof title === 'string' ? title : '';
}

/**
 * What a submission answered too late for its modal becomes: the modal (if
 * still open) and a DM to the person say how it ended; a success's own
 * follow-up (the card shown again) runs as it would have.
 */
async function tellLateOutcome(
  deps: ListenerDeps,
  args: SubmissionArgs,
  t: Messages,
  outcome: { result: SubmissionResult } | { error: unknown },
) {
  const what = titleOf(args.body);
  let text: string;
  if ('error' in outcome) {
    logFailure(deps.logger, args.body, outcome.error);
    text = t.modal.notSavedLate(what, failureNotice(t, outcome.error));
  } else if (outcome.result.response?.response_action === 'errors') {
    text = t.modal.notSavedLate(what, Object.values(outcome.result.response.errors).join(' '));
  } else {
    await outcome.result.after?.().catch((error: unknown) => logFailure(deps.logger, args.body, error));
    text = t.modal.savedLate(what);
  }
  const userId = requesterOf(args.body);
  const viewId = (args.body as { view?: { id?: string } }).view?.id;
  // The person may have closed the modal meanwhile: the DM is what always arrives.
  if (viewId)
    await args.client.views.update({ view_id: viewId, view: renderSavedModal(t, text) }).catch(() => undefined);
  if (userId) await args.client.chat.postMessage({ channel: userId, ...renderNotice(text) });
}

/** Runs work a few at a time, in the order it came; the rest wait their turn. */
function limiter(max: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work: () => Promise<void>): Promise<void> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** One queue of follow-ups per app (tests run several in one process). */
const followUpQueues = new WeakMap<ListenerDeps, ReturnType<typeof limiter>>();
function followUps(deps: ListenerDeps) {
  let queue = followUpQueues.get(deps);
  if (!queue) followUpQueues.set(deps, (queue = limiter(domain.slack.followUpsAtOnce)));
  return queue;
}

/**
 * Modal submissions: the answer (close, or inline errors) must go back within
 * 3 s and may depend on the save, so the work decides it. Whatever fails
 * before the answer is answered inline on `errorBlock`; whatever fails after
 * is logged. A save still running at the deadline is not cut short: the
 * modal turns to "saving…" (an error there would make the person submit
 * again what is being saved), and the outcome is told when it is known.
 */
export function onSubmission<A extends SubmissionArgs>(
  deps: ListenerDeps,
  errorBlock: string,
  work: (args: A, scope: TeamScope) => Promise<SubmissionResult>,
) {
  return async (args: A): Promise<void> => {
    let t = messagesFor(deps.defaultLocale);
    let scope: TeamScope | undefined;
    const settled = (async () => {
      scope = await teamScope(deps, args.context, requesterOf(args.body));
      t = scope.t;
      return work(args, scope);
    })().then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>(
      (resolve) => (timer = setTimeout(resolve, domain.slack.submissionAnswerMs, 'late')),
    );
    const first = await Promise.race([settled, deadline]);
    clearTimeout(timer);
    if (first === 'late') {
      deps.logger.warn(
        `${describeRequest(args.body)} took over ${domain.slack.submissionAnswerMs} ms; the modal says it is saving`,
      );
      await args.ack({ response_action: 'update', view: renderSavingModal(t, titleOf(args.body)) });
      await tellLateOutcome(deps, args, t, await settled).catch((error: unknown) =>
        logFailure(deps.logger, args.body, error),
      );
    } else if ('error' in first) {
      logFailure(deps.logger, args.body, first.error);
      return args.ack({ response_action: 'errors', errors: { [errorBlock]: failureNotice(t, first.error) } });
    } else {
      await args.ack(first.result.response);
      const { after } = first.result;
      if (after)
        await followUps(deps)(() => after().catch((error: unknown) => logFailure(deps.logger, args.body, error)));
    }
    const teamId = scope?.teamId;
    if (teamId) await followUps(deps)(() => refreshHomesAfter(deps, teamId, args.body));
  };
}

/** Inline errors on a modal's fields. */
export const inlineErrors = (errors: Record<string, string>): SubmissionResult => ({
  response: { response_action: 'errors', errors },
});

interface OptionsArgs extends AllMiddlewareArgs {
  ack: (response: { options: types.PlainTextOption[] }) => Promise<void>;
  body: unknown;
}

/**
 * Options requests (a type-ahead): the options are the answer, and Slack
 * drops one later than 3 s, so a search not done by the deadline answers none
 * (and is logged). A failure also answers none, logged with its context: a
 * type-ahead has nowhere to show a notice.
 */
export function onOptions<A extends OptionsArgs>(
  deps: ListenerDeps,
  work: (args: A, scope: TeamScope) => Promise<types.PlainTextOption[]>,
) {
  return async (args: A): Promise<void> => {
    const search = teamScope(deps, args.context, requesterOf(args.body))
      .then((scope) => work(args, scope))
      .catch((error: unknown) => {
        logFailure(deps.logger, args.body, error);
        return [];
      });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<types.PlainTextOption[]>((resolve) => {
      timer = setTimeout(() => {
        deps.logger.warn(
          `${describeRequest(args.body)} answered no options: the search took over ${domain.lookup.optionsDeadlineMs} ms`,
        );
        resolve([]);
      }, domain.lookup.optionsDeadlineMs);
    });
    const options = await Promise.race([search, deadline]);
    clearTimeout(timer);
    await args.ack({ options });
  };
}
