import { ManualClock } from '../../src/core/clock';
import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { SearchIncidentsDocument } from '../support/generated/graphql';

// A Saturday; "last monday" is 2026-11-23.
const NOW = '2026-11-28T10:00:00.000Z';
const clock = new ManualClock(new Date(NOW));
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({}, { clock });
});

afterAll(async () => {
  await t.close();
});

const search = (org: SeedOrg, q: string, token = org.owner.token, extra = '') =>
  rest(t.url, 'GET', `/search?q=${encodeURIComponent(q)}${extra}`, { token });

const keys = (res: { body: { results: Array<{ key: string }> } }) => res.body.results.map((r) => r.key).sort();

/** Fixture incidents are created now and then moved in time, as if they had been recorded then. */
async function createdAt(incident: { id: string }, at: string): Promise<void> {
  await t.orm.em.getConnection().execute('update incidents set created_at = ? where id = ?', [at, incident.id]);
}

describe('GET /search', () => {
  it('answers the understood filters and the incidents as REST shows them, with a score', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service({ name: 'Payments' });
    const match = await org.incident({ title: 'Card authorisations failing', severity: 'P1', service_id: service.id });
    await org.incident({ title: 'Card authorisations failing', severity: 'P3', service_id: service.id });
    const res = await search(org, 'open P1 payments incidents since last monday');
    expect(res.status).toBe(200);
    expect(res.body.understood).toEqual({
      severities: ['P1'],
      statuses: ['open'],
      service_ids: [service.id],
      team_ids: [],
      assignee_id: null,
      unassigned: false,
      created_after: '2026-11-23T00:00:00.000Z',
      created_before: null,
      text: '',
    });
    expect(res.body.total).toBe(1);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0]).toMatchObject({
      id: match.id,
      key: match.key,
      severity: 'P1',
      service_id: service.id,
      score: 1,
    });
    expect(res.body.results[0]).not.toHaveProperty('service');
    expect(Object.keys(res.body.results[0])).toEqual(expect.arrayContaining(Object.keys(match)));
  });

  it('filters by severity, status, service and team names', async () => {
    const org = await seedOrg(t.url);
    const team = await org.team({ name: 'Storage crew' });
    const db = await org.service({ name: 'Primary database', team_id: team.id });
    const cdn = await org.service({ name: 'CDN' });
    const p1 = await org.incident({ title: 'Replication stopped', severity: 'P1', service_id: db.id });
    const p3 = await org.incident({ title: 'Replication slow', severity: 'P3', service_id: db.id });
    const edge = await org.incident({ title: 'Edge cache misses', severity: 'P3', service_id: cdn.id });
    await rest(t.url, 'PATCH', `/incidents/${p3.id}`, { token: org.owner.token, body: { status: 'resolved' } });
    expect(keys(await search(org, 'sev1'))).toEqual([p1.key]);
    expect(keys(await search(org, 'resolved'))).toEqual([p3.key]);
    expect(keys(await search(org, 'primary database'))).toEqual([p1.key, p3.key].sort());
    expect(keys(await search(org, 'cdn service'))).toEqual([edge.key]);
    const byTeam = await search(org, 'storage crew team');
    expect(byTeam.body.understood.team_ids).toEqual([team.id]);
    expect(keys(byTeam)).toEqual([p1.key, p3.key].sort());
    expect(keys(await search(org, 'P3 open'))).toEqual([edge.key]);
  });

  it('reads "assigned to me" for the caller and "unassigned"', async () => {
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    const mine = await org.incident({ title: 'Queue backlog', assignee_id: responder.id });
    const theirs = await org.incident({ title: 'Queue backlog', assignee_id: org.owner.id });
    const nobody = await org.incident({ title: 'Queue backlog' });
    const res = await search(org, 'queue backlog assigned to me', responder.token);
    expect(res.body.understood).toMatchObject({ assignee_id: responder.id, text: 'queue backlog' });
    expect(keys(res)).toEqual([mine.key]);
    expect(keys(await search(org, 'assigned to me'))).toEqual([theirs.key]);
    expect(keys(await search(org, 'unassigned'))).toEqual([nobody.key]);
  });

  it('reads dates against the server clock', async () => {
    const org = await seedOrg(t.url);
    const yesterday = await org.incident({ title: 'Login errors' });
    const tuesday = await org.incident({ title: 'Login errors' });
    const march = await org.incident({ title: 'Login errors' });
    const old = await org.incident({ title: 'Login errors' });
    await createdAt(yesterday, '2026-11-27T15:00:00Z');
    await createdAt(tuesday, '2026-11-24T08:00:00Z');
    await createdAt(march, '2026-03-15T12:00:00Z');
    await createdAt(old, '2025-12-01T12:00:00Z');
    expect(keys(await search(org, 'login errors yesterday'))).toEqual([yesterday.key]);
    expect(keys(await search(org, 'login errors since last monday'))).toEqual([yesterday.key, tuesday.key].sort());
    expect(keys(await search(org, 'login errors in March'))).toEqual([march.key]);
    expect(keys(await search(org, 'login errors before 2026-01-01'))).toEqual([old.key]);
    clock.set('2026-12-02T10:00:00Z');
    try {
      // Now "last monday" is 2026-11-30: nothing since.
      const later = await search(org, 'login errors since last monday');
      expect(later.body.understood.created_after).toBe('2026-11-30T00:00:00.000Z');
      expect(keys(later)).toEqual([]);
    } finally {
      clock.set(NOW);
    }
  });

  it('ranks by the rest of the text, best first', async () => {
    const org = await seedOrg(t.url);
    const both = await org.incident({
      title: 'Checkout timeout on card payments',
      description: 'Checkout requests time out',
    });
    const one = await org.incident({ title: 'Slow dashboard', description: 'Unrelated, but mentions checkout once' });
    await org.incident({ title: 'Disk full on build agents' });
    const res = await search(org, 'checkout timeouts');
    expect(res.body.understood.text).toBe('checkout timeouts');
    expect(res.body.results.map((r: { key: string }) => r.key)).toEqual([both.key, one.key]);
    expect(res.body.results[0].score).toBeGreaterThan(res.body.results[1].score);
    expect(res.body.total).toBe(2);
    const limited = await search(org, 'checkout timeouts', org.owner.token, '&limit=1');
    expect(limited.body.results.map((r: { key: string }) => r.key)).toEqual([both.key]);
    expect(limited.body.total).toBe(2);
  });

  it('ranks the text by meaning as well as by its words: synonyms from the lexicon, below the words themselves', async () => {
    const org = await seedOrg(t.url);
    const words = await org.incident({ title: 'DB slow for the reporting jobs', description: 'db queries slow' });
    const meaning = await org.incident({
      title: 'Elevated latency on the primary database',
      description: 'Queries take several seconds',
    });
    await org.incident({ title: 'Certificate expired on the status page' });
    const res = await search(org, 'db slow');
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { key: string }) => r.key)).toEqual([words.key, meaning.key]);
    expect(res.body.results[0].score).toBeGreaterThan(res.body.results[1].score);
    expect(res.body.total).toBe(2);
    const synonymsOnly = await search(org, 'postgres outage latency');
    expect(synonymsOnly.body.results.map((r: { key: string }) => r.key)).toEqual([meaning.key, words.key]);
  });

  it("never shows or understands another organization's records", async () => {
    const org = await seedOrg(t.url);
    const other = await seedOrg(t.url);
    const otherService = await other.service({ name: 'Warehouse' });
    await other.incident({ title: 'Warehouse sync failing', severity: 'P1', service_id: otherService.id });
    const own = await org.incident({ title: 'Warehouse sync failing', severity: 'P1' });
    const res = await search(org, 'P1 warehouse sync');
    expect(res.body.understood.service_ids).toEqual([]);
    expect(res.body.results.map((r: { id: string }) => r.id)).toEqual([own.id]);
    expect(res.body.total).toBe(1);
  });

  it('answers the same through GraphQL', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service({ name: 'Payments' });
    const incident = await org.incident({ title: 'Refunds stuck', severity: 'P2', service_id: service.id });
    const res = await gql(t.url, SearchIncidentsDocument, { q: 'P2 payments refunds' }, org.owner.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.searchIncidents.understood).toMatchObject({
      severities: ['P2'],
      serviceIds: [service.id],
      text: 'refunds',
    });
    expect(res.data?.searchIncidents.results).toEqual([
      expect.objectContaining({
        id: incident.id,
        key: incident.key,
        serviceId: service.id,
        service: { name: 'Payments' },
      }),
    ]);
    expect(res.data?.searchIncidents.results[0].score).toBeGreaterThan(0);
  });

  it('lets viewers search, refuses anonymous callers and bad parameters', async () => {
    const org = await seedOrg(t.url);
    const viewer = await org.user('viewer');
    expect((await search(org, 'anything', viewer.token)).status).toBe(200);
    expect((await rest(t.url, 'GET', '/search?q=x')).status).toBe(401);
    expect(errorCode(await gql(t.url, SearchIncidentsDocument, { q: 'x' }))).toBe('UNAUTHENTICATED');
    for (const [query, field] of [
      ['', 'q'],
      ['?q=', 'q'],
      [`?q=${'x'.repeat(501)}`, 'q'],
      ['?q=x&limit=0', 'limit'],
      ['?q=x&limit=101', 'limit'],
      ['?q=x&limit=abc', 'limit'],
      ['?q=x&sort=name', 'sort'],
    ]) {
      const res = await rest(t.url, 'GET', `/search${query}`, { token: org.owner.token });
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });
});
