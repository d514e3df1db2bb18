import type { Messages } from '../i18n/index.js';
import type { CustomerRecord } from '../models/customer.js';
import type { CustomerNudgeRecord, NudgeRecord } from '../models/nudge.js';
import type { TeamSettings } from '../services/teamSettings.js';
import type { CalendarDate } from '../time.js';
import type { SlackMessage } from '../views/message.js';

/** When and for whom a nudge is being posted. */
export interface PostingScope {
  settings: TeamSettings;
  today: CalendarDate;
}

/**
 * What a kind of reminder adds to the one nudge pipeline: what it needs to
 * know as it is about to be posted (and whether its cause still holds),
 * where it goes, how it reads, and what follows it. Scheduling, claiming,
 * retrying and answering are the pipeline's.
 */
export interface NudgeKindSpec<Context = unknown> {
  /** About one customer, whom the pipeline loads for `render` (the default). */
  about?: 'customer';
  /** Asked once its cause holds: a later day to post it on instead (another contact nudge of the customer goes out today), or null. */
  deferTo?(nudge: NudgeRecord, scope: PostingScope): Promise<CalendarDate | null>;
  /** Null when its cause no longer holds (an invoice paid meanwhile): the nudge is cancelled, not posted. */
  load(nudge: CustomerNudgeRecord, scope: PostingScope): Promise<Context | null>;
  destination(nudge: CustomerNudgeRecord, scope: PostingScope, context: Context): string;
  /** `nudge.version` is the version its buttons answer (the one it has once recorded as sent). */
  render(t: Messages, customer: CustomerRecord, nudge: CustomerNudgeRecord, context: Context): SlackMessage;
  /** Once posted: schedules what follows it, if anything. */
  afterPosted?(nudge: CustomerNudgeRecord, scope: PostingScope, context: Context): Promise<void>;
}

/** A kind about a person's day (PERSON_NUDGE_KINDS): no customer; `load` gathers everything it shows. */
export interface PersonNudgeKindSpec<Context = unknown> {
  about: 'person';
  /** Null when there is nothing to say: the nudge is cancelled, not posted. */
  load(nudge: NudgeRecord, scope: PostingScope): Promise<Context | null>;
  destination(nudge: NudgeRecord, scope: PostingScope, context: Context): string;
  render(t: Messages, nudge: NudgeRecord, context: Context): SlackMessage;
}
