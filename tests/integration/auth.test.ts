import jwt from 'jsonwebtoken';
import { TestApp, TEST_JWT_SECRET, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { PASSWORD, seedOrg } from '../support/seed';
import { LoginDocument, MeDocument, SignupDocument } from '../support/generated/graphql';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const uniqueEmail = (tag: string) => `${tag}-${Math.random().toString(36).slice(2, 10)}@example.test`;

describe('signup and login', () => {
  it('signs up a new organization owner with the documented shape', async () => {
    const email = uniqueEmail('signup');
    const res = await rest(t.url, 'POST', '/auth/signup', { body: { email, password: PASSWORD, name: 'Ada', organization_name: 'Acme' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, user: { email, name: 'Ada', role: 'owner', mfa_enabled: false } });
    expect(typeof res.body.access_token).toBe('string');
    expect(res.body.refresh_token).toMatch(/^rt_/);
    expect(res.body.user).not.toHaveProperty('password_hash');
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
  });

  it('signs up through GraphQL with the same rules', async () => {
    const email = uniqueEmail('gql');
    const res = await gql(t.url, SignupDocument, { input: { email, password: PASSWORD, name: 'Grace', organizationName: 'Hopper Inc' } });
    expect(res.data?.signup.user).toMatchObject({ email, role: 'owner' });
    const again = await gql(t.url, SignupDocument, { input: { email, password: PASSWORD, name: 'Grace', organizationName: 'Other' } });
    expect(errorCode(again)).toBe('CONFLICT');
  });

  it('answers a duplicate email with 409', async () => {
    const email = uniqueEmail('dup');
    await rest(t.url, 'POST', '/auth/signup', { body: { email, password: PASSWORD, name: 'A', organization_name: 'A' } });
    const res = await rest(t.url, 'POST', '/auth/signup', { body: { email: email.toUpperCase(), password: PASSWORD, name: 'B', organization_name: 'B' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
  });

  it('rejects weak passwords and bad emails with field details', async () => {
    const res = await rest(t.url, 'POST', '/auth/signup', { body: { email: 'not-an-email', password: 'short', name: 'A', organization_name: 'A' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'password']);
  });

  it('logs in as documented, with or without the trailing slash', async () => {
    const org = await seedOrg(t.url);
    for (const path of ['/auth/login', '/auth/login/']) {
      const res = await rest(t.url, 'POST', path, { body: { email: org.owner.email, password: PASSWORD } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, user: { id: org.owner.id, role: 'owner' } });
    }
  });

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    const org = await seedOrg(t.url);
    const wrong = await rest(t.url, 'POST', '/auth/login', { body: { email: org.owner.email, password: 'wrong password!' } });
    const unknown = await rest(t.url, 'POST', '/auth/login', { body: { email: uniqueEmail('nobody'), password: 'wrong password!' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    const viaGraphQL = await gql(t.url, LoginDocument, { input: { email: org.owner.email, password: 'nope nope nope' } });
    expect(errorCode(viaGraphQL)).toBe('UNAUTHENTICATED');
  });

  it('throttles repeated failed logins per account with Retry-After', async () => {
    const org = await seedOrg(t.url);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await rest(t.url, 'POST', '/auth/login', { body: { email: org.owner.email, password: `wrong-${i}-password` } })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    const blocked = await rest(t.url, 'POST', '/auth/login', { body: { email: org.owner.email, password: PASSWORD } });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const other = await seedOrg(t.url);
    const unaffected = await rest(t.url, 'POST', '/auth/login', { body: { email: other.owner.email, password: PASSWORD } });
    expect(unaffected.status).toBe(200);
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
  const sign = (payload: object, options: jwt.SignOptions, secret = TEST_JWT_SECRET) => jwt.sign(payload, secret, options);

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

  it.each([
    ['missing', undefined],
    ['malformed', 'not.a.jwt'],
    ['forged with another secret', 'forged'],
    ['expired', 'expired'],
    ['of the wrong audience', 'audience'],
    ['of the wrong issuer', 'issuer'],
    ['unsigned (alg none)', 'none'],
  ])('answers a %s token with 401 on both surfaces', async (_label, kind) => {
    const org = await seedOrg(t.url);
    const claims = jwt.decode(org.owner.token) as jwt.JwtPayload;
    const base = { org: claims.org, ver: claims.ver };
    const tokens: Record<string, string> = {
      'not.a.jwt': 'not.a.jwt',
      forged: sign(base, { subject: claims.sub, issuer: 'argus', audience: 'argus-api', expiresIn: 60 }, 'another-secret-another-secret-another'),
      expired: sign({ ...base, exp: Math.floor(Date.now() / 1000) - 10 }, { subject: claims.sub, issuer: 'argus', audience: 'argus-api' }),
      audience: sign(base, { subject: claims.sub, issuer: 'argus', audience: 'someone-else', expiresIn: 60 }),
      issuer: sign(base, { subject: claims.sub, issuer: 'evil', audience: 'argus-api', expiresIn: 60 }),
      none: `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
        JSON.stringify({ ...base, sub: claims.sub, iss: 'argus', aud: 'argus-api', exp: Math.floor(Date.now() / 1000) + 60 }),
      ).toString('base64url')}.`,
    };
    const token = kind ? tokens[kind] : undefined;
    const res = await rest(t.url, 'GET', '/incidents', { token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    const viaGraphQL = await gql(t.url, MeDocument, {}, token);
    expect(errorCode(viaGraphQL)).toBe('UNAUTHENTICATED');
  });

  it('refuses the token of a user whose role changed since it was issued', async () => {
    const org = await seedOrg(t.url);
    const admin = await org.user('admin');
    const demote = await rest(t.url, 'PATCH', `/users/${admin.id}`, { token: org.owner.token, body: { role: 'viewer' } });
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
    const invited = await rest(t.url, 'POST', '/users', { token: org.owner.token, body: { email: uniqueEmail('inv'), name: 'Inv', role: 'viewer' } });
    expect(invited.status).toBe(201);
    expect(invited.body.user.active).toBe(false);
    const read = await rest(t.url, 'GET', `/users/${invited.body.user.id}`, { token: org.owner.token });
    expect(JSON.stringify(read.body)).not.toContain(invited.body.invitation_token);
    const accept = () => rest(t.url, 'POST', '/auth/accept-invitation', { body: { invitation_token: invited.body.invitation_token, password: PASSWORD } });
    expect((await accept()).status).toBe(200);
    expect((await accept()).status).toBe(401);
  });

  it('does not let an admin create an owner or a responder invite anyone', async () => {
    const org = await seedOrg(t.url);
    const admin = await org.user('admin');
    const responder = await org.user('responder');
    const asAdmin = await rest(t.url, 'POST', '/users', { token: admin.token, body: { email: uniqueEmail('o'), name: 'O', role: 'owner' } });
    expect(asAdmin.status).toBe(403);
    const asResponder = await rest(t.url, 'POST', '/users', { token: responder.token, body: { email: uniqueEmail('r'), name: 'R', role: 'viewer' } });
    expect(asResponder.status).toBe(403);
    expect(asResponder.body.error.code).toBe('FORBIDDEN');
  });

  it('keeps at least one owner', async () => {
    const org = await seedOrg(t.url);
    const res = await rest(t.url, 'DELETE', `/users/${org.owner.id}`, { token: org.owner.token });
    expect(res.status).toBe(409);
  });
});
