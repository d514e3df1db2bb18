import { onceForDatabase } from '../db/bootSteps.js';
import type { Models } from '../models/index.js';

/** Steps an earlier release recorded under the name of its own service: done once, they are not run again. */
const EARLIER_NAMES: Readonly<Record<string, string>> = {
  ambassador: 'ambassadorNudges',
  cadence: 'cadenceNudges',
  wrapUp: 'contactWrapUps',
  poolWarning: 'poolWarnings',
};

/**
 * Each kind takes up what an earlier release stored without its reminders
 * (promises with no nudge, ambassadors with no monthly contact, cards with
 * no cadence or pool warning, contacts not booked in a wrap-up). Run at boot,
 * after the migrations, each once per database; every step is idempotent, so
 * instances booting together, or a boot interrupted half-way, schedule each
 * reminder once.
 */
export async function carryOverReminders(
  models: Models,
  teamIds: () => Promise<string[]>,
  steps: { name: string; everyBoot: boolean; run(teamIds: string[]): Promise<void> }[],
): Promise<void> {
  const db = models.customers.db.db!;
  for (const { name, everyBoot, run } of steps) {
    const runNow = async () => run(await teamIds());
    if (everyBoot) await runNow();
    else await onceForDatabase(db, [name, ...(EARLIER_NAMES[name] ? [EARLIER_NAMES[name]] : [])], runNow);
  }
}
