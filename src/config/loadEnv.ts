import { existsSync } from 'node:fs';
import { parseEnv, type Env } from './env.js';

/** Reads `.env` when present (real environment variables win), then validates. */
export function loadEnv(envFile = '.env'): Readonly<Env> {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseEnv(process.env);
}
