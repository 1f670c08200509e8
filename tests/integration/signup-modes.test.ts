import { randomUUID } from 'node:crypto';
import { ensureDatabase } from '../../src/db/embedded-postgres';
import { TestApp, startTestApp } from '../support/app';
import { TEST_DATABASE_ENV, resetSchema } from '../support/database';
import { gqlRaw, rest } from '../support/client';
import { PASSWORD, seedOrg } from '../support/seed';

/**
 * ARGUS_SIGNUP: `open` lets anyone create an organization; `invite` only the first owner (bootstrap), then people join
 * by invitation; `closed` only the first owner, and no invitation is issued or accepted. Both surfaces.
 */
const signupBody = () => ({
  email: `s-${randomUUID().slice(0, 8)}@example.test`,
  password: PASSWORD,
  name: 'S',
  organization_name: `Org ${randomUUID().slice(0, 6)}`,
});
const signupGraphql = (app: TestApp) => {
  const b = signupBody();
  return gqlRaw(app.url, {
    query: `mutation { signup(input: { email: "${b.email}", password: "${b.password}", name: "S", organizationName: "${b.organization_name}" }) { status } }`,
  });
};

describe('on an installation with organizations', () => {
  let open: TestApp;
  let invite: TestApp;
  let closed: TestApp;
  beforeAll(async () => {
    [open, invite, closed] = await Promise.all([
      startTestApp(),
      startTestApp({ ARGUS_SIGNUP: 'invite' }),
      startTestApp({ ARGUS_SIGNUP: 'closed' }),
    ]);
    await seedOrg(open.url);
  });
  afterAll(async () => {
    await Promise.all([open.close(), invite.close(), closed.close()]);
  });

  it('open: anyone signs up', async () => {
    expect((await rest(open.url, 'POST', '/auth/signup', { body: signupBody() })).status).toBe(202);
    const graphql = await signupGraphql(open);
    expect(graphql.errors).toBeUndefined();
    expect(graphql.data.signup.status).toBe('accepted');
  });

  it.each([['invite'], ['closed']])('%s: sign-up is refused with 403 on both surfaces', async (mode) => {
    const app = mode === 'invite' ? invite : closed;
    const res = await rest(app.url, 'POST', '/auth/signup', { body: signupBody() });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await signupGraphql(app)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('invite: an admin invites and the invited person joins; closed: neither', async () => {
    const org = await seedOrg(open.url);
    const email = `inv-${randomUUID().slice(0, 8)}@example.test`;
    const invited = await rest(invite.url, 'POST', '/users/', {
      token: org.owner.token,
      body: { email, name: 'I', role: 'viewer' },
    });
    expect(invited.status).toBe(201);
    const refusedAccept = await rest(closed.url, 'POST', '/auth/accept-invitation', {
      body: { invitation_token: invited.body.invitation_token, password: PASSWORD },
    });
    expect(refusedAccept.status).toBe(403);
    const accepted = await rest(invite.url, 'POST', '/auth/accept-invitation', {
      body: { invitation_token: invited.body.invitation_token, password: PASSWORD },
    });
    expect(accepted.status).toBe(200);
    const refusedInvite = await rest(closed.url, 'POST', '/users/', {
      token: org.owner.token,
      body: { email: `x-${email}`, name: 'X', role: 'viewer' },
    });
    expect(refusedInvite.status).toBe(403);
  });
});

describe('on an empty installation', () => {
  let app: TestApp;
  const shared = process.env[TEST_DATABASE_ENV]!;
  beforeAll(async () => {
    const url = new URL(shared);
    const name = `${url.pathname.slice(1)}_signup`;
    const admin = new URL(shared);
    admin.pathname = '/postgres';
    await ensureDatabase(admin.toString(), name);
    url.pathname = `/${name}`;
    await resetSchema(url.toString());
    process.env[TEST_DATABASE_ENV] = url.toString();
    try {
      app = await startTestApp({ ARGUS_SIGNUP: 'closed' });
    } finally {
      process.env[TEST_DATABASE_ENV] = shared;
    }
  });
  afterAll(() => app.close());

  it('closed: the first owner bootstraps it, once, even when two try at the same time', async () => {
    const bodies = [signupBody(), signupBody()];
    const answers = await Promise.all(bodies.map((body) => rest(app.url, 'POST', '/auth/signup', { body })));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 403]);
    const first = bodies[answers.findIndex((a) => a.status === 202)];
    const owner = await rest(app.url, 'POST', '/auth/login', {
      body: { email: first.email, password: first.password },
    });
    expect(owner.body.user.role).toBe('owner');
    expect((await rest(app.url, 'POST', '/auth/signup', { body: signupBody() })).status).toBe(403);
  });
});
