import { AppError } from '../../src/core/errors';
import { Role } from '../../src/core/roles';
import { SecretBox } from '../../src/core/secret-box';
import { checkIssuer, isLoopbackHost } from '../../src/modules/identity-providers/issuer-url';
import { SLUG_PATTERN, slugOf } from '../../src/modules/organizations/slug';
import { roleForGroups } from '../../src/modules/sso/sso.service';

const refusal = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? `${error.code} ${error.details?.[0]?.field}` : 'not an AppError';
  }
};

describe('identity provider issuers', () => {
  it('takes https anywhere and plain http on loopback only, unless allowed', () => {
    expect(checkIssuer('https://login.example.com/realms/acme/', false)).toBe('https://login.example.com/realms/acme');
    for (const loopback of [
      'http://127.0.0.1:8080',
      'http://localhost:9000',
      'http://[::1]:9000',
      'http://127.1.2.3',
      'http://idp.localhost',
    ]) {
      expect(checkIssuer(loopback, false)).toBe(loopback);
    }
    for (const remote of [
      'http://idp.example.com',
      'http://10.0.0.5',
      'http://[2001:db8::1]',
      'http://localhost.evil.com',
    ]) {
      expect(refusal(() => checkIssuer(remote, false))).toBe('VALIDATION_FAILED issuer');
      expect(checkIssuer(remote, true)).toBe(remote);
    }
  });

  it('refuses what is not a plain web address', () => {
    for (const bad of [
      'not a url',
      'ftp://idp.example.com',
      'javascript:alert(1)',
      'https://user:pw@idp.example.com',
      'https://idp.example.com/?x=1',
      'https://idp.example.com/#f',
    ]) {
      expect(refusal(() => checkIssuer(bad, true))).toBe('VALIDATION_FAILED issuer');
    }
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});

describe('roles from groups', () => {
  const provider = {
    roleMapping: { admins: Role.admin, oncall: Role.responder, readers: Role.viewer, sneaky: Role.owner },
    defaultRole: Role.viewer,
  };
  it('takes the highest mapped role, the default without one, and never owner', () => {
    expect(roleForGroups(provider, ['readers', 'admins', 'oncall'])).toBe(Role.admin);
    expect(roleForGroups(provider, ['oncall', 'unknown'])).toBe(Role.responder);
    expect(roleForGroups(provider, [])).toBe(Role.viewer);
    expect(roleForGroups({ ...provider, defaultRole: Role.responder }, ['nothing'])).toBe(Role.responder);
    expect(roleForGroups(provider, ['sneaky'])).toBe(Role.viewer);
  });
});

describe('organization slugs', () => {
  it('derives a valid slug from any name', () => {
    expect(slugOf('Acme Corp.')).toBe('acme-corp');
    expect(slugOf('  Zürich Ops  ')).toBe('zurich-ops');
    for (const name of ['A', '!!!', '東京', 'x'.repeat(300), '--a--b--', 'Ops / Night shift']) {
      expect({ name, ok: SLUG_PATTERN.test(slugOf(name)) }).toEqual({ name, ok: true });
    }
  });
});

describe('secrets sealed at rest', () => {
  it('opens only under the same key, and refuses an altered value', () => {
    const box = new SecretBox('k'.repeat(40));
    const sealed = box.seal('client-secret');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('client-secret');
    expect(box.seal('client-secret')).not.toBe(sealed);
    expect(box.open(sealed)).toBe('client-secret');
    expect(() => new SecretBox('o'.repeat(40)).open(sealed)).toThrow();
    const body = Buffer.from(sealed.slice(3), 'base64url');
    body[body.length - 1] ^= 1;
    expect(() => box.open(`v1.${body.toString('base64url')}`)).toThrow();
  });
});
