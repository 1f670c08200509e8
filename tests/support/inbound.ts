import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';

export interface InboundResult {
  status: number;
  body: any;
}

/** A fixture payload from tests/fixtures/inbound, parsed. */
export function fixture(name: string): any {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'inbound', `${name}.json`), 'utf8'));
}

async function post(
  baseUrl: string,
  sourceId: string,
  body: string,
  headers: Record<string, string>,
): Promise<InboundResult> {
  const response = await fetch(`${baseUrl}/api/v1/webhook-sources/${sourceId}/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Posts a payload signed by the standardwebhooks package itself, as a Standard Webhooks sender would. */
export async function postSigned(
  baseUrl: string,
  sourceId: string,
  secret: string,
  payload: unknown,
  options: { id?: string; at?: Date; raw?: string; headers?: Record<string, string> } = {},
): Promise<InboundResult> {
  const body = options.raw ?? JSON.stringify(payload);
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const signature = new Webhook(secret).sign(id, at, body);
  return post(baseUrl, sourceId, body, {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
    ...options.headers,
  });
}

/** Posts as Alertmanager or Grafana do with `authorization: { credentials }`: a static bearer token. */
export async function postBearer(
  baseUrl: string,
  sourceId: string,
  token: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<InboundResult> {
  return post(baseUrl, sourceId, JSON.stringify(payload), { authorization: `Bearer ${token}`, ...headers });
}

export async function postUnsigned(
  baseUrl: string,
  sourceId: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<InboundResult> {
  return post(baseUrl, sourceId, JSON.stringify(payload), headers);
}
