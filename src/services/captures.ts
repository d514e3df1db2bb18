import { newIdFor } from '../db/requestIds.js';
import type { CustomerRecord } from '../models/customer.js';
import type { MessageSource } from '../models/messageSource.js';
import type { CaptureRecordInput, CaptureTargetInput } from '../validation/captureInput.js';
import type { CustomerService } from './customers.js';
import type { HistoryService } from './history.js';
import type { LinkRefusal } from './referrals.js';
import type { LoggedVisit, VisitService } from './visits.js';

export interface Capture {
  teamId: string;
  /** Who saves it; the message's author is in `source`. */
  userId: string;
  /** A card of the team, or a new card made for the message from the name typed in the picker. */
  target: CaptureTargetInput;
  /**
   * A visit or call (its notes, its needs, or a promise with its due date, each through the visit form, so the
   * nudges a visit sets going follow), or a note in the card's history.
   */
  record: CaptureRecordInput;
  source: MessageSource;
  /** The request that saves it: the same request again saves nothing new. */
  requestKey: string;
}

export type CaptureResult =
  | { status: 'saved'; customer: CustomerRecord; created: boolean; followUpMoved?: LoggedVisit['followUpMoved'] }
  | { status: 'notFound' }
  | { status: 'refused'; refusal: LinkRefusal };

interface Deps {
  now: () => Date;
  customers: CustomerService;
  visits: VisitService;
  history: HistoryService;
}

/** 保存到客户卡: a Slack message kept on a card, with a link back to it, who wrote it and who saved it. */
export function createCaptureService({ now, customers, visits, history }: Deps) {
  /** The card to save to: the one named, or one created for the message (its reminders set going first). */
  async function cardFor(capture: Capture): Promise<CaptureResult> {
    const { teamId, userId, target, requestKey } = capture;
    if ('customerId' in target) {
      const customer = await customers.findCustomer(teamId, target.customerId);
      return customer ? { status: 'saved', customer, created: false } : { status: 'notFound' };
    }
    const created = await customers.createCustomer(teamId, userId, target.newCard, requestKey);
    if (created.status === 'refused') return created;
    // The card's own reactions come before the contact's: they happened in that order.
    await created.react();
    return { status: 'saved', customer: created.customer, created: true };
  }

  async function save(capture: Capture): Promise<CaptureResult> {
    const found = await cardFor(capture);
    if (found.status !== 'saved') return found;
    const { teamId, userId, record, source, requestKey } = capture;
    const customerId = found.customer._id.toString();
    if (record.kind === 'note') {
      await history.recordHistory(
        { teamId, customerId: found.customer._id, action: 'note', userId, at: now(), note: record.text, source },
        newIdFor(requestKey, 'note'),
      );
      return found;
    }
    const logged = await visits.logVisit(teamId, userId, customerId, record.visit, { requestKey, source });
    if (!logged) return { status: 'notFound' };
    return { ...found, ...(logged.followUpMoved ? { followUpMoved: logged.followUpMoved } : {}) };
  }

  return { save };
}

export type CaptureService = ReturnType<typeof createCaptureService>;
