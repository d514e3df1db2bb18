import { readFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import { createLogger } from '../src/logger.js';
import { eventually } from './support/eventually.js';
import { createCard } from './support/flows.js';
import { collectionsOf, Harness, OAUTH_ENV, TEAM_A, TEAM_B, visibleText } from './support/harness.js';
import { SIGNING_SECRET, slashCommandBody, type Actor } from './support/slackRequests.js';
import { useHarness } from './support/useHarness.js';
import { cardWithFollowUp } from './support/visits.js';

const h = useHarness({ oauth: true, now: '2026-11-23T10:00:00+08:00', env: { DATA_RETENTION_DAYS: '30' } });

const { installations } = collectionsOf(h);
const tokenOf = (teamId: string) => h.fake.installOf(teamId)!.token;
const posts = () => h.fake.calls.filter((c) => c.method === 'chat.postMessage');

/** The bot scopes manifest.yml declares, read from its `scopes: bot:` list. */
function manifestBotScopes(): string[] {
  const manifest = readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8');
  const list = /\n {4}bot:\n((?: {6}(?:#.*|- .*)\n)+)/.exec(manifest)?.[1] ?? '';
  return [...list.matchAll(/^ {6}- (\S+)/gm)].map((m) => m[1]!);
}

describe('install to any workspace', () => {
  it('installs through /slack/install and the OAuth redirect, and keeps the bot token only encrypted', async () => {
    const start = await h.startInstall();
    expect(start.status).toBe(200);
    expect(start.state).not.toBe('');
    // The install asks for exactly the manifest's bot scopes: one missing would fail only in the workspaces installed
    // this way.
    expect([...start.scopes].sort()).toEqual(manifestBotScopes().sort());
    expect(start.cookie).toMatch(/^slack-app-oauth-state=/);

    const done = await h.finishInstall(h.fake.grantInstall(TEAM_A.teamId, 'U1ADMIN'), start.state, start.cookie);
    expect(done.status).toBe(200);

    const exchange = h.fake.accepted('oauth.v2.access');
    expect(exchange).toHaveLength(1);
    expect(exchange[0]!.args.client_id).toBe('1111.2222');
    const stored = await installations().findOne({ _id: TEAM_A.teamId as never });
    expect(stored).toMatchObject({
      botUserId: `UBOT${TEAM_A.teamId}`,
      botId: `BBOT${TEAM_A.teamId}`,
      installedBy: 'U1ADMIN',
    });
    expect(stored!.scopes).toEqual(expect.arrayContaining(['commands', 'chat:write']));
    const token = tokenOf(TEAM_A.teamId);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token.slice('xoxb-'.length));
    expect(h.logs.join('\n')).not.toContain(token);
  });

  it('serves each workspace with its own token', async () => {
    await h.install(TEAM_B.teamId);
    expect(tokenOf(TEAM_B.teamId)).not.toBe(tokenOf(TEAM_A.teamId));

    for (const actor of [TEAM_A, TEAM_B]) {
      const before = h.fake.mark();
      const card = await createCard(h, actor, { name: `客户${actor.teamId}` });
      expect(visibleText(card.shown.args.blocks)).toContain(`客户${actor.teamId}`);
      const opened = h.fake.calls.slice(before).filter((c) => c.method === 'views.open');
      expect(opened.length).toBeGreaterThan(0);
      expect(opened.every((c) => c.token === tokenOf(actor.teamId))).toBe(true);

      await h.openHome(actor);
      expect(h.fake.calls.filter((c) => c.method === 'views.publish').at(-1)!.token).toBe(tokenOf(actor.teamId));
    }
  });

  it('refuses a request from a workspace that never installed the app', async () => {
    const stranger: Actor = { teamId: 'T9STRANGER', userId: 'U9X' };
    const before = h.fake.mark();
    const res = await h.post(slashCommandBody(stranger, 'help', h.nextResponseUrl()));
    expect(res.status).toBe(200);
    expect(h.fake.calls.slice(before).filter((c) => c.method !== 'response_url')).toEqual([]);
    expect(await h.db.collection('teams').findOne({ _id: stranger.teamId as never })).toBeNull();
  });
});

describe('the log', () => {
  it('never carries a Slack token, whoever writes the line', () => {
    const lines: unknown[][] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void lines.push(parts));
    try {
      createLogger('debug').error('stored xoxb-T1-5-secret for T1', new Error('refused xoxp-9-abc'));
    } finally {
      spy.mockRestore();
    }
    const written = lines
      .flat()
      .map((p) => (p instanceof Error ? `${p.message} ${p.stack}` : String(p)))
      .join(' ');
    expect(written).toContain('stored xoxb-[redacted] for T1');
    expect(written).not.toMatch(/T1-5-secret|9-abc/);
  });

  it('at debug, through a whole install and a command, never carries a secret from the environment or a token', async () => {
    const written: string[] = [];
    const keep = (...parts: unknown[]) =>
      void written.push(parts.map((p) => (p instanceof Error ? `${p.message} ${p.stack}` : String(p))).join(' '));
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((level) =>
      jest.spyOn(console, level).mockImplementation(keep),
    );
    const debug = await Harness.start({ oauth: true, appLogger: true, env: { LOG_LEVEL: 'debug' } });
    try {
      await debug.install('T8DEBUG');
      await debug.command('help', { teamId: 'T8DEBUG', userId: 'U8' });
    } finally {
      await debug.stop();
      spies.forEach((spy) => spy.mockRestore());
    }
    const log = written.join('\n');
    expect(log).toContain('oauth.v2.access');
    for (const secret of [
      OAUTH_ENV.SLACK_CLIENT_SECRET,
      OAUTH_ENV.SLACK_STATE_SECRET,
      OAUTH_ENV.ENCRYPTION_KEY,
      SIGNING_SECRET,
      debug.fake.installOf('T8DEBUG')!.token,
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('the install pages', () => {
  it('/slack/install names the app and speaks the default language, with the Add to Slack link', async () => {
    const res = await fetch(`${h.instances[0]!.url}/slack/install`);
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain('<html lang="zh">');
    expect(page).toContain('客户卡 · Customer Cards');
    expect(page).toContain('添加到 Slack');
    expect(page).toMatch(/href="https:\/\/slack\.com\/oauth\/v2\/authorize\?[^"]*state=/);
  });

  it('after the install says where to go next, in the default language', async () => {
    const start = await h.startInstall();
    const done = await h.finishInstall(h.fake.grantInstall('T6PAGE'), start.state, start.cookie);
    expect(done.status).toBe(200);
    expect(done.body).toContain('客户卡已安装');
    expect(done.body).toContain('/card help');
  });

  it("says an install cancelled on Slack's page was cancelled, not that it failed, and logs no error", async () => {
    const start = await h.startInstall();
    const logged = h.logs.length;
    const res = await fetch(
      `${h.instances[0]!.url}/slack/oauth_redirect?error=access_denied&state=${encodeURIComponent(start.state)}`,
      { headers: { cookie: start.cookie } },
    );
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toContain('安装已取消');
    expect(body).not.toContain('出了错');
    expect(h.logs.slice(logged).filter((l) => l.startsWith('ERROR'))).toEqual([]);
  });
});

describe('OAuth state', () => {
  it('refuses a callback whose state this app never issued, with one warning line and no error logged', async () => {
    const start = await h.startInstall();
    const forged = `${start.state.split('.')[0]}.forged-signature`;
    const logged = h.logs.length;
    const res = await h.finishInstall(h.fake.grantInstall('T3FORGED'), forged, `slack-app-oauth-state=${forged}`);
    expect(res.status).toBe(400);
    expect(res.body).toContain('客户卡 · Customer Cards');
    expect(await installations().findOne({ _id: 'T3FORGED' as never })).toBeNull();
    expect(h.logs.slice(logged)).toEqual([expect.stringMatching(/^WARN install refused: .*slack_oauth_invalid_state/)]);
  });

  it('refuses a state from another browser (no matching cookie)', async () => {
    const start = await h.startInstall();
    const res = await h.finishInstall(h.fake.grantInstall('T3NOCOOKIE'), start.state, '');
    expect(res.status).toBe(400);
    expect(await installations().findOne({ _id: 'T3NOCOOKIE' as never })).toBeNull();
  });

  it('refuses a replayed state: the second callback with the same state and cookie', async () => {
    const start = await h.startInstall();
    expect((await h.finishInstall(h.fake.grantInstall('T4ONCE'), start.state, start.cookie)).status).toBe(200);
    const exchanges = h.fake.accepted('oauth.v2.access').length;

    const replay = await h.finishInstall(h.fake.grantInstall('T4REPLAY'), start.state, start.cookie);
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('这个安装链接已经用过或已过期。请回到安装页面重新开始。');
    expect(h.fake.accepted('oauth.v2.access')).toHaveLength(exchanges);
    expect(await installations().findOne({ _id: 'T4REPLAY' as never })).toBeNull();
  });

  it('is used once when several callbacks bring it at the same moment', async () => {
    const installed: number[] = [];
    for (let trial = 0; trial < 10; trial++) {
      const start = await h.startInstall();
      const teams = Array.from({ length: 5 }, (_, i) => `T6RACE${trial}X${i}`);
      const answers = await Promise.all(
        teams.map((team) => h.finishInstall(h.fake.grantInstall(team), start.state, start.cookie)),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 400)).toHaveLength(4);
      installed.push(await installations().countDocuments({ _id: { $in: teams } as never }));
    }
    expect(installed).toEqual(Array(10).fill(1));
  });

  it('refuses a state older than ten minutes', async () => {
    const start = await h.startInstall();
    h.clock.advanceMs(11 * 60_000);
    const res = await h.finishInstall(h.fake.grantInstall('T5LATE'), start.state, start.cookie);
    expect(res.status).toBe(400);
    expect(await installations().findOne({ _id: 'T5LATE' as never })).toBeNull();
  });
});

describe('uninstall', () => {
  it('app_uninstalled stops that team’s due nudges at once; the other team’s still go', async () => {
    h.clock.set('2026-11-24T10:00:00+08:00');
    await cardWithFollowUp(h, '甲客户', '2026-11-26', '回访', TEAM_A);
    await cardWithFollowUp(h, '乙客户', '2026-11-26', '回访', TEAM_B);

    expect((await h.event(TEAM_A, { type: 'app_uninstalled' })).status).toBe(200);
    await eventually(async () =>
      expect(await installations().findOne({ _id: TEAM_A.teamId as never })).toMatchObject({
        uninstalledAt: expect.any(Date),
      }),
    );

    h.clock.set('2026-11-26T09:00:00+08:00');
    const before = posts().length;
    await h.scanOnEveryInstance();
    const sent = posts().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.token).toBe(tokenOf(TEAM_B.teamId));
    // Installed to any workspace, NUDGE_CHANNEL_ID names no workspace's channel: without its own, a team's nudges go to
    // DMs.
    expect(sent[0]!.args.channel).toBe(TEAM_B.userId);
    expect(visibleText(sent[0]!.args.blocks)).toContain('乙客户');
    expect(await h.db.collection('nudges').countDocuments({ teamId: TEAM_A.teamId, status: 'sent' })).toBe(0);
  });

  it('after DATA_RETENTION_DAYS the uninstalled team’s data is deleted, the other team’s kept', async () => {
    const collections = ['customers', 'visits', 'nudges', 'history'];
    const countsOf = async (teamId: string) =>
      Promise.all(collections.map((name) => h.db.collection(name).countDocuments({ teamId })));
    expect((await countsOf(TEAM_A.teamId)).every((n) => n > 0)).toBe(true);
    const teamB = await countsOf(TEAM_B.teamId);

    h.clock.set('2026-12-24T09:00:00+08:00'); // 29 days after the uninstall: kept
    expect(await h.instances[0]!.app.purgeUninstalled()).toEqual([]);
    expect((await countsOf(TEAM_A.teamId)).every((n) => n > 0)).toBe(true);

    h.clock.set('2026-12-25T10:00:01+08:00'); // 30 days and a moment
    expect(await h.instances[0]!.app.purgeUninstalled()).toEqual([TEAM_A.teamId]);
    expect(await countsOf(TEAM_A.teamId)).toEqual(collections.map(() => 0));
    expect(await h.db.collection('teams').findOne({ _id: TEAM_A.teamId as never })).toBeNull();
    expect(await installations().findOne({ _id: TEAM_A.teamId as never })).toBeNull();
    expect(await countsOf(TEAM_B.teamId)).toEqual(teamB);
  });

  it('tokens_revoked for the bot stops the team; a reinstall before the deadline keeps its data', async () => {
    h.clock.set('2026-12-26T10:00:00+08:00');
    await cardWithFollowUp(h, '丙客户', '2026-12-28', '回访', TEAM_B);
    const revoked = await h.event(TEAM_B, { type: 'tokens_revoked', tokens: { bot: [`UBOT${TEAM_B.teamId}`] } });
    expect(revoked.status).toBe(200);
    await eventually(async () =>
      expect(await installations().findOne({ _id: TEAM_B.teamId as never })).toMatchObject({
        uninstalledAt: expect.any(Date),
      }),
    );

    h.clock.set('2026-12-28T09:00:00+08:00');
    const before = posts().length;
    await h.scanOnEveryInstance();
    expect(posts().slice(before)).toEqual([]);

    await h.install(TEAM_B.teamId);
    await h.scanOnEveryInstance();
    // What waited goes out once reinstalled (乙客户's cadence reminder is due by now too), with the new token.
    const sent = posts().slice(before);
    expect(sent.map((c) => visibleText(c.args.blocks)).join('\n')).toContain('丙客户');
    expect(sent.every((c) => c.token === tokenOf(TEAM_B.teamId))).toBe(true);

    h.clock.set('2027-02-01T09:00:00+08:00');
    expect(await h.instances[0]!.app.purgeUninstalled()).toEqual([]);
    expect(await h.db.collection('customers').countDocuments({ teamId: TEAM_B.teamId })).toBeGreaterThan(0);
  });

  it('a reinstall while another instance deletes the old data is refused until it is done; then it starts afresh', async () => {
    const TEAM_C = { teamId: 'T5LATE', userId: 'U5SELLER' };
    await h.install(TEAM_C.teamId);
    await createCard(h, TEAM_C, { name: '旧客户' });
    expect((await h.event(TEAM_C, { type: 'app_uninstalled' })).status).toBe(200);
    await eventually(async () =>
      expect(await installations().findOne({ _id: TEAM_C.teamId as never })).toMatchObject({
        purgeAfter: expect.any(Date),
      }),
    );

    // 31 days on, another instance has just claimed the purge and is deleting.
    h.clock.set('2027-03-05T09:00:00+08:00');
    await installations().updateOne({ _id: TEAM_C.teamId as never }, { $set: { purgingSince: h.clock.now() } });
    const start = await h.startInstall();
    const refused = await h.finishInstall(h.fake.grantInstall(TEAM_C.teamId, 'U5ADMIN'), start.state, start.cookie);
    expect(refused.status).toBe(503);
    expect(refused.body).toContain('这个工作区卸载后留下的数据正在删除，请过几分钟再安装。');
    expect(await installations().findOne({ _id: TEAM_C.teamId as never })).toMatchObject({
      purgingSince: expect.any(Date),
      uninstalledAt: expect.any(Date),
    });
    // Its claim holds: this instance does not purge alongside it.
    expect(await h.instances[0]!.app.purgeUninstalled()).toEqual([]);

    // The other instance died; once its claim is old, the next run finishes the job, and the install goes through.
    h.clock.set('2027-03-05T10:01:00+08:00');
    expect(await h.instances[0]!.app.purgeUninstalled()).toEqual([TEAM_C.teamId]);
    expect(await h.db.collection('customers').countDocuments({ teamId: TEAM_C.teamId })).toBe(0);
    await h.install(TEAM_C.teamId);
    expect(await installations().findOne({ _id: TEAM_C.teamId as never })).not.toHaveProperty('purgingSince');
  });
});

describe('people named in the environment, installed to any workspace', () => {
  const listed = useHarness(
    {
      oauth: true,
      env: {
        ADMIN_USER_IDS: 'U7LISTED',
        MANAGER_USER_ID: 'U7LISTED',
        FINANCE_USER_ID: 'U7LISTED',
        NUDGE_CHANNEL_ID: 'CT1ONLY',
      },
    },
    { checkPayloads: false },
  );
  const LISTED: Actor = { teamId: 'T2', userId: 'U7LISTED' };

  beforeAll(async () => {
    await listed.install('T1');
    await listed.install('T2');
    listed.fake.setUser('U7LISTED', 'T2', 'member');
  });

  it('grant nothing in any workspace: no admin command, no handover, no export of colleagues’ cards', async () => {
    await createCard(listed, { teamId: 'T2', userId: 'U2OTHERSELLER' }, { name: '别人的客户' });
    expect(visibleText((await listed.command('segments refresh', LISTED)).args.blocks)).toContain(
      '只有管理员可以刷新客户分层',
    );
    expect(visibleText((await listed.command('handover <@U2OTHERSELLER> <@U7LISTED>', LISTED)).args.blocks)).toContain(
      '只有管理员和经理可以交接客户卡',
    );
    const exported = await listed.command('export', LISTED);
    expect(visibleText(exported.args.blocks)).toContain('你不是管理员或经理，只导出你负责的客户卡。');
    await listed.fake.waitFor(
      'response_url',
      (c) => c.responseUrl === exported.responseUrl && visibleText(c.args.blocks).includes('没有符合条件的客户卡'),
    );
    expect(listed.fake.sharedFiles()).toEqual([]);
  });

  it('route nothing to a channel of one workspace, and start-up says they are ignored', async () => {
    const settings = await listed.db.collection('teams').findOne({ _id: 'T2' as never });
    expect(settings?.nudgeChannel).toBeUndefined();
    expect(listed.logs.join('\n')).toContain(
      'NUDGE_CHANNEL_ID, FINANCE_USER_ID, MANAGER_USER_ID, ADMIN_USER_IDS: ignored when installed to any workspace',
    );
  });
});
