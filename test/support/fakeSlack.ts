import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateHome, validateMessage, validateModal } from './blockKit.js';

export interface RecordedCall {
  method: string;
  args: Record<string, any>;
  /** Set when the fake refused the call, as Slack would have. */
  error?: string;
  /** For response_url posts: which response_url was used. */
  responseUrl?: string;
  /** What the fake answered an accepted call (a posted message's `ts`). */
  result?: Record<string, unknown>;
  /** The token the call was made with (Authorization header or `token` argument), if any. */
  token?: string;
}

/** A workspace installed through the fake's OAuth: its bot's token and ids. */
export interface FakeInstall {
  teamId: string;
  token: string;
  botUserId: string;
  botId: string;
}

type Failure = { status: 429; retryAfter: number } | { error: string };

/** A file shared through files.getUploadURLExternal → upload → files.completeUploadExternal. */
export interface SharedFile {
  id: string;
  filename: string;
  /** The byte length announced to files.getUploadURLExternal. */
  length: number;
  bytes?: Buffer;
  title?: string;
  channel?: string;
  initialComment?: string;
  /** Order of sharing: files shared together keep the order the message lists them in. */
  sharedSeq?: number;
}

/**
 * A file a user gave the app (a modal's file input, or dropped into its DM),
 * as Slack keeps it: its bytes, the workspace it is in, and the workspace of
 * whoever shared it (another one's, through Slack Connect).
 */
interface HostedFile {
  id: string;
  name: string;
  teamId: string;
  userTeam: string;
  bytes: Buffer;
  deleted: boolean;
}

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'response_url']);

/** A message as the fake keeps it, for conversations.history and conversations.replies. */
interface StoredMessage {
  ts: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  /** Who wrote it, for a message a person posted (postUserMessage). */
  user?: string;
  /** Files on it, as Slack lists them on a message. */
  files?: { id: string; name: string; title?: string; permalink: string }[];
}

/** A message a person posts in a conversation (postUserMessage). */
export interface UserMessage {
  user: string;
  text: string;
  files?: { name: string; title?: string }[];
  /** Posted as a reply in this thread. */
  threadTs?: string;
}

/** A step's end as Slack took it: functions.completeSuccess or functions.completeError. */
export interface StepEnd {
  executionId: string;
  outcome: 'success' | 'error';
  outputs?: Record<string, unknown>;
  error?: string;
  token?: string;
}
const VIEW_METHODS = new Set(['views.open', 'views.update', 'views.push']);

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** An upload's bytes, sent raw or as a multipart form (the SDK's uploadV2 sends its `file` field). */
async function uploadedBytes(req: IncomingMessage, raw: Buffer): Promise<Buffer> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const file = [...form.values()].find((v) => typeof v !== 'string');
  return file && typeof file !== 'string' ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

