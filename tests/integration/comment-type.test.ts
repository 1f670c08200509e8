import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';

/**
 * A comment may name its own type (`"type": "comment"`, as reads list it); any other type is refused naming the field,
 * on both surfaces: those entries are written by Argus itself.
 */
let t: TestApp;
let org: SeedOrg;
let incidentKey: string;
beforeAll(async () => {
  t = await startTestApp();
  org = await seedOrg(t.url);
  incidentKey = (await org.incident()).key;
});
afterAll(() => t.close());

const OTHER_TYPES = [
  'created',
  'updated',
  'status_changed',
  'severity_changed',
  'assigned',
  'alert',
  'problem_linked',
  'problem_unlinked',
  'sla_breached',
];

interface Outcome {
  ok: boolean;
  type?: string;
  code?: string;
  field?: string;
  message?: string;
}

const SURFACES: Array<{ name: string; create(type: unknown): Promise<Outcome> }> = [
  {
    name: 'REST',
    async create(type) {
      const body: Record<string, unknown> = { incident_id: incidentKey, message: 'Rolled back' };
      if (type !== undefined) body.type = type;
      const res = await rest(t.url, 'POST', '/incident-events', { token: org.owner.token, body });
      if (res.status === 201) return { ok: true, type: res.body.type };
      expect(res.status).toBe(400);
      return {
        ok: false,
        code: res.body.error.code,
        field: res.body.error.details?.[0]?.field,
        message: res.body.error.message,
      };
    },
  },
  {
    name: 'GraphQL',
    async create(type) {
      const input: Record<string, unknown> = { incidentId: incidentKey, message: 'Rolled back' };
      if (type !== undefined) input.type = type;
      const res = await gqlRaw(
        t.url,
        {
          query: 'mutation ($input: CreateIncidentEventInput!) { createIncidentEvent(input: $input) { type } }',
          variables: { input },
        },
        org.owner.token,
      );
      if (!res.errors) return { ok: true, type: res.data.createIncidentEvent.type };
      const error = res.errors[0];
      return {
        ok: false,
        code: error.extensions?.code,
        field: error.extensions?.details?.[0]?.field?.split('.').pop(),
        message: error.message,
      };
    },
  },
];

describe.each(SURFACES)('creating a timeline entry through $name', (surface) => {
  it.each([['comment'], [undefined]])('accepts type %p and writes a comment', async (type) => {
    expect(await surface.create(type)).toEqual({ ok: true, type: 'comment' });
  });

  it.each(OTHER_TYPES)('refuses type %s, naming the field and saying why', async (type) => {
    const outcome = await surface.create(type);
    expect(outcome).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field: 'type' });
    expect(outcome.message).toContain('must be comment');
    expect(outcome.message).toContain(`a ${type} entry is written by Argus itself`);
  });

  it.each([['note'], ['COMMENT'], [7], [['comment']], [null]])(
    'refuses the value %p, naming the field',
    async (type) => {
      expect(await surface.create(type)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field: 'type' });
    },
  );
});

it('takes an entry as a read lists it back as a new comment', async () => {
  const first = await rest(t.url, 'POST', '/incident-events', {
    token: org.owner.token,
    body: { incident_id: incidentKey, message: 'Paged the database team' },
  });
  const { incident_id, type, message } = first.body;
  const again = await rest(t.url, 'POST', '/incident-events', {
    token: org.owner.token,
    body: { incident_id, type, message },
  });
  expect(again.status).toBe(201);
  expect(again.body).toMatchObject({ type: 'comment', message: 'Paged the database team', incident_id });
});
