import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { NudgeRecord } from '../models/nudge.js';
import type { TeamSettings } from '../services/teamSettings.js';
import type { SlackMessage } from '../views/message.js';

/**
 * What a kind of reminder adds to the one nudge pipeline: where it goes,
 * whether its cause still holds when it is about to be posted, and how it
 * reads. Scheduling, claiming, retrying and answering are the pipeline's.
 */
export interface NudgeKindSpec {
  destination(nudge: NudgeRecord, settings: TeamSettings): string;
  stillHolds(nudge: NudgeRecord): Promise<boolean>;
  /** `nudge.version` is the version its buttons answer (the one it has once recorded as sent). */
  render(t: Messages, customer: CustomerRecord, nudge: NudgeRecord): SlackMessage;
}
