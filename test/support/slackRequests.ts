import { createHmac } from 'node:crypto';
import { request } from 'node:http';

export const SIGNING_SECRET = 'test-signing-secret';

/** Signs a body exactly as Slack does: v0=HMAC-SHA256(secret, "v0:<ts>:<body>"). */
export function signatureHeaders(body: string, secret = SIGNING_SECRET, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) };
}

export interface SlackResponse {
  status: number;
  body: string;
  json(): any;
}

export async function postToSlackEndpoint(
  baseUrl: string,
  body: string,
  headers: Record<string, string> = signatureHeaders(body),
): Promise<SlackResponse> {
  // One connection per request, as Slack's deliveries arrive; nothing lingers after a test.
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}/slack/events`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, json: () => JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface Actor {
  teamId: string;
  userId: string;
}

export function slashCommandBody(actor: Actor, text: string, responseUrl: string, channelId = 'CSALES'): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: actor.teamId,
    team_domain: 'example',
    channel_id: channelId,
    channel_name: 'sales',
    user_id: actor.userId,
    user_name: 'seller',
    command: '/card',
    text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
  }).toString();
}

export function payloadBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
