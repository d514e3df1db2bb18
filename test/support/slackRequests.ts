import { createHmac } from 'node:crypto';

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
  const res = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text, json: () => JSON.parse(text) };
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
