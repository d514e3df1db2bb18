import { isDuplicateKey } from '../db/errors.js';
import type { Models } from '../models/index.js';
import type { AmbassadorService } from './ambassadors.js';
import type { NudgeService } from './nudges.js';
import type { CadenceService } from './cadence.js';
import type { PoolService } from './pool.js';
import type { PromiseService } from './promises.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  settings: TeamSettingsService;
  promises: PromiseService;
  ambassadors: AmbassadorService;
  nudges: NudgeService;
  cadence: CadenceService;
  pool: PoolService;
}

/** Boot steps done once per database, by name. */
const DONE = 'bootSteps';

/**
 * Reminders for what an earlier release stored without them: promises with
 * no nudge, ambassadors with no monthly contact nudge, cards with a tier or a
 * contact but no cadence nudge, contacts not booked in the day-before wrap-up,
 * owned cards with no pool warning. Run at boot, after the migrations; every step
 * is idempotent, so instances booting together, or a boot interrupted
 * half-way, schedule each reminder once.
 */
export async function carryOverReminders({ models, settings, promises, ambassadors, cadence, nudges, pool }: Deps): Promise<void> {
  await promises.adoptUnversioned();
  const done = models.customers.db.db!.collection<{ _id: string }>(DONE);
  const steps: [string, (teamIds: string[]) => Promise<void>][] = [
    ['ambassadorNudges', ambassadors.adoptAll],
    ['cadenceNudges', cadence.adoptAll],
    ['contactWrapUps', nudges.adoptContactWrapUps],
    ['poolWarnings', pool.adoptAll],
  ];
  for (const [step, adopt] of steps) {
    if (await done.findOne({ _id: step })) continue;
    await adopt(await settings.teamIds());
    try {
      await done.insertOne({ _id: step });
    } catch (error) {
      // Another instance, booting at the same time, finished it too.
      if (!isDuplicateKey(error)) throw error;
    }
  }
}
