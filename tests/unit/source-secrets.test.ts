import { Webhook } from 'standardwebhooks';
import { issueSecret, verifyBearer, verifySignature } from '../../src/modules/webhook-sources/source-secrets';
import { WebhookVerification } from '../../src/modules/webhook-sources/webhook-source.entity';

const signed = (secret: string, body: string, at = new Date(), id = 'msg_1') => ({
  'webhook-id': id,
  'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
  'webhook-signature': new Webhook(secret).sign(id, at, body),
});

describe('source secrets', () => {
  it('issues a whsec_ secret of 32 random bytes and keeps it to verify', () => {
    const a = issueSecret(WebhookVerification.signature);
    const b = issueSecret(WebhookVerification.signature);
    expect(a.revealed.signingSecret).toMatch(/^whsec_/);
    expect(Buffer.from(a.revealed.signingSecret!.slice(6), 'base64')).toHaveLength(32);
    expect(a.stored).toEqual({ signingSecret: a.revealed.signingSecret, tokenHash: null });
    expect(a.revealed.signingSecret).not.toBe(b.revealed.signingSecret);
  });

  it('issues a bearer token and keeps only its SHA-256', () => {
    const issued = issueSecret(WebhookVerification.bearer);
    expect(issued.revealed.bearerToken).toMatch(/^whtok_[A-Za-z0-9_-]{43}$/);
    expect(issued.stored.signingSecret).toBeNull();
    expect(issued.stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(issued.stored.tokenHash).not.toContain(issued.revealed.bearerToken!.slice(6));
  });

  it('verifies a Standard Webhooks signature over the exact bytes, within 5 minutes', () => {
    const secret = issueSecret(WebhookVerification.signature).revealed.signingSecret!;
    const body = '{"title":"x"}';
    expect(verifySignature(secret, Buffer.from(body), signed(secret, body))).toEqual({ ok: true, webhookId: 'msg_1' });
    expect(verifySignature(secret, Buffer.from('{"title": "x"}'), signed(secret, body)).ok).toBe(false);
    expect(verifySignature(secret, Buffer.from(body), signed(secret, body, new Date(Date.now() - 301_000))).ok).toBe(
      false,
    );
    const other = issueSecret(WebhookVerification.signature).revealed.signingSecret!;
    expect(verifySignature(secret, Buffer.from(body), signed(other, body)).ok).toBe(false);
    const { 'webhook-id': _dropped, ...noId } = signed(secret, body);
    expect(verifySignature(secret, Buffer.from(body), noId)).toEqual({
      ok: false,
      reason: expect.stringContaining('missing'),
    });
  });

  it('verifies a bearer token by its hash', () => {
    const issued = issueSecret(WebhookVerification.bearer);
    const token = issued.revealed.bearerToken!;
    expect(verifyBearer(issued.stored.tokenHash!, { authorization: `Bearer ${token}` })).toEqual({
      ok: true,
      webhookId: null,
    });
    expect(verifyBearer(issued.stored.tokenHash!, { authorization: `bearer ${token}`, 'webhook-id': 'gr-1' })).toEqual({
      ok: true,
      webhookId: 'gr-1',
    });
    expect(verifyBearer(issued.stored.tokenHash!, { authorization: `Bearer ${token}x` }).ok).toBe(false);
    expect(verifyBearer(issued.stored.tokenHash!, { authorization: `Basic ${token}` }).ok).toBe(false);
    expect(verifyBearer(issued.stored.tokenHash!, {}).ok).toBe(false);
  });
});
