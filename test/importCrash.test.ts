import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { domain } from '../src/config/domain.js';
import { ACTION } from '../src/views/ids.js';
import { eventually } from './support/eventually.js';
import { collectionsOf, findButton, NUDGE_CHANNEL, onPosted, TEAM_A } from './support/harness.js';
import { importFromPreview, previewFile, shownText, waitForSummary } from './support/imports.js';
import { useHarness } from './support/useHarness.js';

/**
 * Issue 21, item 6: an import is idempotent and crash-safe. Every card's id
 * comes from (team, file, sheet, row) and the job writes one step at a time,
 * so the same file twice, an instance killed half-way, or two people
 * importing the same file at once each leave every row's card exactly once.
 */
const NOW = '2026-03-02T10:00:00+08:00';
const h = useHarness({ now: NOW, env: { FOLLOWUP_SCAN_SECONDS: '2' } }, { checkPayloads: false, timeout: 60_000 });
const { customers, history } = collectionsOf(h);
const ADMIN = TEAM_A;
const OTHER_ADMIN = { teamId: 'T1', userId: 'U3BOSS' };

beforeAll(() => {
  h.fake.setUser(ADMIN.userId, 'T1', 'admin', { displayName: 'boss', realName: '管理员' });
  h.fake.setUser(OTHER_ADMIN.userId, 'T1', 'admin', { displayName: 'boss2', realName: '经理' });
});

beforeEach(async () => {
  for (const name of ['customers', 'history', 'imports', 'importRows', 'cardEvents', 'nudges'])
    await h.db.collection(name).deleteMany({});
});

/** A customer book of `rows` customers, each with its own phone. */
function book(rows: number): Buffer {
  const lines = Array.from({ length: rows }, (_, i) => `客户${i + 1},139${String(i + 1).padStart(8, '0')},上海`);
  return Buffer.from(['姓名,手机,地区', ...lines].join('\n'));
}

/** Every row's card is there once: names 客户1 … 客户n, no other, no twin. */
async function everyRowOnce(rows: number): Promise<string[]> {
  const cards = await customers()
    .find({}, { projection: { name: 1, number: 1 } })
    .toArray();
  const names = cards.map((c) => c.name as string);
  expect(new Set(names).size).toBe(names.length);
  expect(names.sort()).toEqual(Array.from({ length: rows }, (_, i) => `客户${i + 1}`).sort());
  expect(await history().countDocuments({ action: 'imported' })).toBe(rows);
  return cards.map((c) => c.number as string).sort();
}

/** An app instance in its own process, with its scheduler, serving Slack at the URL it resolves with. */
async function childInstance(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/importChild.ts'], {
    env: {
      ...process.env,
      DB_NAME: h.dbName,
      SLACK_API_URL: h.fake.apiUrl,
      NUDGE_CHANNEL_ID: NUDGE_CHANNEL,
      NOW: h.clock.now().toISOString(),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the child instance exited (${code}) before it served`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  return { child, url: `http://127.0.0.1:${port}` };
}

describe('an import killed (SIGKILL) half-way', () => {
  it('is finished by the next instance once the dead one’s lock lapses: every row once, numbers without a gap', async () => {
    const rows = 8 * domain.import.chunkRows;
    const preview = await previewFile(h, ADMIN, '大客户表.csv', book(rows));
    const { child, url } = await childInstance();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      // Import pressed on the child instance: its scheduler takes the job at once.
      h.instances.push({ app: h.instances[0]!.app, url });
      const pressed = await h.clickButton(ADMIN, findButton(preview.args.blocks, ACTION.importConfirm), {
        ...onPosted(preview),
        instance: 1,
      });
      expect(pressed.status).toBe(200);
    } finally {
      h.instances.pop();
    }
    const imports = h.db.collection('imports');
    const midway = await eventually(async () => {
      const imp = await imports.findOne({ fileName: '大客户表.csv' });
      expect(imp?.chunksDone).toBeGreaterThanOrEqual(2);
      return imp!;
    }, 60_000);
    child.kill('SIGKILL');
    await exited;
    const atDeath = (await imports.findOne({ _id: midway._id }))!;
    expect(atDeath.state).toBe('running');
    expect(atDeath.chunksDone).toBeLessThan(atDeath.chunks);

    // The dead instance's lock on the job lapses (as it would after domain.import.lockLifetimeMs): this instance
    // takes the job at its next poll and goes on from the last step written.
    const after = h.fake.mark();
    await h.db
      .collection('agendaJobs')
      .updateMany(
        { name: 'imports.run', lockedAt: { $ne: null } },
        { $set: { lockedAt: new Date(Date.now() - domain.import.lockLifetimeMs - 60_000) } },
      );
    const summary = await waitForSummary(h, preview, after, 90_000);
    expect(shownText(summary.args.blocks)).toBe(
      `✅ 大客户表.csv 导入完成：新建 ${rows} 张，更新 0 张，不用改 0 张，无效 0 行。`,
    );
    const numbers = await everyRowOnce(rows);
    expect(numbers).toEqual(Array.from({ length: rows }, (_, i) => `KH-2026-${String(i + 1).padStart(4, '0')}`));
  }, 180_000);
});

describe('the same file imported by two people at once', () => {
  it('makes each card once; the second import finds them made', async () => {
    const rows = 3 * domain.import.chunkRows;
    const bytes = book(rows);
    const [first, second] = [
      await previewFile(h, ADMIN, '同一个文件.csv', bytes),
      await previewFile(h, OTHER_ADMIN, '同一个文件.csv', bytes),
    ];
    expect(shownText(second.args.blocks)).toContain(`新建 ${rows} 张客户卡`);
    const [a, b] = await Promise.all([importFromPreview(h, ADMIN, first), importFromPreview(h, OTHER_ADMIN, second)]);
    // Each card is counted by the import that made it; the other finds it made and skips it.
    const [made, skipped] = [/新建 (\d+) 张/, /不用改 (\d+) 张/].map((count) =>
      [a, b].reduce((sum, s) => sum + Number(count.exec(shownText(s.args.blocks))![1]), 0),
    );
    expect([made, skipped]).toEqual([rows, rows]);
    await everyRowOnce(rows);
  }, 120_000);

  it('imported again afterwards, creates nothing and changes nothing', async () => {
    const bytes = book(50);
    await importFromPreview(h, ADMIN, await previewFile(h, ADMIN, '再来一次.csv', bytes));
    const again = await previewFile(h, ADMIN, '再来一次.csv', bytes);
    expect(shownText(again.args.blocks)).toContain('新建 0 张客户卡，与已有客户卡相同 50 行');
    const summary = await importFromPreview(h, ADMIN, again);
    expect(shownText(summary.args.blocks)).toContain('新建 0 张，更新 0 张，不用改 50 张');
    await everyRowOnce(50);
  });
});
