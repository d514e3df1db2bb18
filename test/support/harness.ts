import { randomBytes } from 'node:crypto';
import { LogLevel, type Logger } from '@slack/bolt';
import { MongoClient, type Db } from 'mongodb';
import { createApplication, type Application } from '../../src/application.js';
import { parseEnv } from '../../src/config/env.js';
import { eventually } from './eventually.js';
import { FakeClock } from './fakeClock.js';
import { FakeSlack, type RecordedCall, type StepEnd } from './fakeSlack.js';
import {
  payloadBody,
  postToSlackEndpoint,
  signatureHeaders,
  SIGNING_SECRET,
  slashCommandBody,
  type Actor,
  type SlackResponse,
} from './slackRequests.js';

export const TEAM_A: Actor = { teamId: 'T1', userId: 'U1SELLER' };
export const TEAM_A_COLLEAGUE: Actor = { teamId: 'T1', userId: 'U2COLLEAGUE' };
export const TEAM_B: Actor = { teamId: 'T2', userId: 'U9OTHER' };
export const NUDGE_CHANNEL = 'CNUDGES';
/** The settings that install the app to any workspace through OAuth instead of one SLACK_BOT_TOKEN. */
export const OAUTH_ENV = {
  SLACK_CLIENT_ID: '1111.2222',
  SLACK_CLIENT_SECRET: 'test-client-secret',
  SLACK_STATE_SECRET: 'test-state-secret',
  ENCRYPTION_KEY: '8f1c4e2a9b7d6053a1e2f3c4d5b6a7980112233445566778899aabbccddeeff0',
};

/** What the browser got from /slack/install: the state Slack is sent to authorise, and the cookie it was set with. */
export interface InstallStart {
  status: number;
  state: string;
  cookie: string;
  /** The bot scopes the link to Slack asks for. */
  scopes: string[];
}

export interface Instance {
  app: Application;
  url: string;
}

export interface HarnessOptions {
  instances?: number;
  /** Wall-clock start for the app's clock, ISO with offset. */
  now?: string;
  env?: Record<string, string>;
  /** The database server; defaults to the suite's (MONGODB_URI). */
  mongoUri?: string;
  /** Installed to any workspace through OAuth (OAUTH_ENV) instead of with one bot token. */
  oauth?: boolean;
  /**
   * Log through the app's own logger, to the console, as in production (at env.LOG_LEVEL), instead of keeping lines in
   * `logs`.
   */
  appLogger?: boolean;
}

type StateValue = Record<string, unknown>;

/** The state Slack sends for an input element holding `value`. */
function stateFor(elementType: string, value: unknown): StateValue {
  switch (elementType) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type: elementType, selected_option: value == null ? null : { value } };
    case 'datepicker':
      return { type: elementType, selected_date: value ?? null };
    case 'users_select':
      return { type: elementType, selected_user: value ?? null };
    case 'multi_users_select':
      return { type: elementType, selected_users: value ?? [] };
    case 'multi_static_select':
      return {
        type: elementType,
        selected_options: ((value as string[] | undefined) ?? []).map((v) => ({ value: v })),
      };
    case 'conversations_select':
      return { type: elementType, selected_conversation: value ?? null };
    case 'checkboxes':
      return { type: elementType, selected_options: value ? [{ value: 'yes' }] : [] };
    case 'file_input':
      // The files picked, as Slack gives them: each with its id and name.
      return { type: elementType, files: value ?? [] };
    default:
      return {
        type: elementType,
        value: value == null ? null : typeof value === 'string' ? value : JSON.stringify(value),
      };
  }
}

function initialValue(element: Record<string, any>): unknown {
  if (element.type === 'multi_static_select') return element.initial_options?.map((o: { value: string }) => o.value);
  return (
    element.initial_value ??
    element.initial_option?.value ??
    element.initial_date ??
    element.initial_user ??
    element.initial_users ??
    element.initial_conversation ??
    (element.initial_options?.length ? true : undefined)
  );
}

/** A logger keeping warnings and errors for assertions, quiet unless TEST_LOGS=1. */
function recordingLogger(lines: string[]): Logger {
  const keep =
    (level: string) =>
    (...parts: unknown[]) => {
      const line = `${level} ${parts.map(String).join(' ')}`;
      lines.push(line);
      if (process.env.TEST_LOGS) console.error(line);
    };
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: keep('WARN'),
    error: keep('ERROR'),
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
}

