import type { Types } from 'mongoose';
import { domain } from '../config/domain.js';
import type { FieldChange } from '../domain/diff.js';
import type { HistoryAction, HistoryRecord } from '../models/history.js';
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
}

export interface CardHistory {
  entries: HistoryRecord[];
  visits: VisitRecord[];
}

export function createHistoryService(models: Models) {
  async function recordHistory(entry: HistoryEntry): Promise<void> {
    await models.history.create({ changes: [], ...entry });
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
