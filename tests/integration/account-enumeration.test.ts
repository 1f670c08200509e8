import { randomInt, randomUUID } from 'node:crypto';
import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { PASSWORD, SeedOrg, seedOrg } from '../support/seed';

/**
 * Sign-up and invitations do not tell a caller whether an email has an account (SECURITY.md, docs/DECISIONS.md): the
 * answer for an email with an account is the answer for a new one, in status, body keys and error code, on REST and
 * GraphQL. Only a password check, throttled like every sign-in, can tell.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const newEmail = () => `fresh-${randomUUID().slice(0, 8)}@example.test`;
const fromAddress = () => ({ 'x-forwarded-for': `203.0.${randomInt(0, 255)}.${randomInt(1, 255)}` });

/** The shape of an answer: every key path, array items folded into `[]`; values are left out. */
function shape(value: unknown, path = ''): string[] {
  if (Array.isArray(value))
    return [`${path}[]`, ...value.flatMap((v) => shape(v, `${path}[]`))]
      .filter((p, i, all) => all.indexOf(p) === i)
      .sort();
  if (value && typeof value === 'object')
    return Object.entries(value)
      .flatMap(([k, v]) => [`${path}.${k}`, ...shape(v, `${path}.${k}`)])
      .sort();
  return [];
}

interface Answer {
  status: number;
  shape: string[];
  code: string | null;
  /** Everything but ids and tokens, which differ between any two answers. */
  text: string;
}

const restAnswer = (res: { status: number; body: unknown }): Answer => ({
  status: res.status,
  shape: shape(res.body),
  code: (res.body as { error?: { code: string } } | undefined)?.error?.code ?? null,
  text: JSON.stringify(res.body ?? null).replace(/[0-9a-f-]{36}|inv_[\w-]+|"20\d\d-[^"]+"/g, '…'),
});
const gqlAnswer = (res: {
  status: number;
  data?: unknown;
  errors?: Array<{ extensions?: { code?: string } }>;
}): Answer => ({
  status: res.status,
  shape: shape({ data: res.data ?? null, errors: res.errors ?? null }),
  code: res.errors?.[0]?.extensions?.code ?? null,
  text: JSON.stringify({ data: res.data ?? null, errors: res.errors ?? null }).replace(
    /[0-9a-f-]{36}|inv_[\w-]+|"20\d\d-[^"]+"/g,
    '…',
  ),
});

interface Surface {
  name: string;
  signup(body: { email: string; password: string; name: string; organization_name: string }): Promise<Answer>;
  invite(token: string, body: { email: string; name: string; role: string }): Promise<Answer>;
}

const SURFACES: Surface[] = [
  {
    name: 'REST',
    signup: async (body) => restAnswer(await rest(t.url, 'POST', '/auth/signup', { body, headers: fromAddress() })),
    invite: async (token, body) => restAnswer(await rest(t.url, 'POST', '/users', { token, body })),
  },
  {
    name: 'GraphQL',
    signup: async (b) =>
      gqlAnswer(
        await gqlRaw(t.url, {
          query: 'mutation ($input: SignupInput!) { signup(input: $input) { status message } }',
          variables: {
            input: { email: b.email, password: b.password, name: b.name, organizationName: b.organization_name },
          },
        }),
      ),
    invite: async (token, b) =>
      gqlAnswer(
        await gqlRaw(
          t.url,
          {
            query:
              'mutation ($input: InviteUserInput!) { createUser(input: $input) { invitationToken expiresAt user { id email name role active } } }',
            variables: { input: b },
          },
          token,
        ),
      ),
  },
];

/** An email in each state a caller might want to learn. */
type EmailState =
  | 'new'
  | 'account elsewhere'
  | 'account elsewhere, other case'
  | 'pending invitation elsewhere'
  | 'account and pending invitations';
const STATES: EmailState[] = [
  'new',
  'account elsewhere',
  'account elsewhere, other case',
  'pending invitation elsewhere',
  'account and pending invitations',
];

let elsewhere: SeedOrg;
beforeAll(async () => {
  elsewhere = await seedOrg(t.url);
});

async function emailIn(state: EmailState): Promise<string> {
  if (state === 'new') return newEmail();
  if (state === 'account elsewhere') return elsewhere.owner.email;
  if (state === 'account elsewhere, other case') return elsewhere.owner.email.toUpperCase();
  const email = state === 'pending invitation elsewhere' ? newEmail() : (await elsewhere.user('viewer')).email;
  const other = await seedOrg(t.url);
  const invited = await rest(t.url, 'POST', '/users', {
    token: other.owner.token,
    body: { email, name: 'Pending', role: 'viewer' },
  });
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  return email;
}

