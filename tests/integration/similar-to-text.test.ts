import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { SimilarIncidentsToTextDocument } from '../support/generated/graphql';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

const toText = (org: SeedOrg, body: unknown, token = org.owner.token) =>
  rest(t.url, 'POST', '/ai/similar-incidents', { token, body });

async function history(org: SeedOrg) {
  return {
    active: await org.incident({
      title: 'Checkout payments failing with 502 errors',
      description: 'Card payments time out at the gateway',
      severity: 'P1',
    }),
    old: await org.incident({
      title: 'Payments gateway returning 502 errors',
      description: 'Checkout failed for card payments',
      started_at: ago(40 * DAY),
    }),
    other: await org.incident({ title: 'TLS certificate expired on the status page', started_at: ago(30 * DAY) }),
  };
}

describe('POST /ai/similar-incidents (similarIncidentsToText)', () => {
  it('ranks stored incidents against a draft text: the active one started now is a possible duplicate, the old one similar', async () => {
    const org = await seedOrg(t.url);
    const { active, old, other } = await history(org);
    const res = await toText(org, {
      title: 'Checkout payments failing',
      description: 'customers see 502 at the card payment step',
    });
    expect(res.status).toBe(200);
    const keys = res.body.matches.map((m: any) => m.incident_id);
    expect(keys.slice(0, 2).sort()).toEqual([active.key, old.key].sort());
    expect(keys).not.toContain(other.key);
    const byKey = Object.fromEntries(res.body.matches.map((m: any) => [m.incident_id, m]));
    expect(byKey[active.key]).toMatchObject({
      title: active.title,
      severity: 'P1',
      status: 'open',
      relation: 'possible_duplicate',
    });
    expect(byKey[old.key]).toMatchObject({ relation: 'similar', status: old.status });
    expect(res.body.model).toMatch(/lexical/);
    // Nothing was stored: the same draft answers the same again.
    expect(
      (
        await toText(org, {
          title: 'Checkout payments failing',
          description: 'customers see 502 at the card payment step',
        })
      ).body,
    ).toEqual(res.body);
  });

  it('answers the same through GraphQL, honours limit and minScore, and a text sharing no word matches by time alone', async () => {
    const org = await seedOrg(t.url);
    const { active } = await history(org);
    const viewer = await org.user('viewer');
    const answer = await gql(
      t.url,
      SimilarIncidentsToTextDocument,
      { input: { title: 'Checkout payments failing', limit: 1 } },
      viewer.token,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.similarIncidentsToText.matches).toHaveLength(1);
    expect(answer.data!.similarIncidentsToText.matches[0]).toMatchObject({ incidentId: active.key, status: 'open' });
    const strict = await toText(org, { title: 'Checkout payments failing', min_score: 0.99 });
    expect(strict.status).toBe(200);
    for (const m of strict.body.matches) expect(m.score).toBeGreaterThanOrEqual(0.99);
    // Sharing no word, a draft matches by time alone: the incident open now, as a possible duplicate, and no old one.
    const unrelated = (await toText(org, { title: 'zebra quokka' })).body.matches;
    expect(unrelated.map((m: any) => [m.incident_id, m.relation])).toEqual([[active.key, 'possible_duplicate']]);
    expect(unrelated[0].score).toBeLessThanOrEqual(0.5);
  });

  it('a service in the draft must be the organization’s; bad input is a 400 naming the field', async () => {
    const org = await seedOrg(t.url);
    const stranger = await seedOrg(t.url);
    const theirs = await stranger.service({ name: 'Payments' });
    const cases: Array<[unknown, string]> = [
      [{ title: 'x', service_id: theirs.id }, 'service_id'],
      [{ title: '' }, 'title'],
      [{ description: 'no title' }, 'title'],
      [{ title: 'x', severity: 'P1' }, 'severity'],
      [{ title: 'x', limit: 0 }, 'limit'],
      [{ title: 'x', limit: 51 }, 'limit'],
      [{ title: 'x', limit: 'ten' }, 'limit'],
      [{ title: 'x', min_score: 2 }, 'min_score'],
    ];
    for (const [body, field] of cases) {
      const res = await toText(org, body);
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(JSON.stringify(res.body.error)).toContain(field);
    }
    const gqlAnswer = await gql(
      t.url,
      SimilarIncidentsToTextDocument,
      { input: { title: 'x', serviceId: theirs.id } },
      org.owner.token,
    );
    expect(errorCode(gqlAnswer)).toBe('VALIDATION_FAILED');
    expect((await rest(t.url, 'POST', '/ai/similar-incidents', { body: { title: 'x' } })).status).toBe(401);
  });

  it('never matches another organization’s incidents', async () => {
    const org = await seedOrg(t.url);
    const stranger = await seedOrg(t.url);
    await history(stranger);
    const res = await toText(org, { title: 'Checkout payments failing with 502 errors' });
    expect(res.status).toBe(200);
    expect(res.body.matches).toEqual([]);
    const mine = await org.incident({ title: 'Checkout payments failing with 502 errors' });
    expect(
      (await toText(org, { title: 'Checkout payments failing with 502 errors' })).body.matches.map(
        (m: any) => m.incident_id,
      ),
    ).toEqual([mine.key]);
  });
});