/**
 * Boots real app instances (Bolt over HTTP, Agenda, MongoDB) against a fake
 * Slack, in a database of their own, and drives them as Slack would.
 */
export class Harness {
  private responseSeq = 0;

  private constructor(
    /** What the app logged at warn and above, one line per entry; printed only with TEST_LOGS=1. */
    readonly logs: string[],
    readonly fake: FakeSlack,
    readonly clock: FakeClock,
    readonly instances: Instance[],
    readonly dbName: string,
    private readonly mongoUri: string,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const fake = new FakeSlack();
    await fake.start();
    const clock = new FakeClock(options.now ?? '2026-11-23T10:00:00+08:00');
    fake.useClock(() => clock.now().getTime());
    const dbName = `cards_test_${randomBytes(6).toString('hex')}`;
    const env = parseEnv({
      // A channel id names one workspace's channel: installed to any workspace, each team picks its own in its
      // settings.
      ...(options.oauth ? OAUTH_ENV : { SLACK_BOT_TOKEN: 'xoxb-test-token', NUDGE_CHANNEL_ID: NUDGE_CHANNEL }),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      FOLLOWUP_SCAN_SECONDS: '3600',
      LOG_LEVEL: 'error',
      ...options.env,
    });
    const logs: string[] = [];
    const instances: Instance[] = [];
    const mongoUri = options.mongoUri ?? process.env.MONGODB_URI!;
    for (let i = 0; i < (options.instances ?? 1); i++) {
      const logger = recordingLogger(logs);
      // Posts to one channel a second apart, in the test's time: waiting moves the clock.
      const pacing = { now: () => clock.now().getTime(), sleep: async (ms: number) => clock.advanceMs(ms) };
      const app = await createApplication({
        env,
        mongoUri,
        dbName,
        clock,
        pacing,
        ...(options.appLogger ? {} : { logger }),
      });
      const { port } = await app.start({ port: 0, host: '127.0.0.1' });
      instances.push({ app, url: `http://127.0.0.1:${port}` });
    }
    return new Harness(logs, fake, clock, instances, dbName, mongoUri);
  }

  get db(): Db {
    return this.instances[0]!.app.connection.db as unknown as Db;
  }

  /**
   * Stops every instance before dropping the database: FerretDB 1 deletes a
   * dropped database's SQLite files, and a query still running on them (a
   * scheduler's poll, work after an ack) then dies with SIGBUS, taking the
   * whole server, and every other test file on it, down.
   */
  async stop(): Promise<void> {
    for (const { app } of this.instances) await app.stop();
    await this.fake.stop();
    const client = await MongoClient.connect(this.mongoUri);
    try {
      await client.db(this.dbName).dropDatabase();
    } finally {
      await client.close();
    }
  }

  /** Every instance runs a nudge scan at the same moment, as their schedulers might. */
  scanOnEveryInstance() {
    return Promise.all(this.instances.map((i) => i.app.scanNudges()));
  }

  /**
   * Sets the clock, then scans on every instance `rounds` times (more than once proves a second scan posts nothing
   * again).
   */
  async scanAt(at: string, rounds = 1) {
    this.clock.set(at);
    let reports: Awaited<ReturnType<Harness['scanOnEveryInstance']>> = [];
    for (let round = 0; round < rounds; round++) reports = await this.scanOnEveryInstance();
    return reports;
  }

  nextResponseUrl(): string {
    return this.fake.responseUrl(`r${++this.responseSeq}`);
  }

  async post(body: string, instance = 0): Promise<SlackResponse> {
    return postToSlackEndpoint(this.instances[instance]!.url, body, signatureHeaders(body));
  }

  /** Types `/card <text>` and returns what the app showed through the response_url. */
  async command(text: string, actor: Actor = TEAM_A, instance = 0): Promise<RecordedCall & { responseUrl: string }> {
    const responseUrl = this.nextResponseUrl();
    const res = await this.post(slashCommandBody(actor, text, responseUrl), instance);
    if (res.status !== 200) throw new Error(`slash command answered HTTP ${res.status}: ${res.body}`);
    return { ...(await this.fake.waitForResponse(responseUrl)), responseUrl };
  }

