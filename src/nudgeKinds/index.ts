import type { NudgeKind } from '../models/nudge.js';
import { checkInKind } from './checkIn.js';
import { followUpKind } from './followUp.js';
import type { NudgeKindSpec } from './kind.js';

/** Every kind the pipeline knows; a new kind adds its file here, never a scheduler of its own. */
export const nudgeKinds: Record<NudgeKind, NudgeKindSpec> = { followUp: followUpKind, checkIn: checkInKind };
