import { ObjectId } from 'mongodb';
import { instantAt } from '../../src/time.js';
import type { Harness } from './harness.js';

/** The suite's database server, with the driver's command monitoring on: what the app asks can be counted. */
export const monitoredUri = (uri: string) => `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`;

interface Sent {
  name: string;
  collection: string;
  /** The command as sent, as JSON: a filter naming every row's id grows with the rows. */
  size: number;
}

export interface Counted {
  sent: Sent[];
  /** Documents the replies brought back. */
  returned: number;
}

/** The commands the app sends while `work` runs (Agenda's own polling left out), and the documents they return. */
export async function counted(h: Harness, work: () => Promise<unknown>): Promise<Counted> {
  const client = h.instances[0]!.app.connection.getClient();
  const sent: Sent[] = [];
  let returned = 0;
  const ours = new Set<number>();
  const started = (e: { requestId: number; commandName: string; command: Record<string, unknown> }) => {
    const collection = String(e.command[e.commandName]);
    if (collection === 'agendaJobs') return;
    ours.add(e.requestId);
    sent.push({ name: e.commandName, collection, size: JSON.stringify(e.command).length });
  };
  const succeeded = (e: {
    requestId: number;
    reply: { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } };
  }) => {
    if (ours.has(e.requestId)) returned += (e.reply.cursor?.firstBatch ?? e.reply.cursor?.nextBatch ?? []).length;
  };
  client.on('commandStarted', started);
  client.on('commandSucceeded', succeeded);
  try {
    await work();
  } finally {
    client.off('commandStarted', started);
    client.off('commandSucceeded', succeeded);
  }
  return { sent, returned };
}

/** The commands sent, by name and collection, sorted: two lists that cost the same give the same. */
export const shape = ({ sent }: Counted) => sent.map((s) => `${s.name} ${s.collection}`).sort();

const at = new Date('2026-11-01T00:00:00Z');
let seq = 0;

/** A card as a save leaves it, owned by `ownerId`, for writing many straight into the database. */
export function cardDoc(teamId: string, ownerId: string, fields: Record<string, unknown> = {}) {
  seq += 1;
  const name = `行${String(seq).padStart(4, '0')}`;
  return {
    _id: new ObjectId(),
    teamId,
    number: `KH-2026-${String(90000 + seq)}`,
    year: 2026,
    name,
    nameKey: name,
    ownerId,
    version: 1,
    createdBy: ownerId,
    updatedBy: ownerId,
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}

/** A pending nudge as scheduling leaves it, due at 09:00 Shanghai time (the suite's nudge hour) on `dueDate`. */
export function nudgeDoc(
  card: { _id: ObjectId; teamId: string; ownerId?: string },
  kind: string,
  dueDate: string,
  fields: Record<string, unknown> = {},
) {
  const ownerId = card.ownerId ?? 'system';
  return {
    _id: new ObjectId(),
    teamId: card.teamId,
    kind,
    customerId: card._id,
    ownerId,
    dueDate,
    status: 'pending',
    version: 1,
    attempts: 0,
    claims: 0,
    nextAttemptAt: instantAt(dueDate, 9, 'Asia/Shanghai'),
    createdBy: ownerId,
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}

/** A customer's logged visit on `date`. */
export const visitDoc = (
  card: { _id: ObjectId; teamId: string },
  date: string,
  fields: Record<string, unknown> = {},
) => ({
  teamId: card.teamId,
  customerId: card._id,
  date,
  kind: 'visit',
  createdBy: 'system',
  createdAt: at,
  updatedAt: at,
  ...fields,
});

/** A customer's ledger with one receivable open since `dueDate`; its id is the receivable's. */
export function ledgerDoc(card: { _id: ObjectId; teamId: string }, dueDate: string) {
  const receivableId = new ObjectId();
  return {
    _id: card._id,
    teamId: card.teamId,
    version: 1,
    receivables: [{ _id: receivableId, saleId: receivableId, dueDate, amountFen: 10_000, settledFen: 0 }],
    outstandingFen: 10_000,
    adjusted: [],
    applied: [],
    createdAt: at,
  };
}