describe.each(SURFACES)('sign-up through $name', (surface) => {
  const body = (email: string, password = PASSWORD) => ({
    email,
    password,
    name: 'Mallory',
    organization_name: `Probe ${randomUUID().slice(0, 6)}`,
  });

  it.each(STATES.filter((s) => s !== 'new'))('answers an email with %s exactly like a new email', async (state) => {
    const baseline = await surface.signup(body(newEmail()));
    expect(baseline.status).toBe(surface.name === 'REST' ? 202 : 200);
    expect(baseline.code).toBeNull();
    const probe = await surface.signup(body(await emailIn(state)));
    expect(probe).toEqual(baseline);
  });

  it.each(STATES)(
    'answers invalid input for an email with state "%s" with the same validation error',
    async (state) => {
      const baseline = await surface.signup(body(newEmail(), 'short'));
      expect(baseline.code).toBe('VALIDATION_FAILED');
      expect(await surface.signup(body(await emailIn(state), 'short'))).toEqual(baseline);
    },
  );

  it('leaves the existing account as it was: its password signs in, the prober’s does not, and no second organization was made for it', async () => {
    const victim = await seedOrg(t.url);
    await surface.signup(body(victim.owner.email, 'mallory password 1'));
    const headers = fromAddress();
    expect(
      (
        await rest(t.url, 'POST', '/auth/login', {
          headers,
          body: { email: victim.owner.email, password: 'mallory password 1' },
        })
      ).status,
    ).toBe(401);
    const owner = await rest(t.url, 'POST', '/auth/login', {
      headers,
      body: { email: victim.owner.email, password: PASSWORD },
    });
    expect(owner.status).toBe(200);
    expect(owner.body.user.id).toBe(victim.owner.id);
    const users = await rest(t.url, 'GET', '/users', { token: owner.body.access_token });
    expect(users.body.items.map((u: { id: string }) => u.id)).toEqual([victim.owner.id]);
  });
});

describe.each(SURFACES)('invitations through $name', (surface) => {
  it.each(STATES.filter((s) => s !== 'new'))(
    'answers an invitation to an email with %s exactly like one to a new email',
    async (state) => {
      const inviter = await seedOrg(t.url);
      const baseline = await surface.invite(inviter.owner.token, { email: newEmail(), name: 'Sam', role: 'viewer' });
      expect(baseline.status).toBe(surface.name === 'REST' ? 201 : 200);
      expect(baseline.code).toBeNull();
      const email = await emailIn(state);
      const probe = await surface.invite(inviter.owner.token, { email, name: 'Sam', role: 'viewer' });
      expect({ ...probe, text: probe.text.replace(email.toLowerCase(), '@') }).toEqual({
        ...baseline,
        text: baseline.text.replace(/fresh-[0-9a-f]{8}@example\.test/, '@'),
      });
    },
  );

  it('refuses a second invitation to a user of the inviter’s own organization (409: the inviter can list them anyway)', async () => {
    const inviter = await seedOrg(t.url);
    const member = await inviter.user('viewer');
    const again = await surface.invite(inviter.owner.token, { email: member.email, name: 'Again', role: 'viewer' });
    expect(again.code).toBe('CONFLICT');
  });
});

describe('accepting an invitation', () => {
  const accept = (token: string, password = PASSWORD, headers = fromAddress()) =>
    rest(t.url, 'POST', '/auth/accept-invitation', { headers, body: { invitation_token: token, password } });

  it('refuses an invitation to an email that has an account exactly like an invalid one, and leaves the account where it is', async () => {
    const inviter = await seedOrg(t.url);
    const victim = await seedOrg(t.url);
    const invited = await rest(t.url, 'POST', '/users', {
      token: inviter.owner.token,
      body: { email: victim.owner.email, name: 'V', role: 'admin' },
    });
    expect(invited.status).toBe(201);
    const refused = await accept(invited.body.invitation_token, 'inviter chosen password');
    const bogus = await accept(`inv_${randomUUID()}`);
    expect(restAnswer(refused)).toEqual(restAnswer(bogus));
    expect(refused.status).toBe(401);
    const own = await rest(t.url, 'POST', '/auth/login', {
      headers: fromAddress(),
      body: { email: victim.owner.email, password: PASSWORD },
    });
    expect(own.status).toBe(200);
    expect(own.body.user).toMatchObject({ id: victim.owner.id, role: 'owner' });
    expect(
      (
        await rest(t.url, 'POST', '/auth/login', {
          headers: fromAddress(),
          body: { email: victim.owner.email, password: 'inviter chosen password' },
        })
      ).status,
    ).toBe(401);
  });

  it('counts such refusals as failed sign-ins from the address, so probing by accepting is throttled', async () => {
    const victim = await seedOrg(t.url);
    const tokens: string[] = [];
    for (let i = 0; i < 7; i++) {
      // One taken email, invited in turn by fresh organizations: each invitation is refused when accepted.
      const other = await seedOrg(t.url);
      const invited = await rest(t.url, 'POST', '/users', {
        token: other.owner.token,
        body: { email: victim.owner.email, name: 'V', role: 'viewer' },
      });
      expect(invited.status).toBe(201);
      tokens.push(invited.body.invitation_token);
    }
    const headers = fromAddress();
    const statuses: number[] = [];
    for (const token of tokens) statuses.push((await accept(token, PASSWORD, headers)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toContain(429);
  });

  it('lets the first of two organizations’ invitations to a new email be accepted, and refuses the second like an invalid one', async () => {
    const email = newEmail();
    const [a, b] = await Promise.all([seedOrg(t.url), seedOrg(t.url)]);
    const fromA = await rest(t.url, 'POST', '/users', {
      token: a.owner.token,
      body: { email, name: 'N', role: 'responder' },
    });
    const fromB = await rest(t.url, 'POST', '/users', {
      token: b.owner.token,
      body: { email, name: 'N', role: 'responder' },
    });
    expect([fromA.status, fromB.status]).toEqual([201, 201]);
    const first = await accept(fromA.body.invitation_token);
    expect(first.status).toBe(200);
    expect(first.body.user.id).toBe(fromA.body.user.id);
    expect((await accept(fromB.body.invitation_token)).status).toBe(401);
    const signedIn = await rest(t.url, 'POST', '/auth/login', {
      headers: fromAddress(),
      body: { email, password: PASSWORD },
    });
    expect(signedIn.body.user.id).toBe(fromA.body.user.id);
  });
});
