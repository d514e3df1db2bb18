/**
 * The app's card services over a connection, wired as src/application.ts
 * wires them (that wiring is not exported), for the benches to drive
 * directly without Slack in between.
 */
import type { Connection } from 'mongoose';
import type { Env } from '../src/config/env.js';
import { createGuardedWrites } from '../src/db/writeIfUnchanged.js';
import { createModels } from '../src/models/index.js';
import { createCustomerService } from '../src/services/customers.js';
import { createHistoryService } from '../src/services/history.js';
import { createTeamSettings } from '../src/services/teamSettings.js';

export function cardServices(connection: Connection, env: Readonly<Env>, now: () => Date) {
  const models = createModels(connection);
  const settings = createTeamSettings(
    models,
    { locale: env.DEFAULT_LOCALE, timezone: env.DEFAULT_TIMEZONE, nudgeHour: env.DEFAULT_NUDGE_HOUR, nudgeChannel: env.NUDGE_CHANNEL_ID },
    now,
  );
  const history = createHistoryService(models);
  const writes = createGuardedWrites(models, now);
  const customers = createCustomerService({ models, now, settings, history, writes });
  return { models, writes, customers };
}

export type CardServices = ReturnType<typeof cardServices>;
