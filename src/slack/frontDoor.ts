import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultBodyLimit, HTTPModuleFunctions, isValidSlackRequest, type BufferedIncomingMessage } from '@slack/bolt';
import { z } from 'zod';
import { COMMAND } from '../views/ids.js';

/** Slack signs with its clock; Bolt refuses requests older than this, and so do we for newer. */
const MAX_SKEW_SECONDS = 5 * 60;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
type Refusal = { status: number; reason: string } | null;

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** A signed timestamp from further in the future than Bolt allows from the past: a replay waiting to happen. */
function isFromTheFuture(req: IncomingMessage, nowMs = Date.now()): boolean {
  const timestamp = Number(header(req, 'x-slack-request-timestamp'));
  return Number.isFinite(timestamp) && timestamp > nowMs / 1000 + MAX_SKEW_SECONDS;
}

const fromUser = z.object({ user: z.object({ id: z.string() }) });
const named = fromUser.extend({ callback_id: z.string() });
const action = z.object({ action_id: z.string() });
const commandShape = z.object({
  command: z.literal(COMMAND),
  team_id: z.string(),
  user_id: z.string(),
  response_url: z.string(),
});

/**
 * The least each kind of request must carry for Bolt to route it. Bolt throws
 * on less (a `null` payload, a submission without its view: 500, or no answer
 * at all) or leaves it unanswered until Slack has given up (an unknown type
 * or command); such bodies are answered 400 here instead, at once.
 */
const ROUTABLE: Record<string, z.ZodType> = {
  view_submission: fromUser.extend({ view: z.object({ callback_id: z.string() }) }),
  view_closed: fromUser.extend({ view: z.object({ callback_id: z.string() }) }),
  block_actions: fromUser.extend({ actions: z.array(action).min(1) }),
  block_suggestion: fromUser.extend(action.shape),
  shortcut: named,
  message_action: named,
  event_callback: z.object({ event: z.object({ type: z.string() }) }),
  url_verification: z.object({ challenge: z.string() }),
};

function isRoutable(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const { command, type, ssl_check: sslCheck } = body as Record<string, unknown>;
  if (sslCheck !== undefined) return true;
  if (command !== undefined) return commandShape.safeParse(body).success;
  const shape = typeof type === 'string' ? ROUTABLE[type] : undefined;
  return shape !== undefined && shape.safeParse(body).success;
}

function parses(req: BufferedIncomingMessage): boolean {
  try {
    return isRoutable(HTTPModuleFunctions.parseHTTPRequestBody(req));
  } catch {
    return true; // Bolt answers a body that does not parse with 400 itself, after checking the signature.
  }
}

async function refusal(req: IncomingMessage, signingSecret: string): Promise<Refusal> {
  if (isFromTheFuture(req))
    return { status: 401, reason: 'its signature timestamp is more than 5 minutes in the future' };
  const buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, defaultBodyLimit);
  if (parses(buffered)) return null;
  const signed = isValidSlackRequest({
    signingSecret,
    body: buffered.rawBody.toString(),
    headers: {
      'x-slack-signature': header(req, 'x-slack-signature') ?? '',
      'x-slack-request-timestamp': Number(header(req, 'x-slack-request-timestamp')),
    },
  });
  return signed
    ? { status: 400, reason: 'its body is not a Slack request' }
    : { status: 401, reason: 'its signature is invalid' };
}

/** What a request that never reaches Bolt is answered: the routes we serve, and the methods each takes. */
export interface Routes {
  /** Bolt's endpoint for every Slack request: POST only. */
  events: string;
  /** Other paths and the methods they answer (the health check, the OAuth pages). */
  others: Record<string, readonly string[]>;
}

function answer(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, headers);
  res.end();
}

/**
 * Wraps a receiver's request listener. Slack's endpoint takes POST only;
 * requests signed in the future are refused as Bolt refuses stale ones, a
 * body over Bolt's limit is answered 413, and a signed body Bolt cannot route
 * is answered 400 at once (the signature is checked first: unsigned stays 401).
 * Any other path or method is answered 404 or 405 here: Bolt throws for
 * those, and a throw from inside a promise would end the process.
 */
export function guardFrontDoor(
  listener: Listener,
  signingSecret: string,
  routes: Routes,
  log: (message: string) => void,
): Listener {
  const allowed = (path: string) => (path === routes.events ? ['POST'] : routes.others[path]);
  const pass = (req: IncomingMessage, res: ServerResponse) => {
    try {
      listener(req, res);
    } catch (error) {
      log(`answered a request Bolt could not take (${String(req.method)} ${pathOf(req)}): ${(error as Error).message}`);
      answer(res, 500);
    }
  };
  return (req, res) => {
    const path = pathOf(req);
    const methods = allowed(path);
    if (!methods) return answer(res, 404);
    if (!methods.includes(String(req.method).toUpperCase())) return answer(res, 405, { allow: methods.join(', ') });
    if (path !== routes.events) return pass(req, res);
    refusal(req, signingSecret).then(
      (refused) => {
        if (!refused) return pass(req, res);
        log(`refused a request: ${refused.reason}`);
        answer(res, refused.status);
      },
      (error: { statusCode?: number; message?: string }) => {
        // Too large (413) or cut off (400): Bolt could not read the body either, and would never answer.
        const status = error.statusCode === 413 ? 413 : 400;
        log(`refused a request: its body could not be read (${error.message ?? 'unknown'})`);
        answer(res, status, status === 413 ? { connection: 'close' } : {});
      },
    );
  };
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}
