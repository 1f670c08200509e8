import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, gqlRaw, rest } from '../support/client';
import { seedOrg, SeedOrg } from '../support/seed';
import { CreateIncidentDocument, IncidentDocument } from '../support/generated/graphql';

let t: TestApp;
let org: SeedOrg;
beforeAll(async () => {
  t = await startTestApp();
  org = await seedOrg(t.url);
});
afterAll(() => t.close());

const noInternals = (body: unknown) =>
  expect(JSON.stringify(body)).not.toMatch(/select |insert |update "|violates|stack|at .*\.ts:/i);

describe('REST errors', () => {
  it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
    const res = await rest(t.url, 'POST', '/incidents', { token: org.owner.token, raw: '{"title": ' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/JSON/) });
  });

  it('answers a body that is not an object with 400', async () => {
    const res = await rest(t.url, 'POST', '/incidents', { token: org.owner.token, raw: '[1,2]' });
    expect(res.status).toBe(400);
  });

  it('answers an unknown field with 400 naming it', async () => {
    const res = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'x', severity: 'P2', organization_id: 'x' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'organization_id', message: 'is not a known field' }]);
  });

  it('answers a bad enum value with the documented message', async () => {
    const res = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'x', severity: 'P9' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'severity must be one of P1, P2, P3, P4',
        details: [{ field: 'severity', message: 'must be one of P1, P2, P3, P4' }],
      },
    });
  });

  it('answers wrong types with 400', async () => {
    const res = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 42, severity: 'P2', tags: 'not-a-list' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers a malformed UUID with 400 before any SQL runs', async () => {
    for (const path of ['/incidents/not-a-uuid', '/teams/1234', "/services/'%3B%20drop%20table%20users%3B--"]) {
      const res = await rest(t.url, 'GET', path, { token: org.owner.token });
      expect([path, res.status]).toEqual([path, 400]);
      noInternals(res.body);
    }
    const ref = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'x', severity: 'P2', service_id: 'nope' },
    });
    expect(ref.status).toBe(400);
    expect(ref.body.error.details[0].field).toBe('service_id');
  });

  it('answers an out-of-range or non-numeric limit with 400', async () => {
    for (const limit of ['0', '101', 'abc', '1.5']) {
      const res = await rest(t.url, 'GET', `/incidents?limit=${limit}`, { token: org.owner.token });
      expect([limit, res.status]).toEqual([limit, 400]);
      expect(res.body.error.details[0].field).toBe('limit');
    }
  });

  it('answers an unknown query parameter or a bad cursor with 400', async () => {
    expect((await rest(t.url, 'GET', '/incidents?colour=red', { token: org.owner.token })).status).toBe(400);
    expect((await rest(t.url, 'GET', '/incidents?cursor=garbage', { token: org.owner.token })).status).toBe(400);
  });

  it("answers a missing token with 401 and a viewer's write with 403", async () => {
    expect((await rest(t.url, 'GET', '/incidents')).status).toBe(401);
    const viewer = await org.user('viewer');
    const res = await rest(t.url, 'POST', '/incidents', { token: viewer.token, body: { title: 'x', severity: 'P2' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('answers an unknown path with 404 and a wrong method with 405', async () => {
    const unknown = await rest(t.url, 'GET', '/nothing-here', { token: org.owner.token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const wrong = await rest(t.url, 'PUT', '/incidents', { token: org.owner.token, body: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('POST');
  });

  it("does not expose SOFA's subscription webhook route", async () => {
    const res = await rest(t.url, 'POST', '/webhook', {
      body: { subscription: 'subscription { x }', url: 'http://169.254.169.254/' },
    });
    expect(res.status).toBe(404);
  });

  it('answers a duplicate name with 409', async () => {
    await org.team({ name: 'Unique team' });
    const res = await rest(t.url, 'POST', '/teams', { token: org.owner.token, body: { name: 'Unique team' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
    noInternals(res.body);
  });

  it('answers a body over 1 MiB with 413 and writes nothing', async () => {
    const before = (await rest(t.url, 'GET', '/incidents', { token: org.owner.token })).body.total;
    const res = await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'big', severity: 'P3', description: 'x'.repeat(1_100_000) },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await rest(t.url, 'GET', '/incidents', { token: org.owner.token })).body.total).toBe(before);
  });

  it('writes nothing when validation fails', async () => {
    const before = (await rest(t.url, 'GET', '/incidents', { token: org.owner.token })).body.total;
    await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'x', severity: 'P2', started_at: '2999-01-01T00:00:00Z' },
    });
    await rest(t.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'x', severity: 'P2', service_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect((await rest(t.url, 'GET', '/incidents', { token: org.owner.token })).body.total).toBe(before);
  });
});

describe('GraphQL errors', () => {
  it('answers malformed JSON and oversize bodies with the documented codes', async () => {
    const bad = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].extensions.code).toBe('VALIDATION_FAILED');
    const big = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, pad: 'x'.repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    expect((await big.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers syntax errors, unknown fields and bad enums with VALIDATION_FAILED', async () => {
    expect(errorCode(await gqlRaw(t.url, { query: '{ incidents(limit: 2 { total } }' }, org.owner.token))).toBe(
      'VALIDATION_FAILED',
    );
    expect(errorCode(await gqlRaw(t.url, { query: '{ incidents { nope } }' }, org.owner.token))).toBe(
      'VALIDATION_FAILED',
    );
    const badEnum = await gqlRaw(
      t.url,
      { query: 'mutation { createIncident(input: {title: "t", severity: P9}) { id } }' },
      org.owner.token,
    );
    expect(errorCode(badEnum)).toBe('VALIDATION_FAILED');
    expect(badEnum.errors![0].message).toContain('must be one of P1, P2, P3, P4');
    const unknownInput = await gql(
      t.url,
      CreateIncidentDocument,
      { input: { title: 't', severity: 'P2', bogus: 1 } as never },
      org.owner.token,
    );
    expect(unknownInput.errors![0].extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'bogus' }],
    });
  });

  it('answers a bad id with VALIDATION_FAILED and an unknown one with NOT_FOUND', async () => {
    const bad = await gql(t.url, IncidentDocument, { id: 'zzz' }, org.owner.token);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'id' }] });
    expect(bad.status).toBe(400);
    expect(errorCode(await gql(t.url, IncidentDocument, { id: 'INC-4242' }, org.owner.token))).toBe('NOT_FOUND');
  });

  it('answers class-validator failures with field details', async () => {
    const res = await gql(t.url, CreateIncidentDocument, { input: { title: '', severity: 'P2' } }, org.owner.token);
    expect(res.errors![0].extensions).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'title' }] });
  });

  it('answers without a token with UNAUTHENTICATED and never leaks internals', async () => {
    const res = await gqlRaw(t.url, { query: '{ incidents { total } }' });
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    noInternals(res);
  });
});
