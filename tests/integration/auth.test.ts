import { generateKeyPairSync, randomInt } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { generate } from 'otplib';
import { TestApp, TEST_JWT_SECRET, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { PASSWORD, seedOrg } from '../support/seed';
import {
  ChangePasswordDocument,
  ConfirmMfaDocument,
  DisableMfaDocument,
  EnrollMfaDocument,
  LoginDocument,
  MeDocument,
  SignupDocument,
} from '../support/generated/graphql';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const uniqueEmail = (tag: string) => `${tag}-${Math.random().toString(36).slice(2, 10)}@example.test`;
/** A client address of its own (X-Forwarded-For from loopback is trusted), so throttles of one test touch no other. */
const fromAddress = () => ({ 'x-forwarded-for': `198.51.${randomInt(0, 255)}.${randomInt(1, 255)}` });
const login = (email: string, password: string, headers: Record<string, string>, extra: Record<string, unknown> = {}) =>
  rest(t.url, 'POST', '/auth/login', { headers, body: { email, password, ...extra } });

describe('signup and login', () => {
  it('signs up a new organization owner with the documented shape, and the owner signs in', async () => {
    const email = uniqueEmail('signup');
    const res = await rest(t.url, 'POST', '/auth/signup', {
      body: { email, password: PASSWORD, name: 'Ada', organization_name: 'Acme' },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'accepted', message: expect.stringContaining('Sign in') });
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
    const signedIn = await rest(t.url, 'POST', '/auth/login', { body: { email, password: PASSWORD } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      user: { email, name: 'Ada', role: 'owner', mfa_enabled: false },
    });
    expect(signedIn.body.refresh_token).toMatch(/^rt_/);
    expect(signedIn.body.user).not.toHaveProperty('password_hash');
  });

  it('signs up through GraphQL with the same rules', async () => {
    const email = uniqueEmail('gql');
    const res = await gql(t.url, SignupDocument, {
      input: { email, password: PASSWORD, name: 'Grace', organizationName: 'Hopper Inc' },
    });
    expect(res.data?.signup.status).toBe('accepted');
    const signedIn = await gql(t.url, LoginDocument, { input: { email, password: PASSWORD } });
    expect(signedIn.data?.login.user.role).toBe('owner');
  });

  it('creates nothing for an email that has an account, whatever its case: its own password still signs in, the new one does not', async () => {
    const email = uniqueEmail('dup');
    await rest(t.url, 'POST', '/auth/signup', {
      body: { email, password: PASSWORD, name: 'A', organization_name: 'A' },
    });
    const res = await rest(t.url, 'POST', '/auth/signup', {
      body: { email: email.toUpperCase(), password: 'another password 123', name: 'B', organization_name: 'B' },
    });
    expect(res.status).toBe(202);
    const headers = fromAddress();
    expect((await login(email, 'another password 123', headers)).status).toBe(401);
    const owner = await login(email, PASSWORD, headers);
    expect(owner.status).toBe(200);
    expect(owner.body.user.name).toBe('A');
  });

  it('rejects weak passwords and bad emails with field details', async () => {
    const res = await rest(t.url, 'POST', '/auth/signup', {
      body: { email: 'not-an-email', password: 'short', name: 'A', organization_name: 'A' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'password']);
  });

  it('logs in as documented, with or without the trailing slash', async () => {
    const org = await seedOrg(t.url);
    for (const path of ['/auth/login', '/auth/login/']) {
      const res = await rest(t.url, 'POST', path, { body: { email: org.owner.email, password: PASSWORD } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        token_type: 'Bearer',
        expires_in: 3600,
        user: { id: org.owner.id, role: 'owner' },
      });
    }
  });

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    const org = await seedOrg(t.url);
    const wrong = await rest(t.url, 'POST', '/auth/login', {
      body: { email: org.owner.email, password: 'wrong password!' },
    });
    const unknown = await rest(t.url, 'POST', '/auth/login', {
      body: { email: uniqueEmail('nobody'), password: 'wrong password!' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    const viaGraphQL = await gql(t.url, LoginDocument, {
      input: { email: org.owner.email, password: 'nope nope nope' },
    });
    expect(errorCode(viaGraphQL)).toBe('UNAUTHENTICATED');
  });

  it('never accepts credentials from the query string', async () => {
    const org = await seedOrg(t.url);
    const qs = `?email=${encodeURIComponent(org.owner.email)}&password=${encodeURIComponent(PASSWORD)}`;
    const res = await rest(t.url, 'POST', `/auth/login${qs}`, { body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.access_token).toBeUndefined();
  });
});

describe('login throttling', () => {
  it('blocks one account from one address after five failures, with Retry-After, even with the right password', async () => {
    const org = await seedOrg(t.url);
    const attacker = fromAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(org.owner.email, `wrong-${i}-password`, attacker)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const blocked = await login(org.owner.email, PASSWORD, attacker);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('does not lock the owner out: the same account from another address signs in', async () => {
    const org = await seedOrg(t.url);
    const attacker = fromAddress();
    for (let i = 0; i < 6; i++) await login(org.owner.email, `wrong-${i}-password`, attacker);
    expect((await login(org.owner.email, PASSWORD, attacker)).status).toBe(429);
    expect((await login(org.owner.email, PASSWORD, fromAddress())).status).toBe(200);
    const other = await seedOrg(t.url);
    expect((await login(other.owner.email, PASSWORD, attacker)).status).toBe(200);
  });

  it('blocks an address that fails on many accounts (credential stuffing), and only that address', async () => {
    const org = await seedOrg(t.url);
    const stuffer = fromAddress();
    const statuses = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        login(uniqueEmail(`stuffed-${i}`), 'guessed password', stuffer).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(30);
    const next = await login(org.owner.email, PASSWORD, stuffer);
    expect(next.status).toBe(429);
    expect((await login(org.owner.email, PASSWORD, fromAddress())).status).toBe(200);
  });

  it('holds an account attacked from many addresses briefly, but not for an address it signed in from before', async () => {
    const org = await seedOrg(t.url);
    const home = fromAddress();
    expect((await login(org.owner.email, PASSWORD, home)).status).toBe(200);
    await Promise.all(Array.from({ length: 23 }, () => login(org.owner.email, 'botnet guess!', fromAddress())));
    const stranger = await login(org.owner.email, PASSWORD, fromAddress());
    expect(stranger.status).toBe(429);
    const wait = Number(stranger.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect((await login(org.owner.email, PASSWORD, home)).status).toBe(200);
  });
});

describe('changing the password', () => {
  it('needs the current password, then ends every other session and access token', async () => {
    const org = await seedOrg(t.url);
    const otherSession = await login(org.owner.email, PASSWORD, fromAddress());
    const wrong = await rest(t.url, 'POST', '/auth/change-password', {
      token: org.owner.token,
      body: { current_password: 'not it at all', new_password: 'a brand new password' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.details).toEqual([{ field: 'current_password', message: 'is wrong' }]);
    const changed = await rest(t.url, 'POST', '/auth/change-password', {
      token: org.owner.token,
      body: { current_password: PASSWORD, new_password: 'a brand new password' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ token_type: 'Bearer', user: { id: org.owner.id } });
    expect((await rest(t.url, 'GET', '/auth/me', { token: changed.body.access_token })).status).toBe(200);
    expect((await rest(t.url, 'GET', '/auth/me', { token: org.owner.token })).status).toBe(401);
    expect((await rest(t.url, 'GET', '/auth/me', { token: otherSession.body.access_token })).status).toBe(401);
    for (const refresh of [org.owner.refreshToken, otherSession.body.refresh_token]) {
      expect((await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: refresh } })).status).toBe(401);
    }
    expect(
      (await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: changed.body.refresh_token } })).status,
    ).toBe(200);
    expect((await login(org.owner.email, PASSWORD, fromAddress())).status).toBe(401);
    expect((await login(org.owner.email, 'a brand new password', fromAddress())).status).toBe(200);
  });

  it("works through GraphQL and checks the new password's length", async () => {
    const org = await seedOrg(t.url);
    const short = await gql(
      t.url,
      ChangePasswordDocument,
      { input: { currentPassword: PASSWORD, newPassword: 'short' } },
      org.owner.token,
    );
    expect(short.errors![0].extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'newPassword' }],
    });
    const ok = await gql(
      t.url,
      ChangePasswordDocument,
      { input: { currentPassword: PASSWORD, newPassword: 'another long password' } },
      org.owner.token,
    );
    expect(ok.data?.changePassword.user.id).toBe(org.owner.id);
    expect(
      errorCode(
        await gql(t.url, ChangePasswordDocument, { input: { currentPassword: PASSWORD, newPassword: 'x'.repeat(12) } }),
      ),
    ).toBe('UNAUTHENTICATED');
  });
});

describe('TOTP multi-factor authentication', () => {
  const codeAt = (secret: string, offsetSeconds: number) =>
    generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

  /** An owner with MFA on (enrolled and confirmed over REST); the code used to confirm is returned too. */
  async function withMfa() {
    const org = await seedOrg(t.url);
    const enrolled = await rest(t.url, 'POST', '/auth/mfa/enroll', {
      token: org.owner.token,
      body: { password: PASSWORD },
    });
    expect(enrolled.status).toBe(200);
    const secret: string = enrolled.body.secret;
    const confirmCode = await codeAt(secret, 0);
    const confirmed = await rest(t.url, 'POST', '/auth/mfa/confirm', {
      token: org.owner.token,
      body: { code: confirmCode },
    });
    expect(confirmed.status).toBe(200);
    return { org, secret, confirmCode, recoveryCodes: confirmed.body.recovery_codes as string[] };
  }

  it('enrols with the password, confirms with a code and hands out ten recovery codes once', async () => {
    const org = await seedOrg(t.url);
    const wrong = await rest(t.url, 'POST', '/auth/mfa/enroll', {
      token: org.owner.token,
      body: { password: 'not the password' },
    });
    expect(wrong.status).toBe(401);
    const enrolled = await rest(t.url, 'POST', '/auth/mfa/enroll', {
      token: org.owner.token,
      body: { password: PASSWORD },
    });
    expect(enrolled.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolled.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\/Argus:.*secret=[A-Z2-7]{32}.*issuer=Argus/);
    const badCode = await rest(t.url, 'POST', '/auth/mfa/confirm', {
      token: org.owner.token,
      body: { code: '000000' === (await codeAt(enrolled.body.secret, 0)) ? '111111' : '000000' },
    });
    expect(badCode.status).toBe(400);
    expect((await rest(t.url, 'GET', '/auth/me', { token: org.owner.token })).body.mfa_enabled).toBe(false);
    const confirmed = await rest(t.url, 'POST', '/auth/mfa/confirm', {
      token: org.owner.token,
      body: { code: await codeAt(enrolled.body.secret, 0) },
    });
    expect(confirmed.body.recovery_codes).toHaveLength(10);
    for (const code of confirmed.body.recovery_codes) expect(code).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
    expect((await rest(t.url, 'GET', '/auth/me', { token: org.owner.token })).body.mfa_enabled).toBe(true);
    const users = await rest(t.url, 'GET', '/users', { token: org.owner.token });
    const text =
      JSON.stringify(users.body) +
      JSON.stringify((await rest(t.url, 'GET', `/users/${org.owner.id}`, { token: org.owner.token })).body);
    expect(text).not.toContain(enrolled.body.secret);
    for (const code of confirmed.body.recovery_codes) expect(text).not.toContain(code);
    expect(
      (await rest(t.url, 'POST', '/auth/mfa/enroll', { token: org.owner.token, body: { password: PASSWORD } })).status,
    ).toBe(409);
  });

  it('asks for the second factor after a right password, and takes a code one step ahead once only', async () => {
    const { org, secret, confirmCode } = await withMfa();
    const address = fromAddress();
    const missing = await login(org.owner.email, PASSWORD, address);
    expect(missing.status).toBe(401);
    expect(missing.body.error.details).toEqual([{ field: 'mfa_code', message: 'is required' }]);
    expect(missing.body.access_token).toBeUndefined();
    // The code that confirmed the enrolment is spent.
    expect((await login(org.owner.email, PASSWORD, address, { mfa_code: confirmCode })).status).toBe(401);
    const ahead = await codeAt(secret, 30);
    const ok = await login(org.owner.email, PASSWORD, address, { mfa_code: ahead });
    expect(ok.status).toBe(200);
    expect(ok.body.user.mfa_enabled).toBe(true);
    const replay = await login(org.owner.email, PASSWORD, fromAddress(), { mfa_code: ahead });
    expect(replay.status).toBe(401);
    expect(replay.body.error.details).toEqual([{ field: 'mfa_code', message: 'is invalid or already used' }]);
    // A code of an earlier step than the last one used is refused too.
    expect((await login(org.owner.email, PASSWORD, fromAddress(), { mfa_code: await codeAt(secret, 0) })).status).toBe(
      401,
    );
    // Three steps away is outside the window.
    expect(
      (await login(org.owner.email, PASSWORD, fromAddress(), { mfa_code: await codeAt(secret, 120) })).status,
    ).toBe(401);
    expect(
      (await login(org.owner.email, 'wrong password!', fromAddress(), { mfa_code: await codeAt(secret, 30) })).status,
    ).toBe(401);
  });

  it('takes each recovery code once, and turns off with the password and a recovery code', async () => {
    const { org, recoveryCodes } = await withMfa();
    const ok = await login(org.owner.email, PASSWORD, fromAddress(), { mfa_code: recoveryCodes[0].toUpperCase() });
    expect(ok.status).toBe(200);
    expect((await login(org.owner.email, PASSWORD, fromAddress(), { mfa_code: recoveryCodes[0] })).status).toBe(401);
    const wrongPassword = await rest(t.url, 'POST', '/auth/mfa/disable', {
      token: ok.body.access_token,
      body: { password: 'not it at all', code: recoveryCodes[1] },
    });
    expect(wrongPassword.status).toBe(401);
    const usedCode = await rest(t.url, 'POST', '/auth/mfa/disable', {
      token: ok.body.access_token,
      body: { password: PASSWORD, code: recoveryCodes[0] },
    });
    expect(usedCode.status).toBe(401);
    const off = await rest(t.url, 'POST', '/auth/mfa/disable', {
      token: ok.body.access_token,
      body: { password: PASSWORD, code: recoveryCodes[1] },
    });
    expect(off.status).toBe(200);
    expect(off.body.mfa_enabled).toBe(false);
    expect((await login(org.owner.email, PASSWORD, fromAddress())).status).toBe(200);
    expect((await login(org.owner.email, PASSWORD, fromAddress(), { mfa_code: recoveryCodes[2] })).status).toBe(200);
  });

  it('works through GraphQL, and only for the signed-in user', async () => {
    const org = await seedOrg(t.url);
    expect(errorCode(await gql(t.url, EnrollMfaDocument, { input: { password: PASSWORD } }))).toBe('UNAUTHENTICATED');
    const enrolled = await gql(t.url, EnrollMfaDocument, { input: { password: PASSWORD } }, org.owner.token);
    const secret = enrolled.data!.enrollMfa.secret;
    const confirmed = await gql(
      t.url,
      ConfirmMfaDocument,
      { input: { code: await codeAt(secret, 0) } },
      org.owner.token,
    );
    expect(confirmed.data?.confirmMfa.recoveryCodes).toHaveLength(10);
    const signedIn = await gql(t.url, LoginDocument, {
      input: { email: org.owner.email, password: PASSWORD, mfaCode: await codeAt(secret, 30) },
    });
    expect(signedIn.data?.login.user.id).toBe(org.owner.id);
    const off = await gql(
      t.url,
      DisableMfaDocument,
      { input: { password: PASSWORD, code: confirmed.data!.confirmMfa.recoveryCodes[0] } },
      org.owner.token,
    );
    expect(off.data?.disableMfa).toEqual({ id: org.owner.id, mfaEnabled: false });
  });
});

describe('refresh tokens', () => {
  it('rotates: the new pair works and the old refresh token does not', async () => {
    const org = await seedOrg(t.url);
    const first = await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: org.owner.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(org.owner.refreshToken);
    const me = await rest(t.url, 'GET', '/auth/me', { token: first.body.access_token });
    expect(me.body.id).toBe(org.owner.id);
    const next = await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: first.body.refresh_token } });
    expect(next.status).toBe(200);
  });

  it('revokes the whole family when a used refresh token is replayed', async () => {
    const org = await seedOrg(t.url);
    const rotated = await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: org.owner.refreshToken } });
    const replay = await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: org.owner.refreshToken } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/reuse/i);
    const legit = await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: rotated.body.refresh_token } });
    expect(legit.status).toBe(401);
  });

  it('logs out with 204 and the refresh token stops working', async () => {
    const org = await seedOrg(t.url);
    const out = await rest(t.url, 'POST', '/auth/logout', { body: { refresh_token: org.owner.refreshToken } });
    expect(out.status).toBe(204);
    const res = await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: org.owner.refreshToken } });
    expect(res.status).toBe(401);
  });

  it('refuses an unknown refresh token', async () => {
    const res = await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: 'rt_made-up' } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('access tokens', () => {
  const sign = (payload: object, options: jwt.SignOptions, secret = TEST_JWT_SECRET) =>
    jwt.sign(payload, secret, options);

  it('returns the caller at /auth/me and through GraphQL', async () => {
    const org = await seedOrg(t.url);
    const res = await rest(t.url, 'GET', '/auth/me', { token: org.owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: org.owner.id, email: org.owner.email, role: 'owner', active: true });
    const viaGraphQL = await gql(t.url, MeDocument, {}, org.owner.token);
    expect(viaGraphQL.data?.me.id).toBe(org.owner.id);
  });

  it('issues tokens that expire in one hour with issuer and audience', async () => {
    const org = await seedOrg(t.url);
    const claims = jwt.decode(org.owner.token) as jwt.JwtPayload;
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.iss).toBe('argus');
    expect(claims.aud).toBe('argus-api');
    expect(jwt.decode(org.owner.token, { complete: true })?.header.alg).toBe('HS256');
  });

  const rsa = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  let intruderId = '';
  beforeAll(async () => {
    intruderId = (await seedOrg(t.url)).owner.id;
  });
  /** The token with its payload rewritten and the original signature kept. */
  const tamper = (token: string, change: (payload: Record<string, unknown>) => Record<string, unknown>) => {
    const [header, payload, signature] = token.split('.');
    const changed = change(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>);
    return `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
  };

  it('accepts an untampered token (the tampering helper changes only what it is told)', async () => {
    const org = await seedOrg(t.url);
    expect((await rest(t.url, 'GET', '/auth/me', { token: tamper(org.owner.token, (p) => p) })).status).toBe(200);
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'not.a.jwt'],
    ['forged with another secret', 'forged'],
    ['expired', 'expired'],
    ['of the wrong audience', 'audience'],
    ['of the wrong issuer', 'issuer'],
    ['unsigned (alg none)', 'none'],
    ['not yet valid (nbf in the future)', 'notBefore'],
    ['expiry-less', 'noExpiry'],
    ['RS256-signed (algorithm confusion)', 'rs256'],
    ['HS256-signed with an RSA public key as the secret', 'hsWithPublicKey'],
    ['tampered (payload changed, signature kept)', 'tampered'],
  ])('answers a %s token with 401 on both surfaces', async (_label, kind) => {
    const org = await seedOrg(t.url);
    const claims = jwt.decode(org.owner.token) as jwt.JwtPayload;
    const base = { org: claims.org, ver: claims.ver };
    const tokens: Record<string, string> = {
      'not.a.jwt': 'not.a.jwt',
      forged: sign(
        base,
        { subject: claims.sub, issuer: 'argus', audience: 'argus-api', expiresIn: 60 },
        'another-secret-another-secret-another',
      ),
      expired: sign(
        { ...base, exp: Math.floor(Date.now() / 1000) - 10 },
        { subject: claims.sub, issuer: 'argus', audience: 'argus-api' },
      ),
      audience: sign(base, { subject: claims.sub, issuer: 'argus', audience: 'someone-else', expiresIn: 60 }),
      issuer: sign(base, { subject: claims.sub, issuer: 'evil', audience: 'argus-api', expiresIn: 60 }),
      none: `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
        JSON.stringify({
          ...base,
          sub: claims.sub,
          iss: 'argus',
          aud: 'argus-api',
          exp: Math.floor(Date.now() / 1000) + 60,
        }),
      ).toString('base64url')}.`,
      notBefore: sign(base, {
        subject: claims.sub,
        issuer: 'argus',
        audience: 'argus-api',
        expiresIn: 3600,
        notBefore: 600,
      }),
      noExpiry: sign(base, { subject: claims.sub, issuer: 'argus', audience: 'argus-api' }),
      rs256: jwt.sign(base, rsa.privateKey, {
        algorithm: 'RS256',
        subject: claims.sub,
        issuer: 'argus',
        audience: 'argus-api',
        expiresIn: 60,
      }),
      hsWithPublicKey: sign(
        base,
        { subject: claims.sub, issuer: 'argus', audience: 'argus-api', expiresIn: 60 },
        rsa.publicKey,
      ),
      tampered: tamper(org.owner.token, (payload) => ({ ...payload, sub: intruderId })),
    };
    const token = kind ? tokens[kind] : undefined;
    const res = await rest(t.url, 'GET', '/incidents', { token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    const viaGraphQL = await gql(t.url, MeDocument, {}, token);
    expect(errorCode(viaGraphQL)).toBe('UNAUTHENTICATED');
  });

  it('refuses the token of a user who was removed', async () => {
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    expect((await rest(t.url, 'GET', '/auth/me', { token: responder.token })).status).toBe(200);
    expect((await rest(t.url, 'DELETE', `/users/${responder.id}`, { token: org.owner.token })).status).toBe(204);
    expect((await rest(t.url, 'GET', '/auth/me', { token: responder.token })).status).toBe(401);
    expect(errorCode(await gql(t.url, MeDocument, {}, responder.token))).toBe('UNAUTHENTICATED');
    expect(
      (await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: responder.refreshToken } })).status,
    ).toBe(401);
  });

  it('refuses the token of a user whose role changed since it was issued', async () => {
    const org = await seedOrg(t.url);
    const admin = await org.user('admin');
    const demote = await rest(t.url, 'PATCH', `/users/${admin.id}`, {
      token: org.owner.token,
      body: { role: 'viewer' },
    });
    expect(demote.status).toBe(200);
    expect((await rest(t.url, 'GET', '/auth/me', { token: admin.token })).status).toBe(401);
  });
});

describe('invitations', () => {
  it('lets an admin invite a user, who accepts and signs in with the invited role', async () => {
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    const me = await rest(t.url, 'GET', '/auth/me', { token: responder.token });
    expect(me.body).toMatchObject({ role: 'responder', email: responder.email });
    const list = await rest(t.url, 'GET', '/users', { token: responder.token });
    expect(list.body.items.map((u: { id: string }) => u.id).sort()).toEqual([org.owner.id, responder.id].sort());
    expect(JSON.stringify(list.body)).not.toMatch(/password|invitation_token/);
  });

  it('shows the invitation token once and refuses it a second time', async () => {
    const org = await seedOrg(t.url);
    const invited = await rest(t.url, 'POST', '/users', {
      token: org.owner.token,
      body: { email: uniqueEmail('inv'), name: 'Inv', role: 'viewer' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body.user.active).toBe(false);
    const read = await rest(t.url, 'GET', `/users/${invited.body.user.id}`, { token: org.owner.token });
    expect(JSON.stringify(read.body)).not.toContain(invited.body.invitation_token);
    const accept = () =>
      rest(t.url, 'POST', '/auth/accept-invitation', {
        body: { invitation_token: invited.body.invitation_token, password: PASSWORD },
      });
    expect((await accept()).status).toBe(200);
    expect((await accept()).status).toBe(401);
  });

  it('does not let an admin create an owner or a responder invite anyone', async () => {
    const org = await seedOrg(t.url);
    const admin = await org.user('admin');
    const responder = await org.user('responder');
    const asAdmin = await rest(t.url, 'POST', '/users', {
      token: admin.token,
      body: { email: uniqueEmail('o'), name: 'O', role: 'owner' },
    });
    expect(asAdmin.status).toBe(403);
    const asResponder = await rest(t.url, 'POST', '/users', {
      token: responder.token,
      body: { email: uniqueEmail('r'), name: 'R', role: 'viewer' },
    });
    expect(asResponder.status).toBe(403);
    expect(asResponder.body.error.code).toBe('FORBIDDEN');
  });

  it('keeps at least one owner', async () => {
    const org = await seedOrg(t.url);
    const res = await rest(t.url, 'DELETE', `/users/${org.owner.id}`, { token: org.owner.token });
    expect(res.status).toBe(409);
  });
});
