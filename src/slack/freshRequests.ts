import type { IncomingMessage, ServerResponse } from 'node:http';

/** Slack signs with its clock; Bolt refuses requests older than this, and so do we for newer. */
const MAX_SKEW_SECONDS = 5 * 60;

/** A signed timestamp from further in the future than Bolt allows from the past: a replay waiting to happen. */
export function isFromTheFuture(req: IncomingMessage, nowMs = Date.now()): boolean {
  const raw = req.headers['x-slack-request-timestamp'];
  const timestamp = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(timestamp) && timestamp > nowMs / 1000 + MAX_SKEW_SECONDS;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Wraps a receiver's request listener so that requests signed in the future
 * are refused as Bolt refuses stale ones (401, nothing processed). Bolt
 * checks only the past side of the 5-minute window.
 */
export function refuseFutureRequests(listener: Listener, log: (message: string) => void): Listener {
  return (req, res) => {
    if (!isFromTheFuture(req)) return listener(req, res);
    log('refused a request whose signature timestamp is more than 5 minutes in the future');
    res.writeHead(401);
    res.end();
  };
}