  /** A browser opens /slack/install: the state in the authorise link, and the cookie that goes with it. */
  async startInstall(instance = 0): Promise<InstallStart> {
    const res = await fetch(`${this.instances[instance]!.url}/slack/install`, { redirect: 'manual' });
    const page = await res.text();
    // The link as an HTML page writes it: `&` may be escaped as `&amp;`.
    const state = /[?&](?:amp;)?state=([^&"']+)/.exec(page)?.[1] ?? '';
    const scopes = decodeURIComponent(/[?&](?:amp;)?scope=([^&"']+)/.exec(page)?.[1] ?? '')
      .split(',')
      .filter(Boolean);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return { status: res.status, state: decodeURIComponent(state), cookie, scopes };
  }

  /** Slack sends the browser back to /slack/oauth_redirect with the code and state, and the browser its cookie. */
  async finishInstall(
    code: string,
    state: string,
    cookie: string,
    instance = 0,
  ): Promise<{ status: number; body: string }> {
    const query = new URLSearchParams({ code, state });
    const res = await fetch(`${this.instances[instance]!.url}/slack/oauth_redirect?${query}`, {
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    });
    return { status: res.status, body: await res.text() };
  }

  /** A user of `teamId` installs the app from start to finish; throws unless it succeeded. */
  async install(teamId: string, userId = 'UINSTALLER'): Promise<void> {
    const start = await this.startInstall();
    const done = await this.finishInstall(this.fake.grantInstall(teamId, userId), start.state, start.cookie);
    if (done.status !== 200) throw new Error(`install of ${teamId} answered HTTP ${done.status}: ${done.body}`);
  }

  /** Slack delivers an Events API event (event_callback) for the actor's workspace, signed, over HTTP. */
  async event(actor: Actor, event: Record<string, unknown>, instance = 0): Promise<SlackResponse> {
    const body = JSON.stringify({
      token: 'legacy-verification-token',
      team_id: actor.teamId,
      api_app_id: 'A1',
      event: { user: actor.userId, event_ts: '1700000000.000100', ...event },
      type: 'event_callback',
      event_id: `Ev${++this.responseSeq}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: actor.teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    });
    return postToSlackEndpoint(this.instances[instance]!.url, body, {
      ...signatureHeaders(body),
      'content-type': 'application/json',
    });
  }

  /**
   * Runs a message shortcut (callback `callbackId`) on the message at `channel`/`ts`, as Slack sends it: a signed
   * message_action naming the message, carrying what the client showed of it (`text`, which the app must not trust).
   */
  async messageShortcut(
    actor: Actor,
    callbackId: string,
    message: { channel: string; ts: string; text?: string; user?: string; threadTs?: string; teamId?: string },
  ): Promise<SlackResponse & { triggerId: string; responseUrl: string }> {
    const triggerId = `trigger-${++this.responseSeq}`;
    const responseUrl = this.nextResponseUrl();
    const payload = {
      type: 'message_action',
      token: 'legacy-verification-token',
      action_ts: '1700000000.1',
      team: { id: actor.teamId, domain: 'example' },
      user: { id: actor.userId, name: 'seller', username: 'seller', team_id: actor.teamId },
      channel: { id: message.channel, name: 'sales' },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: callbackId,
      trigger_id: triggerId,
      response_url: responseUrl,
      message_ts: message.ts,
      message: {
        type: 'message',
        ts: message.ts,
        text: message.text ?? '',
        user: message.user ?? actor.userId,
        team: message.teamId ?? actor.teamId,
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      },
    };
    return { ...(await this.post(payloadBody(payload))), triggerId, responseUrl };
  }

  /**
   * A message shortcut that opens a modal at once and then fills it in (views.open, then views.update): the modal as
   * it ends up, with the id Slack gave it, and the shortcut's response_url.
   */
  async openFromMessage(
    actor: Actor,
    callbackId: string,
    message: Parameters<Harness['messageShortcut']>[2],
  ): Promise<{ view: Record<string, any>; responseUrl: string }> {
    const before = this.fake.mark();
    const shortcut = await this.messageShortcut(actor, callbackId, message);
    if (shortcut.status !== 200) throw new Error(`message shortcut answered HTTP ${shortcut.status}`);
    const opened = await this.fake.waitFor('views.open', (c) => c.args.trigger_id === shortcut.triggerId, before);
    const id = (opened.result?.view as { id?: string } | undefined)?.id;
    const updated = await this.fake.waitFor('views.update', (c) => c.args.view_id === id, before);
    return { view: { ...updated.args.view, id }, responseUrl: shortcut.responseUrl };
  }

  /** Runs a global shortcut from the ⚡ menu, as Slack sends it (no channel, no response_url). */
  async globalShortcut(actor: Actor, callbackId: string): Promise<SlackResponse & { triggerId: string }> {
    const triggerId = `trigger-${++this.responseSeq}`;
    const payload = {
      type: 'shortcut',
      token: 'legacy-verification-token',
      action_ts: '1700000000.1',
      team: { id: actor.teamId, domain: 'example' },
      user: { id: actor.userId, username: 'seller', team_id: actor.teamId },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: callbackId,
      trigger_id: triggerId,
    };
    return { ...(await this.post(payloadBody(payload))), triggerId };
  }

  /** A global shortcut that opens a modal: the modal as Slack received it. */
  async openGlobal(actor: Actor, callbackId: string): Promise<Record<string, any>> {
    const shortcut = await this.globalShortcut(actor, callbackId);
    if (shortcut.status !== 200) throw new Error(`shortcut answered HTTP ${shortcut.status}`);
    return (await this.fake.waitFor('views.open', (c) => c.args.trigger_id === shortcut.triggerId)).args.view;
  }

  /**
   * Workflow Builder runs one of the app's steps in `teamId`: a signed function_executed event, with the token Slack
   * issues for that one execution. Resolves with the execution's id and token once the request is answered.
   */
  async executeStep(
    teamId: string,
    callbackId: string,
    inputs: Record<string, unknown>,
    options: { executionId?: string; token?: string; instance?: number } = {},
  ): Promise<SlackResponse & { executionId: string; token: string }> {
    const executionId = options.executionId ?? `Fx${++this.responseSeq}`;
    const token = options.token ?? this.fake.functionToken(teamId);
    const body = JSON.stringify({
      token: 'legacy-verification-token',
      team_id: teamId,
      api_app_id: 'A1',
      event: {
        type: 'function_executed',
        function: {
          id: `Fn${callbackId}`,
          callback_id: callbackId,
          title: callbackId,
          type: 'app',
          input_parameters: [],
          output_parameters: [],
          app_id: 'A1',
          date_created: 1700000000,
          date_updated: 1700000000,
          date_deleted: 0,
        },
        inputs,
        function_execution_id: executionId,
        workflow_execution_id: `Wx${executionId}`,
        event_ts: '1700000000.000100',
        bot_access_token: token,
      },
      type: 'event_callback',
      event_id: `Ev${++this.responseSeq}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    });
    const res = await postToSlackEndpoint(this.instances[options.instance ?? 0]!.url, body, {
      ...signatureHeaders(body),
      'content-type': 'application/json',
    });
    return { ...res, executionId, token };
  }

  /** How a step execution ended, once the app has told Slack (functions.completeSuccess or completeError). */
  async stepEnd(executionId: string): Promise<StepEnd> {
    return eventually(async () => {
      const end = this.fake.stepEnds().find((e) => e.executionId === executionId);
      if (!end) throw new Error(`step ${executionId} never ended`);
      return end;
    });
  }

  /** The user opens the app's Home tab; resolves with the view published for them after `after`. */
  async openHome(actor: Actor = TEAM_A): Promise<Record<string, any>> {
    const after = this.fake.mark();
    const res = await this.event(actor, { type: 'app_home_opened', channel: 'DHOME', tab: 'home' });
    if (res.status !== 200) throw new Error(`app_home_opened answered HTTP ${res.status}: ${res.body}`);
    return (await this.fake.waitFor('views.publish', (c) => c.args.user_id === actor.userId, after)).args.view;
  }

  /**
   * Acts on an element of the user's App Home (a button, or an option picked
   * in a select), as Slack sends it: from a view, with no response_url.
   */
  async homeAction(
    actor: Actor,
    action: { action_id: string; type: string; value?: string; block_id?: string; selected_option?: { value: string } },
  ): Promise<SlackResponse> {
    const payload = {
      type: 'block_actions',
      team: { id: actor.teamId, domain: 'example' },
      user: { id: actor.userId, team_id: actor.teamId, username: 'seller' },
      api_app_id: 'A1',
      trigger_id: `trigger-${++this.responseSeq}`,
      container: { type: 'view', view_id: 'VHOME' },
      view: {
        id: 'VHOME',
        team_id: actor.teamId,
        type: 'home',
        callback_id: '',
        private_metadata: '',
        state: { values: {} },
        hash: 'hash',
      },
      actions: [{ block_id: 'b', action_ts: '1700000000.1', ...action }],
    };
    return this.post(payloadBody(payload));
  }

  /** Clicks a button on a message the app showed. */
  async clickButton(
    actor: Actor,
    button: { action_id: string; value?: string; block_id?: string; text?: unknown },
    where: PressedOn & { instance?: number } = {},
  ): Promise<SlackResponse & { triggerId: string; responseUrl: string }> {
    const triggerId = `trigger-${++this.responseSeq}`;
    const responseUrl = where.responseUrl ?? this.nextResponseUrl();
    const payload = {
      type: 'block_actions',
      team: { id: actor.teamId, domain: 'example' },
      user: { id: actor.userId, team_id: actor.teamId, username: 'seller' },
      api_app_id: 'A1',
      trigger_id: triggerId,
      response_url: responseUrl,
      container: {
        type: 'message',
        channel_id: where.channel ?? 'CSALES',
        message_ts: where.messageTs ?? '1700000000.000001',
        is_ephemeral: !where.messageTs,
      },
      channel: { id: where.channel ?? 'CSALES', name: 'sales' },
      actions: [
        {
          type: 'button',
          block_id: button.block_id ?? 'b',
          action_id: button.action_id,
          text: button.text,
          value: button.value,
          action_ts: '1700000000.1',
        },
      ],
      // Slack sends a posted message's content with a press on it (never an ephemeral one's).
      ...(where.messageTs && where.message
        ? { message: { type: 'message', ts: where.messageTs, text: where.message.text, blocks: where.message.blocks } }
        : {}),
      // And the state of the inputs in the message (a checkbox ticked beside the button).
      ...(where.state ? { state: { values: where.state } } : {}),
    };
    return { ...(await this.post(payloadBody(payload), where.instance)), triggerId, responseUrl };
  }

  /** Clicks a button that opens a modal; returns the modal as Slack received it. */
  async openModal(
    actor: Actor,
    button: { action_id: string; value?: string; block_id?: string },
    where: PressedOn = {},
  ): Promise<{ view: Record<string, any>; responseUrl: string }> {
    const click = await this.clickButton(actor, button, where);
    if (click.status !== 200) throw new Error(`button answered HTTP ${click.status}`);
    const opened = await this.fake.waitFor('views.open', (c) => c.args.trigger_id === click.triggerId);
    return { view: opened.args.view, responseUrl: click.responseUrl };
  }

  /** Submits a modal the app opened, with `changes` typed over its initial values (null clears). */
  async submitView(
    actor: Actor,
    view: Record<string, any>,
    changes: Record<string, unknown> = {},
  ): Promise<SlackResponse> {
    const values: Record<string, Record<string, StateValue>> = {};
    for (const block of view.blocks as Record<string, any>[]) {
      if (block.type !== 'input') continue;
      const value = block.block_id in changes ? changes[block.block_id] : initialValue(block.element);
      values[block.block_id] = { [block.element.action_id]: stateFor(block.element.type, value) };
    }
    const payload = {
      type: 'view_submission',
      team: { id: actor.teamId, domain: 'example' },
      user: { id: actor.userId, team_id: actor.teamId },
      api_app_id: 'A1',
      trigger_id: `trigger-${++this.responseSeq}`,
      view: {
        id: view.id ?? 'V1',
        team_id: actor.teamId,
        type: 'modal',
        callback_id: view.callback_id,
        // Slack sends the whole view back, as it was shown.
        title: view.title,
        blocks: view.blocks,
        private_metadata: view.private_metadata ?? '',
        state: { values },
        hash: 'hash',
      },
    };
    return this.post(payloadBody(payload));
  }
}

/** The app's collections by name, each looked up when called: a test file names them before its harness has started. */
export function collectionsOf(h: Harness) {
  const named = (name: string) => () => h.db.collection(name);
  return {
    customers: named('customers'),
    history: named('history'),
    installations: named('installations'),
    ledgers: named('ledgers'),
    nudges: named('nudges'),
    promises: named('promises'),
    referrals: named('referrals'),
    sales: named('sales'),
  };
}

/**
 * Where a button is pressed: an ephemeral answer (no `messageTs`), or a
 * message posted to `channel` at `messageTs`, whose content (`message`)
 * Slack sends with the press.
 */
export interface PressedOn {
  responseUrl?: string;
  channel?: string;
  messageTs?: string;
  message?: { text?: string; blocks: Record<string, any>[] };
  /** The message's inputs as the presser left them: block id → action id → element state. */
  state?: Record<string, Record<string, unknown>>;
}

/** A press on a message the app posted, as recorded by the fake (chat.postMessage's channel, ts and content). */
export function onPosted(call: RecordedCall): PressedOn {
  return {
    channel: call.args.channel,
    messageTs: String(call.result?.ts),
    message: { text: call.args.text, blocks: call.args.blocks },
  };
}

/** The button with `action_id` in a message or view's blocks. */
export function findButton(
  blocks: Record<string, any>[],
  actionId: string,
): { action_id: string; value?: string; block_id?: string } {
  for (const block of blocks) {
    const elements = block.elements ?? (block.accessory ? [block.accessory] : []);
    const button = elements.find((e: Record<string, any>) => e.action_id === actionId);
    if (button) return { ...button, block_id: block.block_id };
  }
  throw new Error(`no button ${actionId} in ${JSON.stringify(blocks).slice(0, 500)}`);
}

/**
 * All text a person would read in some blocks, for asserting on content:
 * without the zero-width spaces that keep user text's `*` or `_` literal
 * (nobody sees them). Assert on the blocks themselves to see those.
 */
export function visibleText(blocks: Record<string, any>[]): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      if (typeof obj.text === 'string') parts.push(obj.text);
      Object.values(obj).forEach(walk);
    }
  };
  walk(blocks);
  return parts.join('\n').replace(/\u200B/g, '');
}

/** Messages Slack accepted since `mark` whose text names `name` and whose blocks say `says`. */
export function postsAbout(fake: FakeSlack, name: string, says: string, mark = 0): RecordedCall[] {
  return fake.calls
    .slice(mark)
    .filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        !c.error &&
        String(c.args.text).includes(name) &&
        visibleText(c.args.blocks).includes(says),
    );
}

/** Every mrkdwn text of some blocks, as Slack would parse it (zero-width spaces kept), where `<!channel>` would ping. */
export function mrkdwnTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => mrkdwnTexts(n, out));
  else if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    if (obj.type === 'mrkdwn' && typeof obj.text === 'string') out.push(obj.text);
    Object.values(obj).forEach((v) => mrkdwnTexts(v, out));
  }
  return out;
}

/**
 * Types `value` into a type-ahead (the external_select `actionId`) on a modal
 * whose private_metadata is `privateMetadata`, as Slack asks for its options:
 * a signed block_suggestion. The HTTP answer carries the options.
 */
export async function suggest(
  h: Harness,
  actor: Actor,
  actionId: string,
  value: string,
  privateMetadata = '',
  callbackId = 'card_modal',
): Promise<SlackResponse> {
  const payload = {
    type: 'block_suggestion',
    token: 'legacy-verification-token',
    team: { id: actor.teamId, domain: 'example' },
    user: { id: actor.userId, name: 'seller', team_id: actor.teamId },
    api_app_id: 'A1',
    container: { type: 'view', view_id: 'V1' },
    block_id: 'referrer',
    action_id: actionId,
    value,
    view: {
      id: 'V1',
      team_id: actor.teamId,
      type: 'modal',
      callback_id: callbackId,
      private_metadata: privateMetadata,
      state: { values: {} },
      hash: 'hash',
    },
  };
  return h.post(payloadBody(payload));
}
