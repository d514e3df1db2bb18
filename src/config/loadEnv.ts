import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv as parseDotEnv } from 'node:util';
import { ConfigError, parseEnv, type Env } from './env.js';

/**
 * The nearest folder at or above `start` holding a package.json. From this
 * module that is the project, whether it runs as source (src/config/) or
 * built (dist/src/config/), and wherever the app was started from.
 * @internal Exported for its own tests; the app uses it here.
 */
export function findProjectDir(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json in ${start} or any folder above it`);
  }
}

export interface LoadEnvOptions {
  /** Folder whose `.env` is read; the project's by default. */
  projectDir?: string;
  /** Real environment variables, which win over `.env`. */
  environment?: Record<string, string | undefined>;
}

/**
 * Reads the project's `.env` when present (real environment variables win), then validates.
 * A relative EMBEDDED_MONGO_DIR is the project's too, so the cards are there wherever the app starts.
 */
export function loadEnv({
  projectDir = findProjectDir(dirname(fileURLToPath(import.meta.url))),
  environment = process.env,
}: LoadEnvOptions = {}): Readonly<Env> {
  const envFile = join(projectDir, '.env');
  const found = existsSync(envFile);
  const fromFile = found ? parseDotEnv(readFileSync(envFile, 'utf8')) : {};
  try {
    const env = parseEnv({ ...fromFile, ...environment });
    return Object.freeze({ ...env, EMBEDDED_MONGO_DIR: resolve(projectDir, env.EMBEDDED_MONGO_DIR) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(
      error.problems,
      found ? `read from ${envFile} and the environment` : `no ${envFile}; read from the environment only`,
    );
  }
}
