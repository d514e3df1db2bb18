import { isDuplicateKey } from '../db/errors.js';
import type { Models } from '../models/index.js';
import type { AmbassadorService } from './ambassadors.js';
import type { NudgeService } from './nudges.js';
import type { PromiseService } from './promises.js';
import type { TeamSettingsService } from './teamSettings.js';

interface Deps {
  models: Models;
  settings: TeamSettingsService;
  promises: PromiseService;
  ambassadors: AmbassadorService;
  nudges: NudgeService;
}

/** Boot steps done once per database, by name. */
const DONE = 'bootSteps';

/**
 * Reminders for what an earlier release stored without them: promises with
 * no nudge, ambassadors with no monthly contact nudge, contacts not booked in
 * the day-before wrap-up. Run at boot, after the migrations; every step is
 * idempotent, so instances booting together, or a boot interrupted half-way,
 * schedule each reminder once.
 */
export async function carryOverReminders({ models, settings, promises, ambassadors, nudges }: Deps): Promise<void> {
  await promises.adoptUnversioned();
  const done = models.customers.db.db!.collection<{ _id: string }>(DONE);
  const once = async (step: string, work: (teamIds: string[]) => Promise<void>) => {
    if (await done.findOne({ _id: step })) return;
    await work(await settings.teamIds());
    try {
      await done.insertOne({ _id: step });
    } catch (error) {
      // Another instance, booting at the same time, finished it too.
      if (!isDuplicateKey(error)) throw error;
    }
  };
  await once('ambassadorNudges', ambassadors.adoptAll);
  await once('contactWrapUps', nudges.adoptContactWrapUps);
}
