import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm start` builds once: its prestart (scripts/build.mjs) compiles with tsc
 * only when dist/ is missing or the sources changed since the last build, so
 * a start with nothing changed begins at once. Tried on a small project of
 * the same shape, with the real script and the real tsc.
 */
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cards-build-'));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'src'));
  copyFileSync(resolve('scripts/build.mjs'), join(dir, 'scripts/build.mjs'));
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        outDir: 'dist',
        rootDir: '.',
        strict: true,
        types: [],
        skipLibCheck: true,
      },
    }),
  );
  writeFileSync(join(dir, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src'] }));
  writeFileSync(join(dir, 'package-lock.json'), '{}');
  writeFileSync(join(dir, 'src/index.ts'), 'export const version: number = 1;\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function prestart(...args: string[]) {
  const result = spawnSync(process.execPath, [join(dir, 'scripts/build.mjs'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('npm start’s build', () => {
  it('builds when there is no dist/, then starts without building while nothing changed', () => {
    const first = prestart();
    expect(first.status).toBe(0);
    expect(first.output).toContain('Building dist/ with tsc');
    expect(existsSync(join(dir, 'dist/src/index.js'))).toBe(true);

    const second = prestart();
    expect(second).toEqual({ status: 0, output: 'dist/ is up to date with src/: starting without a build.\n' });
  });

  it('builds again once a source changes, and says so; a build that fails starts nothing', () => {
    writeFileSync(join(dir, 'src/index.ts'), 'export const version: number = 2;\n');
    const changed = prestart();
    expect(changed.status).toBe(0);
    expect(changed.output).toContain('src/ changed since the last build');
    expect(prestart().output).toContain('up to date');

    writeFileSync(join(dir, 'src/index.ts'), 'export const version: number = "three";\n');
    const broken = prestart();
    expect(broken.status).not.toBe(0);
    expect(broken.output).toContain('The build failed');
    expect(prestart().status).not.toBe(0);
  });

  it('builds anyway when asked (npm run build)', () => {
    writeFileSync(join(dir, 'src/index.ts'), 'export const version: number = 4;\n');
    expect(prestart().status).toBe(0);
    expect(prestart('--always').output).toContain('Building dist/ with tsc');
  });
});
