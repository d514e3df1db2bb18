import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/**
 * scripts/ferretdb.sh when it cannot build FerretDB, in every way it is run.
 * PATH holds only the tools it needs; `cp` is a fake that refuses and leaves a
 * mark, so a script that tried to copy an unchecked directory can copy nothing.
 */
const script = resolve('scripts/ferretdb.sh');
const noGo =
  'ferretdb.sh: needs Go (https://go.dev/dl) to build FerretDB once; install it, or set MONGODB_URI to a running MongoDB instead\n';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ferretdb-script-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function onPath(tool: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  }
  throw new Error(`${tool} is not on PATH`);
}

function executable(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

interface Sandbox {
  bin: string;
  tmp: string;
  cache: string;
  copied: string;
}

function sandbox(): Sandbox {
  const box = {
    bin: join(root, 'bin'),
    tmp: join(root, 'tmp'),
    cache: join(root, 'cache'),
    copied: join(root, 'cp-was-called'),
  };
  for (const dir of [box.bin, box.tmp, box.cache]) mkdirSync(dir);
  for (const tool of ['bash', 'sed', 'grep', 'mktemp', 'chmod', 'mkdir', 'mv', 'rm', 'seq', 'sleep', 'cat']) {
    symlinkSync(onPath(tool), join(box.bin, tool));
  }
  symlinkSync(process.execPath, join(box.bin, 'node'));
  executable(join(box.bin, 'cp'), `echo "$@" >> '${box.copied}'\nexit 1`);
  return box;
}

/** A `go` whose `go mod download -json` prints `json`. */
function fakeGo(box: Sandbox, json: string): void {
  executable(join(box.bin, 'go'), `cat <<'EOF'\n${json}\nEOF`);
}

function run(box: Sandbox, command: string) {
  const env: NodeJS.ProcessEnv = { PATH: box.bin, TMPDIR: box.tmp, FERRETDB_CACHE: box.cache, HOME: root };
  const result = spawnSync(join(box.bin, 'bash'), ['-c', command, 'bash'], {
    cwd: resolve('.'),
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectNothingCopied(box: Sandbox): void {
  expect(existsSync(box.copied)).toBe(false);
  expect(readdirSync(box.tmp)).toEqual([]);
  expect(readdirSync(box.cache)).toEqual([]);
}

const options = 'set -o | grep -E "^(errexit|nounset|pipefail)\\s"';

describe('scripts/ferretdb.sh without a way to build FerretDB', () => {
  it('stops the command after `&&` and says it needs Go', () => {
    const box = sandbox();
    const result = run(box, `source '${script}' && echo SHOULD-NOT-RUN`);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toBe(noGo);
    expect(result.stdout).not.toContain('SHOULD-NOT-RUN');
    expect(result.stdout).not.toContain('FerretDB v');
    expectNothingCopied(box);
  });

  it('returns non-zero to a plain shell and leaves its options, EXIT trap and MONGODB_URI alone', () => {
    const box = sandbox();
    const result = run(
      box,
      `trap 'echo mine' EXIT; set +e; source '${script}'; echo "status=$?"; echo "uri=\${MONGODB_URI-unset}"; ${options}; trap -p EXIT`,
    );
    expect(result.stderr).toBe(noGo);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => line.replace(/\s+/g, ' ')),
    ).toEqual([
      'status=1',
      'uri=unset',
      'errexit off',
      'nounset off',
      'pipefail off',
      "trap -- 'echo mine' EXIT",
      'mine',
    ]);
    expectNothingCopied(box);
  });

  it('keeps a strict caller strict, as .ci/run is, and stops it', () => {
    const box = sandbox();
    const result = run(
      box,
      `set -euo pipefail; trap 'echo mine' EXIT; source '${script}' || { echo "status=$?"; ${options}; trap -p EXIT; exit 3; }; echo SHOULD-NOT-RUN`,
    );
    expect(result.status).toBe(3);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => line.replace(/\s+/g, ' ')),
    ).toEqual(['status=1', 'errexit on', 'nounset on', 'pipefail on', "trap -- 'echo mine' EXIT", 'mine']);
    expectNothingCopied(box);
  });

  it('exits non-zero when run rather than sourced, without running the command', () => {
    const box = sandbox();
    const result = run(box, `'${script}' echo SHOULD-NOT-RUN`);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(noGo);
    expect(result.stdout).not.toContain('SHOULD-NOT-RUN');
    expectNothingCopied(box);
  });

  it.each([
    ['prints nothing', ''],
    ['prints garbage', 'go: module lookup disabled by GOPROXY=off'],
    ['names no directory', '{\n\t"Path": "github.com/FerretDB/FerretDB",\n\t"Dir": ""\n}'],
    ['names the root directory', '{\n\t"Dir": "/",\n\t"GoMod": "/go.mod"\n}'],
    ['names a relative directory', '{\n\t"Dir": ".",\n}'],
  ])('copies nothing when `go mod download` %s', (_, json) => {
    const box = sandbox();
    fakeGo(box, json);
    const result = run(box, `source '${script}' && echo SHOULD-NOT-RUN`);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split('\n').pop()).toMatch(
      /^ferretdb\.sh: 'go mod download' named .*(no usable FerretDB directory|holds no FerretDB module)/,
    );
    expect(result.stdout).not.toContain('SHOULD-NOT-RUN');
    expectNothingCopied(box);
  });

  it('copies nothing when `go mod download` fails', () => {
    const box = sandbox();
    executable(join(box.bin, 'go'), 'echo \'{"Error": "proxy refused"}\'\nexit 1');
    const result = run(box, `source '${script}' && echo SHOULD-NOT-RUN`);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toContain("ferretdb.sh: could not download FerretDB v1.24.2 with 'go mod download'");
    expectNothingCopied(box);
  });

  it('removes its copy of the source when `go build` fails', () => {
    const box = sandbox();
    const module = join(root, 'module');
    mkdirSync(join(module, 'build', 'version'), { recursive: true });
    writeFileSync(join(module, 'go.mod'), 'module github.com/FerretDB/FerretDB\n\ngo 1.21\n');
    rmSync(join(box.bin, 'cp'));
    symlinkSync(onPath('cp'), join(box.bin, 'cp'));
    executable(join(box.bin, 'go'), `[ "$1" = build ] && exit 2\necho '{\n\t"Dir": "${module}",\n}'`);
    const result = run(box, `source '${script}' && echo SHOULD-NOT-RUN`);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toContain("ferretdb.sh: 'go build' of FerretDB v1.24.2 failed");
    expect(result.stdout).not.toContain('SHOULD-NOT-RUN');
    expect(readdirSync(box.tmp)).toEqual([]);
    expect(readdirSync(box.cache)).toEqual([]);
  });

  it('stops, cleans up and restores the EXIT trap when FerretDB does not start', () => {
    const box = sandbox();
    executable(join(box.cache, 'ferretdb-v1.24.2'), 'echo "listen: address already in use"\nexit 1');
    const result = run(
      box,
      `trap 'echo mine' EXIT; source '${script}'; echo "status=$?"; echo "uri=\${MONGODB_URI-unset}"; trap -p EXIT`,
    );
    expect(result.stderr).toContain('listen: address already in use');
    expect(result.stderr.trim().split('\n').pop()).toMatch(
      /^ferretdb\.sh: FerretDB did not start listening on 127\.0\.0\.1:\d+ \(its log is above\)$/,
    );
    expect(result.stdout.trim().split('\n')).toEqual(['status=1', 'uri=unset', "trap -- 'echo mine' EXIT", 'mine']);
    expect(readdirSync(box.tmp)).toEqual([]);
  });
});
