import { createHash, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { ManualClock } from '../../src/core/clock';
import { SecretBox } from '../../src/core/secret-box';
import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { PASSWORD, SeedOrg, seedOrg } from '../support/seed';
import { TestOidcProvider, signInThroughProvider, startOidcProvider } from '../support/oidc';

/**
 * Single sign-on against a real OpenID provider (oidc-provider, tests/support/oidc-provider.mjs) on loopback: the
 * authorization code flow with PKCE, state and nonce through Argus's start and callback routes and the code exchange,
 * and every refusal: a wrong state, a replayed code, forged, expired and wrongly addressed ID tokens, a disallowed
 * domain, roles following groups, "SSO required", the break-glass owner, disabled users and tenancy.
 */
let t: TestApp;
let idp: TestOidcProvider;
const clock = new ManualClock();
const CLIENT = { client_id: 'argus-test', client_secret: 'argus-test-secret-0123456789' };
const run = randomUUID().slice(0, 8);
const domain = `sso-${run}.test`;
const accounts: Record<
  string,
  { email: string; email_verified?: boolean; name?: string; groups?: string[]; sub?: string }
> = {};

function account(login: string, groups: string[] = [], extra: Record<string, unknown> = {}) {
  accounts[login] = { email: `${login}@${domain}`, email_verified: true, name: `Person ${login}`, groups, ...extra };
  idp.setAccounts(accounts);
  return accounts[login].email;
}

beforeAll(async () => {
  t = await startTestApp({}, { clock });
  idp = await startOidcProvider([{ ...CLIENT, redirect_uris: [`${t.url}/api/v1/auth/sso/callback`] }], {});
});
afterAll(async () => {
  await idp.close();
  await t.close();
});
afterEach(() => {
  idp.tamper = null;
  clock.set(new Date());
});

async function configured(
  overrides: Record<string, unknown> = {},
): Promise<{ org: SeedOrg; slug: string; provider: any }> {
  const org = await seedOrg(t.url);
  const me = await rest(t.url, 'GET', '/auth/me', { token: org.owner.token });
  const provider = await rest(t.url, 'POST', '/identity-providers', {
    token: org.owner.token,
    body: {
      issuer: idp.issuer,
      client_id: CLIENT.client_id,
      client_secret: CLIENT.client_secret,
      allowed_domains: [domain],
      role_mapping: { 'argus-admins': 'admin', 'argus-oncall': 'responder' },
      default_role: 'viewer',
      jit_provisioning: true,
      ...overrides,
    },
  });
  expect(provider.status).toBe(201);
  return { org, slug: me.body.organization.slug, provider: provider.body };
}

const startUrl = (slug: string) => `${t.url}/api/v1/auth/sso/${slug}/start`;

async function exchange(code: string) {
  return rest(t.url, 'POST', '/auth/sso/exchange', { body: { code } });
}

async function signIn(slug: string, login: string) {
  const result = await signInThroughProvider(startUrl(slug), login);
  expect(result.complete?.searchParams.get('code')).toMatch(/^sso_/);
  const tokens = await exchange(result.complete!.searchParams.get('code')!);
  expect(tokens.status).toBe(200);
  return tokens.body;
}

describe('organization slugs', () => {
  test('every organization has a slug from its name, shown in /auth/me, changed by its owner only', async () => {
    const org = await seedOrg(t.url);
    const me = await rest(t.url, 'GET', '/auth/me', { token: org.owner.token });
    expect(me.body.organization).toEqual({ name: org.name, slug: org.name.toLowerCase().replace(' ', '-') });
    expect(me.body.organization_id).toBeTruthy();
    const slug = `team-${run}`;
    const changed = await rest(t.url, 'PATCH', '/organization', { token: org.owner.token, body: { slug } });
    expect(changed.status).toBe(200);
    expect(changed.body.slug).toBe(slug);
    const admin = await org.user('admin');
    expect(
      (await rest(t.url, 'PATCH', '/organization', { token: admin.token, body: { slug: `x-${run}` } })).status,
    ).toBe(403);
    const bad = await rest(t.url, 'PATCH', '/organization', { token: org.owner.token, body: { slug: 'Not A Slug' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('slug');
    const other = await seedOrg(t.url);
    const taken = await rest(t.url, 'PATCH', '/organization', { token: other.owner.token, body: { slug } });
    expect(taken.status).toBe(409);
    // Another organization with the same name gets another slug.
    const twins = [`twin-${run}@example.test`, `twin2-${run}@example.test`];
    for (const email of twins)
      await rest(t.url, 'POST', '/auth/signup', {
        body: { email, password: PASSWORD, name: 'Twin', organization_name: 'Same Name' },
      });
    const slugs = await Promise.all(
      twins.map(async (email) => {
        const signedIn = await rest(t.url, 'POST', '/auth/login', { body: { email, password: PASSWORD } });
        return (await rest(t.url, 'GET', '/auth/me', { token: signedIn.body.access_token })).body.organization.slug;
      }),
    );
    expect(new Set(slugs).size).toBe(2);
  });
});

describe('identity providers', () => {
  test('admins configure one per organization; the client secret is sealed at rest and never returned', async () => {
    const { org, provider } = await configured();
    expect(provider).not.toHaveProperty('client_secret');
    expect(provider).not.toHaveProperty('client_secret_sealed');
    expect(provider).toMatchObject({
      issuer: idp.issuer,
      client_id: CLIENT.client_id,
      allowed_domains: [domain],
      groups_claim: 'groups',
      default_role: 'viewer',
      jit_provisioning: true,
      sso_required: false,
      break_glass_user_id: null,
    });
    expect(provider.role_mapping).toEqual({ 'argus-admins': 'admin', 'argus-oncall': 'responder' });
    const [row] = await t.orm.em
      .getConnection()
      .execute('select client_secret_sealed from identity_providers where id = ?', [provider.id]);
    expect(row.client_secret_sealed).not.toContain(CLIENT.client_secret);
    expect(new SecretBox(t.config.encryptionKey).open(row.client_secret_sealed)).toBe(CLIENT.client_secret);
    const second = await rest(t.url, 'POST', '/identity-providers', {
      token: org.owner.token,
      body: { issuer: idp.issuer, client_id: 'x', client_secret: 'y' },
    });
    expect(second.status).toBe(409);
    const gql = await gqlRaw(
      t.url,
      { query: `{ identityProviders { items { id issuer clientId breakGlassUserId } } }` },
      org.owner.token,
    );
    expect(gql.data.identityProviders.items).toEqual([
      { id: provider.id, issuer: idp.issuer, clientId: CLIENT.client_id, breakGlassUserId: null },
    ]);
    const secretField = await gqlRaw(
      t.url,
      { query: `{ identityProviders { items { clientSecret } } }` },
      org.owner.token,
    );
    expect(secretField.errors?.[0].extensions?.code).toBe('VALIDATION_FAILED');
  });

  test('bad input is refused with the field named, nothing written', async () => {
    const org = await seedOrg(t.url);
    const base = { issuer: idp.issuer, client_id: 'c', client_secret: 's' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, issuer: 'http://idp.example.com' }, 'issuer'],
      [{ ...base, issuer: 'not a url' }, 'issuer'],
      [{ ...base, issuer: 'https://user:pw@idp.example.com' }, 'issuer'],
      [{ ...base, role_mapping: { admins: 'owner' } }, 'role_mapping'],
      [{ ...base, role_mapping: { admins: 7 } }, 'role_mapping'],
      [{ ...base, default_role: 'owner' }, 'default_role'],
      [{ ...base, allowed_domains: ['Not A Domain'] }, 'allowed_domains'],
      [{ ...base, groups_claim: 'has space' }, 'groups_claim'],
      [{ ...base, break_glass_user_id: randomUUID() }, 'break_glass_user_id'],
      [{ ...base, break_glass_user_id: (await org.user('admin')).id }, 'break_glass_user_id'],
      [{ ...base, client_secret: '' }, 'client_secret'],
      [{ ...base, surprise: true }, 'surprise'],
    ];
    for (const [body, field] of cases) {
      const res = await rest(t.url, 'POST', '/identity-providers', { token: org.owner.token, body });
      expect({
        field,
        status: res.status,
        code: res.body.error.code,
        fields: res.body.error.details?.map((d: any) => d.field),
      }).toEqual({
        field,
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: expect.arrayContaining([field]),
      });
    }
    expect((await rest(t.url, 'GET', '/identity-providers', { token: org.owner.token })).body.total ?? 0).toBe(0);
    expect((await rest(t.url, 'GET', '/identity-providers', { token: org.owner.token })).body.items).toEqual([]);
  });

  test('admins only; another organization cannot read or change it (REST and GraphQL)', async () => {
    const { org, provider } = await configured();
    const responder = await org.user('responder');
    expect((await rest(t.url, 'GET', '/identity-providers', { token: responder.token })).status).toBe(403);
    expect(
      (
        await rest(t.url, 'PATCH', `/identity-providers/${provider.id}`, {
          token: responder.token,
          body: { sso_required: true },
        })
      ).status,
    ).toBe(403);
    const admin = await org.user('admin');
    expect(
      (
        await rest(t.url, 'PATCH', `/identity-providers/${provider.id}`, {
          token: admin.token,
          body: { client_secret: 'rotated-secret' },
        })
      ).status,
    ).toBe(200);
    const other = await seedOrg(t.url);
    expect((await rest(t.url, 'GET', `/identity-providers/${provider.id}`, { token: other.owner.token })).status).toBe(
      404,
    );
    expect(
      (
        await rest(t.url, 'PATCH', `/identity-providers/${provider.id}`, {
          token: other.owner.token,
          body: { sso_required: true },
        })
      ).status,
    ).toBe(404);
    expect(
      (await rest(t.url, 'DELETE', `/identity-providers/${provider.id}`, { token: other.owner.token })).status,
    ).toBe(404);
    expect((await rest(t.url, 'GET', '/identity-providers', { token: other.owner.token })).body.items).toEqual([]);
    const gql = await gqlRaw(
      t.url,
      { query: `query($id: UUID!) { identityProvider(id: $id) { id } }`, variables: { id: provider.id } },
      other.owner.token,
    );
    expect(gql.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const update = await gqlRaw(
      t.url,
      {
        query: `mutation($id: UUID!) { updateIdentityProvider(id: $id, input: { ssoRequired: true }) { id } }`,
        variables: { id: provider.id },
      },
      other.owner.token,
    );
    expect(update.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const audit = await rest(t.url, 'GET', `/audit-events/?action=updateIdentityProvider&record_id=${provider.id}`, {
      token: org.owner.token,
    });
    expect(audit.body.items.map((e: any) => e.changed_fields)).toContainEqual(['clientSecret']);
  });
});

describe('sign-in through the provider', () => {
  test('authorization code with PKCE: a one-time code, exchanged once for the same tokens as a password sign-in', async () => {
    const { org, slug } = await configured();
    const email = account(`ada-${run}`, ['argus-oncall']);
    const start = await fetch(startUrl(slug), { redirect: 'manual' });
    expect(start.status).toBe(303);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    for (const p of ['state', 'nonce', 'code_challenge', 'redirect_uri'])
      expect(authorize.searchParams.get(p)).toBeTruthy();

    const result = await signInThroughProvider(startUrl(slug), `ada-${run}`);
    const code = result.complete!.searchParams.get('code')!;
    expect(result.complete!.searchParams.has('access_token')).toBe(false);
    const tokens = await exchange(code);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', user: { email, role: 'responder' } });
    expect(tokens.body.refresh_token).toMatch(/^rt_/);
    const me = await rest(t.url, 'GET', '/auth/me', { token: tokens.body.access_token });
    expect(me.body).toMatchObject({ email, role: 'responder', organization: { slug } });
    expect(me.body.organization_id).toBe(
      (await rest(t.url, 'GET', '/auth/me', { token: org.owner.token })).body.organization_id,
    );
    // The code works once.
    const again = await exchange(code);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('UNAUTHENTICATED');
    // Refresh rotation and reuse detection as for any session.
    const refreshed = await rest(t.url, 'POST', '/auth/refresh', {
      body: { refresh_token: tokens.body.refresh_token },
    });
    expect(refreshed.status).toBe(200);
    expect(
      (await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: tokens.body.refresh_token } })).status,
    ).toBe(401);
    // Through GraphQL too.
    const second = await signInThroughProvider(startUrl(slug), `ada-${run}`);
    const gql = await gqlRaw(t.url, {
      query: `mutation($c: String!) { exchangeSsoCode(input: { code: $c }) { accessToken user { email } } }`,
      variables: { c: second.complete!.searchParams.get('code') },
    });
    expect(gql.data.exchangeSsoCode.user.email).toBe(email);
    // The audit log has each callback and each exchange in the organization.
    const audit = await rest(t.url, 'GET', '/audit-events/?action=exchangeSsoCode', { token: org.owner.token });
    expect(audit.body.items.length).toBeGreaterThanOrEqual(2);
    const callbacks = await rest(t.url, 'GET', '/audit-events/?action=ssoSignIn', { token: org.owner.token });
    expect(callbacks.body.items.map((e: any) => [e.outcome, e.actor_id, e.record_type])).toEqual([
      ['success', tokens.body.user.id, 'User'],
      ['success', tokens.body.user.id, 'User'],
    ]);
  });

  test('sign-ins are forgotten a day after their request expired', async () => {
    const { slug } = await configured();
    const start = async () =>
      new URL((await fetch(startUrl(slug), { redirect: 'manual' })).headers.get('location')!).searchParams.get(
        'state',
      )!;
    const [old, fresh] = [await start(), await start()];
    const db = t.orm.em.fork().getConnection();
    const hash = (state: string) => createHash('sha256').update(state).digest('hex');
    await db.execute("update sso_logins set expires_at = now() - interval '25 hours' where state_hash = ?", [
      hash(old),
    ]);
    await t.app.services.sso.pruneExpired(t.orm.em.fork());
    const left = await db.execute<Array<{ state_hash: string }>>(
      'select state_hash from sso_logins where state_hash in (?, ?)',
      [hash(old), hash(fresh)],
    );
    expect(left.map((r) => r.state_hash)).toEqual([hash(fresh)]);
  });

  test('a code is good for 60 seconds', async () => {
    const { slug } = await configured();
    account(`late-${run}`);
    const result = await signInThroughProvider(startUrl(slug), `late-${run}`);
    clock.advance(61_000);
    const late = await exchange(result.complete!.searchParams.get('code')!);
    expect(late.status).toBe(401);
    for (const code of ['', 'sso_short', 'x'.repeat(300)]) {
      const bad = await exchange(code);
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.status).toBeLessThan(500);
    }
  });

  test('a wrong or replayed state, and a replayed provider code, are refused', async () => {
    const { slug } = await configured();
    account(`eve-${run}`);
    let callback: URL | undefined;
    const wrong = await signInThroughProvider(startUrl(slug), `eve-${run}`, {
      beforeCallback: (url) => {
        callback = new URL(url);
        const forged = new URL(url);
        forged.searchParams.set('state', 'A'.repeat(43));
        return forged;
      },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHENTICATED');
    expect(wrong.body.error.message).toMatch(/state/);
    // The real callback still works once, then its state and code are spent.
    const first = await fetch(callback!, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const replay = await fetch(callback!, { redirect: 'manual' });
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.code).toBe('UNAUTHENTICATED');
    // A browser is sent to the console with the error instead.
    const browser = await fetch(callback!, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toMatch(/^\/sso\/complete\?error=UNAUTHENTICATED&message=/);
  });

  test.each([
    ['a forged signature', (claims: Record<string, unknown>) => ({ claims, key: 'foreign' as const })],
    [
      'an expired ID token',
      (claims: Record<string, unknown>) => ({
        claims: { ...claims, exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 },
      }),
    ],
    ['another audience', (claims: Record<string, unknown>) => ({ claims: { ...claims, aud: 'another-client' } })],
    ['another issuer', (claims: Record<string, unknown>) => ({ claims: { ...claims, iss: 'https://evil.example' } })],
    ['another nonce', (claims: Record<string, unknown>) => ({ claims: { ...claims, nonce: 'not-the-nonce' } })],
  ])('%s is refused (401), nobody is signed in, and the attempt is audited', async (_name, tamper) => {
    const { org, slug } = await configured();
    const login = `mallory-${randomUUID().slice(0, 6)}`;
    const email = account(login);
    idp.tamper = tamper;
    const result = await signInThroughProvider(startUrl(slug), login);
    expect(result.complete).toBeUndefined();
    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe('UNAUTHENTICATED');
    expect(await t.orm.em.fork().getConnection().execute('select 1 from users where email = ?', [email])).toEqual([]);
    const audit = await rest(t.url, 'GET', '/audit-events/?action=ssoSignIn', { token: org.owner.token });
    expect(audit.body.items.map((e: any) => [e.outcome, e.error_code, e.actor_id])).toEqual([
      ['failure', 'UNAUTHENTICATED', null],
    ]);
  });

  test('an email domain the organization does not allow is refused (403)', async () => {
    const { slug } = await configured();
    accounts[`out-${run}`] = { email: `out-${run}@elsewhere.test`, email_verified: true };
    idp.setAccounts(accounts);
    const result = await signInThroughProvider(startUrl(slug), `out-${run}`);
    expect(result.status).toBe(403);
    expect(result.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('elsewhere.test') });
  });

  test('roles follow the groups at every sign-in; owners keep theirs', async () => {
    const { org, slug, provider } = await configured();
    const login = `grace-${run}`;
    account(login, ['argus-admins', 'argus-oncall']);
    const first = await signIn(slug, login);
    expect(first.user.role).toBe('admin');
    account(login, ['argus-oncall']);
    const second = await signIn(slug, login);
    expect(second.user.role).toBe('responder');
    // The earlier admin access token no longer carries admin rights.
    expect((await rest(t.url, 'GET', '/identity-providers', { token: first.access_token })).status).toBe(401);
    account(login, []);
    expect((await signIn(slug, login)).user.role).toBe('viewer');
    // The owner signing in through SSO stays owner whatever the groups say.
    await rest(t.url, 'PATCH', `/identity-providers/${provider.id}`, {
      token: org.owner.token,
      body: { allowed_domains: [domain, 'example.test'] },
    });
    accounts[`owner-${run}`] = { email: org.owner.email, email_verified: true, groups: [] };
    idp.setAccounts(accounts);
    expect((await signIn(slug, `owner-${run}`)).user.role).toBe('owner');
  });

  test('without just-in-time provisioning only existing users sign in; a disabled user cannot', async () => {
    const { org, slug } = await configured({ jit_provisioning: false });
    account(`nobody-${run}`);
    const refused = await signInThroughProvider(startUrl(slug), `nobody-${run}`);
    expect(refused.status).toBe(403);
    const invited = await rest(t.url, 'POST', '/users', {
      token: org.owner.token,
      body: { email: `member-${run}@${domain}`, name: 'Member', role: 'viewer' },
    });
    account(`member-${run}`);
    expect((await signIn(slug, `member-${run}`)).user.id).toBe(invited.body.user.id);
    expect(
      (
        await rest(t.url, 'PATCH', `/users/${invited.body.user.id}`, {
          token: org.owner.token,
          body: { disabled: true },
        })
      ).status,
    ).toBe(200);
    const disabled = await signInThroughProvider(startUrl(slug), `member-${run}`);
    expect(disabled.status).toBe(403);
    expect(disabled.body.error.message).toMatch(/disabled/);
  });

  test('"SSO required" refuses password sign-in and ends password sessions at their refresh, except for the break-glass owner; API tokens keep working', async () => {
    const { org, slug, provider } = await configured();
    const responder = await org.user('responder');
    const pat = await rest(t.url, 'POST', '/api-tokens', { token: responder.token, body: { name: 'script' } });
    const on = await rest(t.url, 'PATCH', `/identity-providers/${provider.id}`, {
      token: org.owner.token,
      body: { sso_required: true, break_glass_user_id: org.owner.id },
    });
    expect(on.status).toBe(200);
    expect(on.body.break_glass_user_id).toBe(org.owner.id);
    const passwordLogin = await rest(t.url, 'POST', '/auth/login', {
      body: { email: responder.email, password: PASSWORD },
    });
    expect(passwordLogin.status).toBe(403);
    expect(passwordLogin.body.error).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/single sign-on/),
    });
    const wrongPassword = await rest(t.url, 'POST', '/auth/login', {
      body: { email: responder.email, password: 'not the password' },
    });
    expect(wrongPassword.status).toBe(401);
    expect(
      (await rest(t.url, 'POST', '/auth/login', { body: { email: org.owner.email, password: PASSWORD } })).status,
    ).toBe(200);
    expect((await rest(t.url, 'GET', '/incidents', { token: pat.body.token })).status).toBe(200);
    // A session begun with a password ends at its next refresh; the break-glass owner's goes on.
    const refused = await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: responder.refreshToken } });
    expect([refused.status, refused.body.error.message]).toEqual([401, expect.stringMatching(/single sign-on/)]);
    expect(
      (await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: org.owner.refreshToken } })).status,
    ).toBe(200);
    // A session begun through the provider refreshes as usual.
    account(`sso-${run}`);
    const viaSso = await signIn(slug, `sso-${run}`);
    expect(viaSso.user.role).toBe('viewer');
    expect((await rest(t.url, 'POST', '/auth/refresh', { body: { refresh_token: viaSso.refresh_token } })).status).toBe(
      200,
    );
  });

  test('tenancy: a sign-in never lands in another organization', async () => {
    const a = await configured();
    const b = await seedOrg(t.url);
    // An account of organization B whose email the provider of A vouches for.
    const bUser = await b.user('responder');
    accounts[`cross-${run}`] = { email: bUser.email, email_verified: true };
    idp.setAccounts(accounts);
    await rest(t.url, 'PATCH', `/identity-providers/${a.provider.id}`, {
      token: a.org.owner.token,
      body: { allowed_domains: [] },
    });
    const result = await signInThroughProvider(startUrl(a.slug), `cross-${run}`);
    expect(result.status).toBe(403);
    expect(result.body.error.message).toMatch(/another organization/);
    // Starting with an unknown slug, or one without a provider, is a 404.
    expect((await fetch(startUrl(`no-such-${run}`), { redirect: 'manual' })).status).toBe(404);
    const bSlug = (await rest(t.url, 'GET', '/auth/me', { token: b.owner.token })).body.organization.slug;
    expect((await fetch(startUrl(bSlug), { redirect: 'manual' })).status).toBe(404);
  });

  test('a malformed Host header is a 400, not a callback address', async () => {
    const { slug } = await configured();
    const port = new URL(t.url).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: `/api/v1/auth/sso/${slug}/start`, headers: { host: 'bad host:1' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });

  test('the email-domain lookup names the one organization whose provider allows the domain', async () => {
    const own = `lookup-${run}.test`;
    const { slug } = await configured({ allowed_domains: [own] });
    const found = await rest(t.url, 'GET', `/auth/sso/discover?email=someone@${own}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ slug, start_path: `/api/v1/auth/sso/${slug}/start` });
    expect((await rest(t.url, 'GET', '/auth/sso/discover?email=someone@unknown-domain.test')).status).toBe(404);
    // A domain two organizations allow names neither.
    expect((await rest(t.url, 'GET', `/auth/sso/discover?email=someone@${domain}`)).status).toBe(404);
    expect((await rest(t.url, 'GET', '/auth/sso/discover?email=not-an-email')).status).toBe(400);
  });
});
