import { createHash } from 'node:crypto';
import { Types } from 'mongoose';

/**
 * The id a record created by one request gets: the same request (a replayed
 * delivery, a double-clicked Save) always names the same record, so its
 * insert collides on `_id` instead of creating a second one.
 */
export function idFor(key: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(key).digest().subarray(0, 12));
}

/** A new id, or the one derived from the request when there is one. */
export function newIdFor(requestKey: string | undefined, purpose: string): Types.ObjectId {
  return requestKey ? idFor(`${requestKey}:${purpose}`) : new Types.ObjectId();
}
