import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm test` without a usable database: Jest's global setup must end the run
 * with one line saying what to do, before any test and without a stack trace.
 * The child run selects only a database-free test file, so it would pass if
 * the setup let it through.
 */
function jest(env: NodeJS.ProcessEnv) {
  const { MONGODB_URI: _, ...inherited } = process.env;
  const result = spawnSync(
    process.execPath,
    ['--experimental-vm-modules', '--no-warnings', resolve('node_modules/jest/bin/jest.js'), '--ci', 'startupMessages'],
    { cwd: resolve('.'), env: { ...inherited, ...env }, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cards-nodb-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('npm test without a database', () => {
  it('names the unreachable MONGODB_URI and what to do, in one line', () => {
    const { status, output } = jest({ MONGODB_URI: 'mongodb://ann:s3cret@127.0.0.1:1/cards' });
    expect(status).not.toBe(0);
    expect(output).toBe(
      'Cannot reach MongoDB at 127.0.0.1:1 from MONGODB_URI (connect ECONNREFUSED 127.0.0.1:1). ' +
        'Start that server, set MONGODB_URI to one that runs, leave MONGODB_URI empty for an embedded MongoDB, ' +
        'or run `source scripts/ferretdb.sh` first.',
    );
  });

  it('warns, before creating any test database, that MONGODB_URI is not this machine', () => {
    const { status, output } = jest({ MONGODB_URI: 'mongodb://ann:s3cret@cards-db.invalid:27017/cards' });
    expect(status).not.toBe(0);
    const [warning, ...rest] = output.split('\n');
    expect(warning).toBe(
      'npm test uses MONGODB_URI at cards-db.invalid:27017, which is not this machine: each test file creates a database ' +
        'named cards_test_<random> there and drops it when done. Point MONGODB_URI at a server meant for tests.',
    );
    expect(rest.join('\n')).toMatch(/^Cannot reach MongoDB at cards-db\.invalid:27017/);
    expect(output).not.toContain('s3cret');
  });

  it('says where it downloads MongoDB, then what to do when that fails', () => {
    // A version no cache holds, from a server that is not there.
    const { status, output } = jest({
      MONGOMS_DOWNLOAD_DIR: dir,
      MONGOMS_DOWNLOAD_URL: 'https://127.0.0.1:1/mongodb-linux-x86_64-ubuntu2204-0.0.1.tgz',
    });
    expect(status).not.toBe(0);
    const lines = output.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `MONGODB_URI is not set: downloading MongoDB 0.0.1 once (about 100 MB) to ${dir} (MONGOMS_DOWNLOAD_DIR changes where)...`,
    );
    expect(lines[1]).toMatch(
      /^MONGODB_URI is not set and mongodb-memory-server could not start MongoDB \(.*127\.0\.0\.1.*\)\. /,
    );
    expect(lines[1]).toMatch(
      /Set MONGODB_URI to a running MongoDB, or run `source scripts\/ferretdb\.sh && npm test`\.$/,
    );
    expect(readdirSync(dir).filter((name) => !name.endsWith('.lock'))).toEqual([]);
  });
});