/** Web API clients send form fields whose nested values are JSON strings. */
function parseArgs(req: IncomingMessage, body: string): Record<string, any> {
  if ((req.headers['content-type'] ?? '').includes('application/json')) return body ? JSON.parse(body) : {};
  const args: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

/**
 * A stand-in for Slack's Web API and response_urls on 127.0.0.1. It records
 * every call, answers in Slack's shapes, and refuses what Slack would refuse:
 * views and messages outside Block Kit's limits, unknown channels, and
 * whatever a test tells it to fail.
 */
export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  private readonly events = new EventEmitter();
  private readonly failures = new Map<string, Failure[]>();
  private readonly unknownChannels = new Set<string>();
  private readonly channelsWithoutBot = new Set<string>();
  /** Private channels the bot cannot read (no groups:history): reading them answers channel_not_found. */
  private readonly privateChannels = new Set<string>();
  /** The workspace each conversation a person posted in belongs to: another workspace's token cannot read it. */
  private readonly channelTeams = new Map<string, string>();
  /** Members of a channel, for conversations.members. */
  private readonly channelMembers = new Map<string, string[]>();
  /** Tokens Slack issued for one workflow step execution (an event's bot_access_token), and their workspace. */
  private readonly functionTokens = new Map<string, string>();
  private readonly users = new Map<
    string,
    {
      id: string;
      team_id: string;
      is_admin: boolean;
      is_owner: boolean;
      is_restricted?: boolean;
      name?: string;
      real_name?: string;
      profile?: Record<string, string>;
    }
  >();
  private readonly holds = new Map<string, { after: number; resolve: (call: RecordedCall) => void }>();
  private server?: Server;
  private messageSeq = 0;
  private readonly files = new Map<string, SharedFile>();
  private readonly hosted = new Map<string, HostedFile>();
  private readonly homeViews = new Map<string, string>();
  /** OAuth codes Slack would hand the browser after consent, and the workspace each installs. */
  private readonly grants = new Map<string, { teamId: string; userId: string }>();
  private readonly installsByToken = new Map<string, FakeInstall>();
  private readonly matchedFailures: {
    method: string;
    match: (args: Record<string, any>) => boolean;
    failure: Failure;
  }[] = [];
  private postLimit?: { now: () => number; lastPost: Map<string, number> };
  /** Per channel: chat.postMessage answers 429 (Retry-After 1) until this instant of the fake's clock. */
  private readonly rateLimitedUntil = new Map<string, number>();
  /** Messages posted, per conversation (a DM under its D… id), oldest first. */
  private readonly history = new Map<string, StoredMessage[]>();
  /** The clock message timestamps are taken from: the test's, once useClock is called. */
  private clock: () => number = () => Date.now();
  private readonly answerHolds: {
    method: string;
    after: number;
    release: Promise<void>;
    held: (call: RecordedCall) => void;
  }[] = [];
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server?.closeAllConnections();
    await closed;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  /** Calls of `method` are answered normally again: failures still queued by failNext are dropped. */
  clearFailures(method: string): void {
    this.failures.delete(method);
  }

  /** The next `times` calls of `method` fail as given. */
  failNext(method: string, failure: Failure, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array<Failure>(times).fill(failure)]);
  }

  /**
   * The call of `method` that follows `after` more of them is never
   * answered, as when the caller dies mid-request; resolves once it has
   * arrived. It is recorded as not accepted.
   */
  holdNext(method: string, after = 0): Promise<RecordedCall> {
    return new Promise((resolve) => this.holds.set(method, { after, resolve }));
  }

  /** The next call of `method` whose arguments match fails as given (once). */
  failMatching(method: string, match: (args: Record<string, any>) => boolean, failure: Failure): void {
    this.matchedFailures.push({ method, match, failure });
  }

  /**
   * From now on chat.postMessage takes one message per second per channel,
   * on `now` (the test's clock), as Slack does: a second one within the
   * second is refused with 429 and Retry-After 1.
   */
  limitPostsPerChannel(now: () => number): void {
    this.postLimit = { now, lastPost: new Map() };
  }

  /** Message timestamps follow this clock (the test's), as Slack's follow real time. */
  useClock(now: () => number): void {
    this.clock = now;
  }

  /**
   * The call of `method` after `after` more is accepted (a message is posted
   * and kept in the history) but its answer waits until `release` resolves,
   * as when the caller loses the database, or dies, right after Slack took
   * it. Resolves `held` with the call once it has been accepted.
   */
  holdAnswer(method: string, release: Promise<void>, after = 0): Promise<RecordedCall> {
    return new Promise((held) => this.answerHolds.push({ method, after, release, held }));
  }

  /** Top-level messages of a conversation (a user id means their DM with the app), oldest first. */
  messagesIn(channel: string): StoredMessage[] {
    return (this.history.get(this.conversationOf(channel)) ?? []).filter((m) => m.thread_ts === undefined);
  }

  /** Replies in a message's thread, oldest first. */
  repliesTo(channel: string, ts: string): StoredMessage[] {
    return (this.history.get(this.conversationOf(channel)) ?? []).filter((m) => m.thread_ts === ts);
  }

  private conversationOf(channel: string): string {
    return /^[UW][A-Z0-9]+$/.test(channel) ? this.dmOf(channel) : channel;
  }

  /**
   * Until `untilMs` on the fake's clock (see useClock), every post to `channel` is answered 429 with Retry-After: 1.
   */
  rateLimitUntil(channel: string, untilMs: number): void {
    this.rateLimitedUntil.set(channel, untilMs);
  }

  /** Posting to this channel answers channel_not_found until it is created. */
  loseChannel(channel: string): void {
    this.unknownChannels.add(channel);
  }

  /** conversations.info answers is_member: false for this channel, as for one the bot was never invited to. */
  botNotIn(channel: string): void {
    this.channelsWithoutBot.add(channel);
  }

  /** A private channel: the bot, without groups:history, cannot read it (channel_not_found, as Slack answers). */
  privateChannel(channel: string): void {
    this.privateChannels.add(channel);
  }

  /** conversations.members answers these for the channel. */
  setMembers(channel: string, users: string[]): void {
    this.channelMembers.set(channel, users);
  }

  /**
   * A person posts a message in a conversation of `teamId`, as Slack keeps it (with their id and files); the
   * message's ts. Another workspace's token cannot read the conversation from then on.
   */
  postUserMessage(teamId: string, channel: string, message: UserMessage): string {
    const ts = `${Math.floor(this.clock() / 1000)}.${String(++this.messageSeq).padStart(6, '0')}`;
    const files = (message.files ?? []).map((f) => {
      const id = `F${++this.messageSeq}`;
      return {
        id,
        name: f.name,
        ...(f.title ? { title: f.title } : {}),
        permalink: `https://example.slack.com/files/${message.user}/${id}/${encodeURIComponent(f.name)}`,
      };
    });
    const stored: StoredMessage = {
      ts,
      text: message.text,
      user: message.user,
      ...(files.length > 0 ? { files } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    };
    const conversation = this.conversationOf(channel);
    this.history.set(conversation, [...(this.history.get(conversation) ?? []), stored]);
    this.channelTeams.set(conversation, teamId);
    return ts;
  }

  /** The message is deleted: reading it finds nothing from then on. */
  deleteMessage(channel: string, ts: string): void {
    const conversation = this.conversationOf(channel);
    this.history.set(
      conversation,
      (this.history.get(conversation) ?? []).filter((m) => m.ts !== ts),
    );
  }

  /** The token Slack gives one execution of a workflow step in `teamId` (its event's bot_access_token). */
  functionToken(teamId: string): string {
    const token = `xwfp-${teamId}-${++this.messageSeq}`;
    this.functionTokens.set(token, teamId);
    return token;
  }

  /** How workflow step executions ended (functions.completeSuccess / completeError), oldest first. */
  stepEnds(): StepEnd[] {
    return this.calls
      .filter((c) => !c.error && (c.method === 'functions.completeSuccess' || c.method === 'functions.completeError'))
      .map((c) => ({
        executionId: String(c.args.function_execution_id),
        outcome: c.method === 'functions.completeSuccess' ? ('success' as const) : ('error' as const),
        ...(c.args.outputs ? { outputs: c.args.outputs } : {}),
        ...(c.args.error ? { error: String(c.args.error) } : {}),
        ...(c.token ? { token: c.token } : {}),
      }));
  }

  /** The workspace a token is of, when it names one (an OAuth install's, a step execution's); the single-workspace token names none. */
  private teamOfToken(token: string | undefined): string | undefined {
    if (!token) return undefined;
    return this.installsByToken.get(token)?.teamId ?? this.functionTokens.get(token);
  }

  restoreChannel(channel: string): void {
    this.unknownChannels.delete(channel);
  }

  /** Calls accepted (not refused) for `method`. */
  accepted(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && !c.error);
  }

  /** Files shared to a channel (files.completeUploadExternal accepted), oldest first. */
  sharedFiles(channel?: string): SharedFile[] {
    return [...this.files.values()]
      .filter((f) => f.channel !== undefined && (channel === undefined || f.channel === channel))
      .sort((a, b) => a.sharedSeq! - b.sharedSeq!);
  }

  /**
   * users.info answers for this user as a member of `teamId`, a workspace
   * admin or owner as given, with the names given (as Slack shows them: the
   * display name, else the full name); unknown users are user_not_found.
   */
  setUser(
    userId: string,
    teamId: string,
    role: 'member' | 'admin' | 'owner' | 'guest' = 'member',
    names: { displayName?: string; realName?: string; email?: string } = {},
  ): void {
    const { displayName = '', realName = '', email } = names;
    const profile = { display_name: displayName, real_name: realName, ...(email ? { email } : {}) };
    this.users.set(userId, {
      id: userId,
      team_id: teamId,
      is_admin: role === 'admin' || role === 'owner',
      is_owner: role === 'owner',
      is_restricted: role === 'guest',
      name: userId.toLowerCase(),
      real_name: realName,
      profile,
    });
  }

  /**
   * A user of `teamId` shares a file with the app: files.info answers for it
   * to that workspace's token only, and its private URL serves the bytes to
   * that token only, as Slack does. `sharedFrom`: the workspace of whoever
   * shared it, when another (Slack Connect). Returns the file's id.
   */
  hostFile(teamId: string, name: string, bytes: Buffer, sharedFrom = teamId): string {
    const id = `F${teamId}${++this.messageSeq}`;
    this.hosted.set(id, { id, name, teamId, userTeam: sharedFrom, bytes, deleted: false });
    return id;
  }

  /** The file is deleted (or its retention expired): Slack knows it no more. */
  deleteFile(id: string): void {
    const file = this.hosted.get(id);
    if (file) file.deleted = true;
  }

  /** The workspace a token is for: the one it names, else the single-workspace T1. */
  private workspaceOfToken(token: string | undefined): string {
    return this.teamOfToken(token) ?? 'T1';
  }

  /** files.info: a file of another workspace, or deleted, is `file_not_found` to this token. */
  private fileInfo(args: Record<string, any>, token: string | undefined): Record<string, unknown> {
    const file = this.hosted.get(String(args.file ?? ''));
    if (!file || file.deleted || file.teamId !== this.workspaceOfToken(token))
      return { ok: false, error: 'file_not_found' };
    const url = `${this.url}/files-pri/${file.teamId}-${file.id}/${encodeURIComponent(file.name)}`;
    const filetype = file.name.split('.').pop() ?? 'text';
    return {
      ok: true,
      file: {
        id: file.id,
        name: file.name,
        title: file.name,
        filetype,
        size: file.bytes.length,
        user_team: file.userTeam,
        url_private: url,
        url_private_download: `${url}?download=1`,
      },
    };
  }

  /**
   * A private file URL, fetched with a token in the Authorization header:
   * the bytes for a token of the file's workspace; anything else is sent to
   * the sign-in page, as Slack does.
   */
  private download(req: IncomingMessage, res: ServerResponse, path: string): void {
    const match = /^\/files-pri\/([^-/]+)-([^/]+)\//.exec(path);
    const file = match ? this.hosted.get(match[2]!) : undefined;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const allowed = file && !file.deleted && token && this.workspaceOfToken(token) === file.teamId;
    this.record({
      method: 'files.download',
      args: { id: match?.[2] },
      token,
      ...(allowed ? {} : { error: 'refused' }),
    });
    if (!allowed) {
      res.writeHead(302, { location: `${this.url}/signin` });
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  /** users.list: the members of the token's workspace, `limit` a page, with a cursor, as Slack pages it. */
  private usersList(args: Record<string, any>, token: string | undefined): Record<string, unknown> {
    const team = this.workspaceOfToken(token);
    const members = [...this.users.values()].filter((u) => u.team_id === team);
    const limit = Math.min(Number(args.limit ?? 100), 1000);
    const start = Number(args.cursor || 0);
    const page = members.slice(start, start + limit);
    const more = start + limit < members.length;
    return { ok: true, members: page, response_metadata: { next_cursor: more ? String(start + limit) : '' } };
  }

  private userInfo(userId: string): Record<string, unknown> {
    const user = this.users.get(userId);
    return user ? { ok: true, user } : { ok: false, error: 'user_not_found' };
  }

  /**
   * A user of `teamId` consents on Slack's authorize page: the code Slack
   * would put on the redirect, which oauth.v2.access exchanges, once, for a
   * new bot token of that workspace.
   */
  grantInstall(teamId: string, userId = 'UINSTALLER'): string {
    const code = `code-${teamId}-${++this.messageSeq}`;
    this.grants.set(code, { teamId, userId });
    return code;
  }

  /** The workspace's current install, once oauth.v2.access has given it a token. */
  installOf(teamId: string): FakeInstall | undefined {
    return [...this.installsByToken.values()].filter((i) => i.teamId === teamId).at(-1);
  }

  private oauthAccess(args: Record<string, any>): Record<string, unknown> {
    const grant = this.grants.get(String(args.code));
    if (!args.client_id || !args.client_secret) return { ok: false, error: 'invalid_client_id' };
    if (!grant) return { ok: false, error: 'invalid_code' };
    this.grants.delete(String(args.code));
    const install = {
      teamId: grant.teamId,
      token: `xoxb-${grant.teamId}-${++this.messageSeq}-secret`,
      botUserId: `UBOT${grant.teamId}`,
      botId: `BBOT${grant.teamId}`,
    };
    this.installsByToken.set(install.token, install);
    return {
      ok: true,
      app_id: 'A1',
      token_type: 'bot',
      access_token: install.token,
      scope:
        'commands,chat:write,im:write,files:write,users:read,users:read.email,files:read,channels:read,channels:history,im:history',
      bot_user_id: install.botUserId,
      team: { id: grant.teamId, name: `Team ${grant.teamId}` },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: grant.userId },
    };
  }

  /** auth.test: a token the fake's OAuth issued answers for its workspace; any other, for the single-workspace T1. */
  private authTest(token: string | undefined): Record<string, unknown> {
    const install = token ? this.installsByToken.get(token) : undefined;
    if (install)
      return {
        ok: true,
        url: `https://${install.teamId.toLowerCase()}.slack.com/`,
        team: install.teamId,
        user: 'cards',
        team_id: install.teamId,
        user_id: install.botUserId,
        bot_id: install.botId,
      };
    return {
      ok: true,
      url: 'https://example.slack.com/',
      team: 'Example',
      user: 'cards',
      team_id: 'T1',
      user_id: 'UBOT',
      bot_id: 'BBOT',
    };
  }

  /** The DM channel conversations.open gives for a user. */
  dmOf(userId: string): string {
    return `D${userId}`;
  }

  /** Calls refused because the payload broke Block Kit's limits: any is a bug in the app. */
  get invalidPayloads(): RecordedCall[] {
    return this.calls.filter((c) => c.error === 'invalid_blocks' || c.error === 'invalid_arguments');
  }

  /** A point in the call log: `waitFor(..., after)` ignores calls made before it. */
  mark(): number {
    return this.calls.length;
  }

  /** What the app showed through one response_url (after `after`), once it arrives. */
  waitForResponse(responseUrl: string, after = 0, timeoutMs?: number): Promise<RecordedCall> {
    return this.waitFor('response_url', (c) => c.responseUrl === responseUrl, after, timeoutMs);
  }

  /** Resolves with the first accepted call matching, waiting for it to arrive if needed. */
  waitFor(
    method: string,
    match: (call: RecordedCall) => boolean = () => true,
    after = 0,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    const found = this.calls.slice(after).find((c) => c.method === method && !c.error && match(c));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('call', listener);
        reject(
          new Error(
            `no ${method} call arrived within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`,
          ),
        );
      }, timeoutMs);
      const listener = (call: RecordedCall) => {
        if (call.method === method && !call.error && match(call)) {
          clearTimeout(timer);
          this.events.off('call', listener);
          resolve(call);
        }
      };
      this.events.on('call', listener);
    });
  }

  /** Slack's file upload service: the bytes must match the length announced, as Slack checks. */
  private async upload(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const file = this.files.get(id);
    const bytes = await uploadedBytes(req, await readBytes(req));
    const refused = !file || file.bytes !== undefined || bytes.length !== file.length;
    this.record({
      method: 'upload',
      args: { id, length: bytes.length },
      ...(refused ? { error: 'upload_refused' } : {}),
    });
    if (!refused) file.bytes = bytes;
    res.writeHead(refused ? 400 : 200, { 'content-type': 'text/plain' });
    res.end(refused ? 'refused' : `OK - ${bytes.length}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '';
    if (path.startsWith('/upload/')) return this.upload(req, res, path.slice('/upload/'.length));
    if (path.startsWith('/files-pri/')) return this.download(req, res, path);
    const body = await readBody(req);
    const method = path.startsWith('/response/') ? 'response_url' : path.replace(/^\/api\//, '').split('?')[0]!;
    const args = parseArgs(req, body);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    const responseUrl = method === 'response_url' ? `${this.url}${path}` : undefined;
    const hold = this.holds.get(method);
    if (hold && hold.after-- === 0) {
      this.holds.delete(method);
      const call = { method, args, token, error: 'held (never answered)' };
      this.record(call);
      return hold.resolve(call);
    }
    const failure =
      this.failures.get(method)?.shift() ?? this.takeMatchedFailure(method, args) ?? this.channelLimited(method, args);
    if (failure && 'status' in failure) {
      this.record({ method, args, token, error: 'ratelimited' });
      res.writeHead(429, { 'retry-after': String(failure.retryAfter), 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    const result = failure ? { ok: false, error: failure.error } : this.answer(method, args, token);
    if (result.ok && method === 'chat.postMessage') this.postLimit?.lastPost.set(args.channel, this.postLimit.now());
    const call = { method, args, responseUrl, token, ...(result.ok ? { result } : { error: String(result.error) }) };
    this.record(call);
    const answerHold = result.ok ? this.answerHolds.find((h) => h.method === method) : undefined;
    if (answerHold && answerHold.after-- === 0) {
      this.answerHolds.splice(this.answerHolds.indexOf(answerHold), 1);
      answerHold.held(call);
      await answerHold.release;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(result));
  }

  private takeMatchedFailure(method: string, args: Record<string, any>): Failure | undefined {
    const i = this.matchedFailures.findIndex((f) => f.method === method && f.match(args));
    return i < 0 ? undefined : this.matchedFailures.splice(i, 1)[0]!.failure;
  }

  private channelLimited(method: string, args: Record<string, any>): Failure | undefined {
    if (method === 'chat.postMessage' && this.clock() < (this.rateLimitedUntil.get(args.channel) ?? 0))
      return { status: 429, retryAfter: 1 };
    if (method !== 'chat.postMessage' || !this.postLimit) return undefined;
    const last = this.postLimit.lastPost.get(args.channel);
    return last !== undefined && this.postLimit.now() - last < 1000 ? { status: 429, retryAfter: 1 } : undefined;
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    this.events.emit('call', call);
  }

  private answer(method: string, args: Record<string, any>, token?: string): Record<string, unknown> {
    const problems = MESSAGE_METHODS.has(method)
      ? validateMessage(args)
      : VIEW_METHODS.has(method)
        ? validateModal(args.view ?? {})
        : method === 'views.publish'
          ? validateHome(args.view ?? {})
          : [];
    if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
    if (method === 'views.publish') return this.publish(args);
    if (method === 'response_url') return { ok: true };
    if (method === 'auth.test') return this.authTest(token);
    if (method === 'oauth.v2.access') return this.oauthAccess(args);
    // Socket Mode's first call; nothing listens at the URL, so only a token check can use this answer.
    if (method === 'apps.connections.open') return { ok: true, url: `${this.url.replace('http', 'ws')}/socket` };
    if (VIEW_METHODS.has(method)) {
      if (method === 'views.open' && !args.trigger_id) return { ok: false, error: 'invalid_arguments' };
      // Each opened view gets its own id, as in Slack; recorded on the call so a test submits it as that view.
      if (method === 'views.open' && args.view) args.view.id = `V${++this.messageSeq}`;
      return { ok: true, view: { id: args.view?.id ?? `V${++this.messageSeq}`, ...args.view } };
    }
    if (method === 'chat.getPermalink') return this.permalink(args);
    if (method.startsWith('chat.')) return this.chat(method, args);
    if (method === 'conversations.history') return this.readHistory(args, undefined, token);
    if (method === 'conversations.replies') return this.readHistory(args, String(args.ts ?? ''), token);
    if (method === 'conversations.members') return this.members(args);
    if (method === 'functions.completeSuccess' || method === 'functions.completeError')
      return args.function_execution_id ? { ok: true } : { ok: false, error: 'invalid_arguments' };
    if (method === 'conversations.open')
      return args.users
        ? { ok: true, channel: { id: this.dmOf(String(args.users)) } }
        : { ok: false, error: 'invalid_arguments' };
    if (method === 'users.info') return this.userInfo(String(args.user));
    if (method === 'users.list') return this.usersList(args, token);
    if (method === 'files.info') return this.fileInfo(args, token);
    if (method === 'conversations.info') {
      const channel = String(args.channel ?? '');
      if (!channel || this.unknownChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
      return {
        ok: true,
        channel: {
          id: channel,
          name: `channel-${channel.toLowerCase()}`,
          is_member: !this.channelsWithoutBot.has(channel),
        },
      };
    }
    if (method === 'files.getUploadURLExternal') return this.uploadUrl(args);
    if (method === 'files.completeUploadExternal') return this.completeUploads(args);
    return { ok: false, error: 'unknown_method' };
  }

  private uploadUrl(args: Record<string, any>): Record<string, unknown> {
    const length = Number(args.length);
    if (!args.filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
    const id = `F${++this.messageSeq}`;
    this.files.set(id, { id, filename: String(args.filename), length });
    return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
  }

  /** Shares uploaded files; a file never uploaded (or already shared) is refused, as Slack does. */
  private completeUploads(args: Record<string, any>): Record<string, unknown> {
    const listed: { id: string; title?: string }[] = Array.isArray(args.files) ? args.files : [];
    const files = listed.map((f) => this.files.get(f.id));
    if (listed.length === 0 || files.some((f) => !f?.bytes || f.channel !== undefined))
      return { ok: false, error: 'file_not_found' };
    if (!args.channel_id || this.unknownChannels.has(args.channel_id)) return { ok: false, error: 'channel_not_found' };
    listed.forEach((f, i) =>
      Object.assign(files[i]!, {
        title: f.title ?? files[i]!.filename,
        channel: args.channel_id,
        initialComment: args.initial_comment,
        sharedSeq: ++this.messageSeq,
      }),
    );
    return { ok: true, files: files.map((f) => ({ id: f!.id, name: f!.filename, title: f!.title })) };
  }

  /** Home tabs: one per user, replaced by each publish, answered with the view as Slack stores it. */
  private publish(args: Record<string, any>): Record<string, unknown> {
    if (!/^[UW][A-Z0-9]+$/.test(String(args.user_id ?? ''))) return { ok: false, error: 'invalid_arguments' };
    const id = this.homeViews.get(args.user_id) ?? `VH${++this.messageSeq}`;
    this.homeViews.set(args.user_id, id);
    return { ok: true, view: { ...args.view, id, type: 'home', hash: `${Date.now()}.${this.messageSeq}` } };
  }

  private chat(method: string, args: Record<string, any>): Record<string, unknown> {
    if (!args.channel) return { ok: false, error: 'channel_not_found' };
    if (this.unknownChannels.has(args.channel)) return { ok: false, error: 'channel_not_found' };
    const ts =
      method === 'chat.update'
        ? args.ts
        : `${Math.floor(this.clock() / 1000)}.${String(++this.messageSeq).padStart(6, '0')}`;
    const stored: StoredMessage = {
      ts,
      text: args.text,
      blocks: args.blocks,
      metadata: args.metadata,
      ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
    };
    const conversation = this.conversationOf(args.channel);
    const kept = this.history.get(conversation) ?? [];
    if (method === 'chat.postMessage') this.history.set(conversation, [...kept, stored]);
    // A message the fake never posted (a test describes a click on one by hand) is updated without being kept.
    const i = method === 'chat.update' ? kept.findIndex((m) => m.ts === ts) : -1;
    if (i >= 0) kept[i] = { ...stored, ...(kept[i]!.thread_ts ? { thread_ts: kept[i]!.thread_ts } : {}) };
    return { ok: true, channel: args.channel, ts, message: { text: args.text, blocks: args.blocks } };
  }

  /** A message's link, as chat.getPermalink gives it (a thread reply's carries its thread). */
  private permalink(args: Record<string, any>): Record<string, unknown> {
    const channel = this.conversationOf(String(args.channel ?? ''));
    const found = (this.history.get(channel) ?? []).find((m) => m.ts === String(args.message_ts ?? ''));
    if (!found) return { ok: false, error: 'message_not_found' };
    const thread = found.thread_ts ? `?thread_ts=${found.thread_ts}&cid=${channel}` : '';
    return {
      ok: true,
      channel,
      permalink: `https://example.slack.com/archives/${channel}/p${found.ts.replace('.', '')}${thread}`,
    };
  }

  private members(args: Record<string, any>): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    if (!channel || this.unknownChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
    return { ok: true, members: this.channelMembers.get(channel) ?? [], response_metadata: { next_cursor: '' } };
  }

  /**
   * conversations.history (newest first, top-level messages after `oldest`,
   * up to `latest`, both ends included with `inclusive`) and
   * conversations.replies (the parent, then its replies, within the same
   * bounds), a page of `limit` at a time, with message metadata only when
   * asked for, as Slack. A channel the bot is not in answers not_in_channel;
   * a private one, or another workspace's, channel_not_found.
   */
  private readHistory(
    args: Record<string, any>,
    threadTs: string | undefined,
    token?: string,
  ): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    if (!channel || this.unknownChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
    const tokenTeam = this.teamOfToken(token);
    const channelTeam = this.channelTeams.get(channel);
    if (this.privateChannels.has(channel) || (tokenTeam && channelTeam && tokenTeam !== channelTeam))
      return { ok: false, error: 'channel_not_found' };
    if (this.channelsWithoutBot.has(channel)) return { ok: false, error: 'not_in_channel' };
    const all = this.history.get(channel) ?? [];
    const oldest = Number(args.oldest ?? 0);
    const latest = args.latest === undefined ? Infinity : Number(args.latest);
    const inclusive = args.inclusive === true || args.inclusive === 'true';
    const within = (m: StoredMessage) =>
      inclusive ? Number(m.ts) >= oldest && Number(m.ts) <= latest : Number(m.ts) > oldest && Number(m.ts) < latest;
    const picked =
      threadTs === undefined
        ? all.filter((m) => m.thread_ts === undefined && within(m)).reverse()
        : all.filter((m) => m.ts === threadTs || (m.thread_ts === threadTs && within(m)));
    const limit = Math.min(Number(args.limit ?? 100), 999);
    const start = Number(args.cursor ?? 0);
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
    const page = picked
      .slice(start, start + limit)
      .map(({ metadata, ...m }) => ({ type: 'message', ...m, ...(withMetadata && metadata ? { metadata } : {}) }));
    const more = start + limit < picked.length;
    return {
      ok: true,
      messages: page,
      has_more: more,
      response_metadata: { next_cursor: more ? String(start + limit) : '' },
    };
  }
}
