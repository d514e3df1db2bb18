import type { Models } from '../models/index.js';
import type { NudgeKind } from '../models/nudge.js';
import type { AmbassadorService } from '../services/ambassadors.js';
import type { CadenceService } from '../services/cadence.js';
import type { NudgeService } from '../services/nudges.js';
import type { PoolService } from '../services/pool.js';
import type { ReferralService } from '../services/referrals.js';
import type { WrapUpService } from '../services/wrapUps.js';
import { createAmbassadorKind } from './ambassador.js';
import { createCadenceKind } from './cadence.js';
import { createCheckInKind } from './checkIn.js';
import { createFollowUpKind } from './followUp.js';
import type { NudgeKindSpec, PersonNudgeKindSpec } from './kind.js';
import { createOverdueKind } from './overdue.js';
import { createPoolReleaseKind, createPoolWarningKind } from './pool.js';
import { createReferralKind } from './referral.js';
import { createThanksKind } from './thanks.js';
import { createPromiseKind } from './promise.js';
import { createWrapUpKind } from './wrapUp.js';

export type NudgeKinds = Record<NudgeKind, NudgeKindSpec<any> | PersonNudgeKindSpec<any>>;

/** Every kind the pipeline knows; a new kind adds its file here, never a scheduler of its own. */
export function createNudgeKinds(deps: {
  models: Models;
  nudges: NudgeService;
  referrals: ReferralService;
  ambassadors: AmbassadorService;
  wrapUps: WrapUpService;
  cadence: CadenceService;
  pool: PoolService;
}): NudgeKinds {
  return {
    followUp: createFollowUpKind(deps),
    checkIn: createCheckInKind(deps),
    overdue: createOverdueKind(deps),
    referral: createReferralKind(deps),
    thanks: createThanksKind(deps),
    promise: createPromiseKind(deps),
    ambassador: createAmbassadorKind(deps),
    wrapUp: createWrapUpKind(deps),
    cadence: createCadenceKind(deps),
    poolWarning: createPoolWarningKind(deps),
    poolRelease: createPoolReleaseKind(deps),
  };
}
