import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** AES-256-GCM: 12-byte IV, 16-byte tag, then the ciphertext. The one sealing rule for secrets Argus must read back. */
export function sealWithKey(key: Buffer, plain: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openWithKey(key: Buffer, sealed: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
}

/**
 * Secrets stored encrypted at rest (an identity provider's client secret): sealed under a key derived from
 * ARGUS_ENCRYPTION_KEY (or, without it, from the JWT secret), as `v1.<base64url>`.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(material: string) {
    this.key = Buffer.from(hkdfSync('sha256', material, 'argus', 'argus secrets at rest', 32));
  }

  seal(plain: string): string {
    return `${VERSION}.${sealWithKey(this.key, plain).toString('base64url')}`;
  }

  /** Throws when the value was sealed under another key or altered. */
  open(sealed: string): string {
    const [version, body] = sealed.split('.', 2);
    if (version !== VERSION || !body) throw new Error('unknown sealed secret format');
    return openWithKey(this.key, Buffer.from(body, 'base64url'));
  }
}
