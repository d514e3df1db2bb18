import { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import { isDuplicateKey } from '../db/errors.js';
import type { FieldChange } from '../domain/diff.js';
import type { HistoryAction, HistoryRecord } from '../models/history.js';
import type { MessageSource } from '../models/messageSource.js';
import type { Models } from '../models/index.js';
import type { VisitRecord } from '../models/visit.js';

export interface HistoryEntry {
  teamId: string;
  customerId: Types.ObjectId;
  action: HistoryAction;
  userId: string;
  at: Date;
  changes?: FieldChange[];
  visitId?: Types.ObjectId;
  /** A note's text, and the Slack message it was saved from (action `note`). */
  note?: string;
  source?: MessageSource;
}

export interface CardHistory {
  entries: HistoryRecord[];
  visits: VisitRecord[];
}

/** The stored form of an entry; a fixed `_id` lets the same entry be written twice without doubling. */
export function historyDoc(entry: HistoryEntry, _id: Types.ObjectId = new Types.ObjectId()) {
  // An emptied field has no `to`; kept out rather than stored as null when the doc travels inside an intent.
  const changes = (entry.changes ?? []).map((c) =>
    Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)),
  );
  return { _id, ...entry, changes };
}

export function createHistoryService(models: Models) {
  async function recordHistory(entry: HistoryEntry, _id?: Types.ObjectId): Promise<void> {
    try {
      await models.history.create(historyDoc(entry, _id));
    } catch (error) {
      if (!(_id && isDuplicateKey(error))) throw error;
    }
  }

  async function cardHistory(teamId: string, customerId: Types.ObjectId): Promise<CardHistory> {
    const [entries, visits] = await Promise.all([
      models.history.find({ teamId, customerId }).sort({ at: -1, _id: -1 }).limit(domain.history.changesShown).lean(),
      models.visits
        .find({ teamId, customerId })
        .sort({ date: -1, createdAt: -1 })
        .limit(domain.history.visitsShown)
        .lean(),
    ]);
    return { entries, visits };
  }

  return { recordHistory, cardHistory };
}

export type HistoryService = ReturnType<typeof createHistoryService>;
