import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

// Imports only Node's modules: globalSetup.ts loads it outside Jest's module system.

/**
 * MONGODB_URI as the app reads it: the environment wins over `.env` in the
 * project directory, and blank means unset. Only that one setting is taken from
 * `.env`, so a developer's other settings cannot change what the tests see.
 */
export function configuredMongoUri(projectDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const envFile = join(projectDir, '.env');
  const uri =
    env.MONGODB_URI ?? (existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')).MONGODB_URI : undefined);
  return uri?.trim() || undefined;
}
