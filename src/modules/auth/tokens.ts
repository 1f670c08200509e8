import { KeyObject, createHash, createSecretKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../../config/env.js';
import { AppError } from '../../core/errors.js';

export interface AccessClaims {
  sub: string;
  org: string;
  ver: number;
  /** The session (refresh-token family) the token was issued in; logout and reuse detection revoke it. */
  sid?: string;
}

const ALGORITHM = 'HS256' as const;
/** Verified tokens remembered at most (the oldest is forgotten first). */
const VERIFIED_TOKENS = 10_000;

export class TokenService {
  /** The secret as a key object once: given a string, jsonwebtoken tries it as a public key first on every verify. */
  private readonly key: KeyObject;
  private readonly verified = new Map<string, { claims: AccessClaims; expiresAtMs: number }>();

  constructor(private readonly config: Config['jwt']) {
    this.key = createSecretKey(Buffer.from(config.secret));
  }

  get accessTtlSeconds(): number {
    return this.config.accessTtlSeconds;
  }

  signAccess(claims: AccessClaims): string {
    return jwt.sign(
      { org: claims.org, ver: claims.ver, ...(claims.sid ? { sid: claims.sid } : {}) },
      this.config.secret,
      {
        algorithm: ALGORITHM,
        subject: claims.sub,
        issuer: this.config.issuer,
        audience: this.config.audience,
        expiresIn: this.config.accessTtlSeconds,
      },
    );
  }

  /**
   * The algorithm is pinned, exp is required, and exp, nbf, iss and aud are all checked; any failure is the same 401.
   * A token whose signature and claims were checked is remembered until it expires, so a client's next requests skip
   * the HMAC and the JSON decoding (revocation is the token check's, per request: src/auth/token-check-cache.ts).
   */
  verifyAccess(token: string): AccessClaims {
    const known = this.verified.get(token);
    if (known && Date.now() < known.expiresAtMs) return known.claims;
    return this.checkAccess(token);
  }

  private checkAccess(token: string): AccessClaims {
    try {
      const payload = jwt.verify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.config.issuer,
        audience: this.config.audience,
      });
      // jsonwebtoken accepts a token without `exp`; Argus never issues one, so such a token is forged or foreign.
      if (
        typeof payload !== 'object' ||
        typeof payload.sub !== 'string' ||
        typeof payload.org !== 'string' ||
        typeof payload.exp !== 'number'
      ) {
        throw new Error('malformed claims');
      }
      const claims: AccessClaims = {
        sub: payload.sub,
        org: payload.org,
        ver: typeof payload.ver === 'number' ? payload.ver : -1,
      };
      if (typeof payload.sid === 'string' && /^[0-9a-f-]{36}$/i.test(payload.sid)) claims.sid = payload.sid;
      if (typeof payload.nbf !== 'number' || payload.nbf * 1000 <= Date.now()) {
        if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
        this.verified.set(token, { claims, expiresAtMs: payload.exp * 1000 });
      }
      return claims;
    } catch {
      throw AppError.unauthenticated('Invalid or expired access token');
    }
  }

  newRefreshToken(): { token: string; hash: string; expiresAt: Date } {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    return {
      token,
      hash: hashRefreshToken(token),
      expiresAt: new Date(Date.now() + this.config.refreshTtlDays * 86400_000),
    };
  }
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
