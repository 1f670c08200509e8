import { createHash, randomBytes } from 'node:crypto';

/**
 * otplib's default plugins are ESM-only packages; a dynamic import loads them on every Node 20 release (a require()
 * would need Node 20.19+).
 */
interface Otplib {
  generateSecret(options: { length: number }): string;
  generateURI(options: { issuer: string; label: string; secret: string }): string;
  verify(options: {
    secret: string;
    token: string;
    epoch: number;
    epochTolerance: number;
    afterTimeStep?: number;
  }): Promise<{ valid: boolean; timeStep?: number }>;
}
let loaded: Promise<Otplib> | undefined;
const otplib = (): Promise<Otplib> => (loaded ??= import('otplib'));

/** RFC 6238 with the parameters every authenticator app uses: SHA-1, 6 digits, 30-second steps, 160-bit secrets. */
export const TOTP_PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Argus';
const RECOVERY_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford's base32: 32 symbols, no bias

export async function newTotpSecret(): Promise<string> {
  return (await otplib()).generateSecret({ length: 20 });
}

/** The otpauth:// URI an authenticator app reads from a QR code. */
export async function totpUri(secret: string, account: string): Promise<string> {
  return (await otplib()).generateURI({ issuer: ISSUER, label: account, secret });
}

/**
 * Checks a code at `now`, one 30-second step either side (clock drift), and only steps after `afterTimeStep` (the last
 * one accepted), so a code that was used once is never accepted again. Returns the matched step.
 */
export async function verifyTotp(
  secret: string,
  code: string,
  now: Date,
  afterTimeStep?: number | null,
): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = await (
    await otplib()
  ).verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS,
    ...(afterTimeStep !== null && afterTimeStep !== undefined ? { afterTimeStep } : {}),
  });
  return result.valid ? result.timeStep : undefined;
}

/** Ten one-time recovery codes such as `k7rm-2xqa-9fvd` (60 random bits each), shown once. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

/** Recovery codes are random, so a plain SHA-256 of the normalized code is enough to store them. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(code.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .digest('hex');
}

export function isRecoveryCodeShape(code: string): boolean {
  return /^[a-z0-9]{4}-?[a-z0-9]{4}-?[a-z0-9]{4}$/i.test(code);
}
