import { generate } from 'otplib';
import {
  hashRecoveryCode,
  isRecoveryCodeShape,
  newRecoveryCodes,
  newTotpSecret,
  verifyTotp,
} from '../../src/modules/auth/totp';

// 20 s into a 30-second step, so that "one step" either side is unambiguous.
const now = new Date(Date.UTC(2026, 10, 28, 9, 0, 20));
const epoch = Math.floor(now.getTime() / 1000);
const step = Math.floor(epoch / 30);

describe('TOTP codes (RFC 6238)', () => {
  let secret: string;
  beforeAll(async () => {
    secret = await newTotpSecret();
  });

  it('accepts the current code and the codes one step before and after, returning the step', async () => {
    for (const offset of [-1, 0, 1]) {
      const code = await generate({ secret, epoch: epoch + offset * 30 });
      expect(await verifyTotp(secret, code, now)).toBe(step + offset);
    }
  });

  it('refuses codes two steps away, of another secret, or malformed', async () => {
    expect(await verifyTotp(secret, await generate({ secret, epoch: epoch - 60 }), now)).toBeUndefined();
    expect(await verifyTotp(secret, await generate({ secret, epoch: epoch + 60 }), now)).toBeUndefined();
    const other = await newTotpSecret();
    const code = await generate({ secret: other, epoch });
    if (code !== (await generate({ secret, epoch }))) expect(await verifyTotp(secret, code, now)).toBeUndefined();
    expect(await verifyTotp(secret, '12345', now)).toBeUndefined();
    expect(await verifyTotp(secret, 'abcdef', now)).toBeUndefined();
  });

  it('refuses a code of the last accepted step or an earlier one', async () => {
    const current = await generate({ secret, epoch });
    expect(await verifyTotp(secret, current, now, step)).toBeUndefined();
    expect(await verifyTotp(secret, current, now, step - 1)).toBe(step);
    expect(await verifyTotp(secret, await generate({ secret, epoch: epoch + 30 }), now, step)).toBe(step + 1);
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes of 60 random bits', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
      expect(isRecoveryCodeShape(code)).toBe(true);
    }
  });

  it('hash the same however they are typed, and differently from each other', () => {
    const [a, b] = newRecoveryCodes();
    expect(hashRecoveryCode(a)).toBe(hashRecoveryCode(a.toUpperCase().replace(/-/g, '')));
    expect(hashRecoveryCode(a)).not.toBe(hashRecoveryCode(b));
    expect(hashRecoveryCode(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});
