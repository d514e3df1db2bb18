import { isDuplicateKey } from '../db/errors.js';
import type { Models } from '../models/index.js';

/** Boot steps done once per database, by name. */
const DONE = 'bootSteps';

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
  const done = models.customers.db.db!.collection<{ _id: string }>(DONE);
  for (const { name, everyBoot, run } of steps) {
    if (everyBoot) {
      await run(await teamIds());
      continue;
    }
    const earlier = EARLIER_NAMES[name];
    if (await done.findOne({ _id: { $in: [name, ...(earlier ? [earlier] : [])] } })) continue;
    await run(await teamIds());
    try {
      await done.insertOne({ _id: name });
    } catch (error) {
      // Another instance, booting at the same time, finished it too.
      if (!isDuplicateKey(error)) throw error;
    }
  }
}
