#!/usr/bin/env node
// Builds dist/ with tsc only when the sources changed since the last build, so
// `npm start` starts in about a second instead of compiling for half a minute
// each time. Plain JavaScript: it runs before anything is compiled.
//
//   node scripts/build.mjs           # build if dist/ is missing or older than the sources
//   node scripts/build.mjs --always  # build anyway (npm run build)
//
// "Older" is decided by content, not timestamps (a checkout or a copy changes
// those): a hash of every source file, the tsconfigs and package-lock.json is
// kept in dist/.sources-hash after a successful build.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(projectDir, 'dist', '.sources-hash');
const ENTRY = join(projectDir, 'dist', 'src', 'index.js');
const INPUTS = ['src', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The file at `path`, or every file under it, in a stable order; nothing when it is not there. */
function filesOf(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function sourcesHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => filesOf(join(projectDir, input)))) {
    hash.update(relative(projectDir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const always = process.argv.includes('--always');
const wanted = sourcesHash();
const built = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : '';
if (!always && built === wanted && existsSync(ENTRY)) {
  console.log('dist/ is up to date with src/: starting without a build.');
  process.exit(0);
}

console.log(
  existsSync(ENTRY) && !always
    ? 'src/ changed since the last build: building dist/ with tsc…'
    : 'Building dist/ with tsc…',
);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(projectDir, 'tsconfig.build.json')], {
  cwd: projectDir,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error('The build failed (tsc, above); nothing was started.');
  process.exit(result.status ?? 1);
}
writeFileSync(STAMP, `${wanted}\n`);
