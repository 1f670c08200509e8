import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { WebhookVerification } from './webhook-source.entity.js';
import { sha256Hex } from './normalized-alert.js';
import { parseBearer } from '../../core/bearer.js';

/** A new secret: what the tool is told once, and what Argus keeps to verify it. */
export interface IssuedSecret {
  revealed: { signingSecret: string | null; bearerToken: string | null };
  stored: { signingSecret: string | null; tokenHash: string | null };
}

/**
 * `signature`: a Standard Webhooks secret, `whsec_` + base64 of 32 random bytes, kept as is (verifying an HMAC needs
 * the key). `bearer`: an opaque token, `whtok_` + base64url of 32 random bytes, of which only the SHA-256 is kept.
 */
export function issueSecret(verification: WebhookVerification): IssuedSecret {
  if (verification === WebhookVerification.signature) {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    return {
      revealed: { signingSecret: secret, bearerToken: null },
      stored: { signingSecret: secret, tokenHash: null },
    };
  }
  const token = `whtok_${randomBytes(32).toString('base64url')}`;
  return {
    revealed: { signingSecret: null, bearerToken: token },
    stored: { signingSecret: null, tokenHash: sha256Hex(token) },
  };
}

export type Verdict = { ok: true; webhookId: string | null } | { ok: false; reason: string };

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Standard Webhooks: `webhook-signature` must hold an HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<raw body>`
 * with the source's secret, and the timestamp must be within 5 minutes of now (the library's tolerance).
 */
export function verifySignature(secret: string, body: Buffer, headers: IncomingHttpHeaders): Verdict {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature)
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (id.length > 255) return { ok: false, reason: 'webhook-id longer than 255 characters' };
  try {
    new Webhook(secret).verify(
      body,
      { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
      { jsonParse: false },
    );
    return { ok: true, webhookId: id };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'signature does not verify' };
  }
}

/** `Authorization: Bearer <token>`, compared by SHA-256 in constant time; a `webhook-id`, when sent, still dedupes. */
export function verifyBearer(tokenHash: string, headers: IncomingHttpHeaders): Verdict {
  const bearer = parseBearer(header(headers, 'authorization'));
  if (bearer.kind !== 'token') return { ok: false, reason: 'missing Authorization: Bearer header' };
  const presented = Buffer.from(sha256Hex(bearer.token), 'hex');
  const expected = Buffer.from(tokenHash, 'hex');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
    return { ok: false, reason: 'bearer token does not match' };
  const id = header(headers, 'webhook-id');
  return { ok: true, webhookId: id && id.length <= 255 ? id : null };
}
