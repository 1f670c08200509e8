import { TestApp, startTestApp } from '../support/app';
import { rest } from '../support/client';
import { seedOrg } from '../support/seed';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t.close();
});

const CUE = /"([^"]+)" \(→ (P\d)\)/g;

/** The cues the reasoning lists, with the severity each leans to. */
function cues(reasoning: string): Array<{ name: string; leansTo: string }> {
  const listed = /Severity cues: (.*?)\.(?: |$)/.exec(reasoning)?.[1] ?? '';
  return [...listed.matchAll(CUE)].map((m) => ({ name: m[1], leansTo: m[2] }));
}

describe('explanations that agree with the answer', () => {
  it('says what outweighed cues of a higher severity than the answer', async () => {
    const org = await seedOrg(t.url);
    // This organization labels its "down for all users" checkout incidents P2 (a degraded fallback always exists).
    const rows = Array.from({ length: 12 }, (_, i) => ({
      external_id: `C-${i}`,
      title: `Checkout is down for all users in region ${i}`,
      description: 'Customers cannot pay; the fallback payment page keeps orders flowing.',
      severity: 'P2',
      started_at: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
      resolved_at: new Date(Date.UTC(2025, 0, 1 + i, 1)).toISOString(),
    })).concat(
      Array.from({ length: 6 }, (_, i) => ({
        external_id: `T-${i}`,
        title: `Typo on the pricing page ${i}`,
        description: 'Cosmetic only.',
        severity: 'P4',
        started_at: new Date(Date.UTC(2025, 1, 1 + i)).toISOString(),
        resolved_at: new Date(Date.UTC(2025, 1, 1 + i, 1)).toISOString(),
      })),
    );
    expect((await rest(t.url, 'POST', '/incidents/import', { token: org.owner.token, body: rows })).status).toBe(201);

    const res = await rest(t.url, 'POST', '/ai/classify', {
      token: org.owner.token,
      body: { title: 'Checkout is down for all users', description: 'Customers cannot pay.' },
    });
    expect(res.status).toBe(200);
    expect(res.body.severity).toBe('P2');
    const higher = cues(res.body.reasoning).filter((c) => c.leansTo < res.body.severity);
    expect(higher.length).toBeGreaterThan(0);
    expect(res.body.reasoning).toMatch(
      /P2 rather than P1 despite "[^"]+" \(→ P1\).*: outweighed by this organization's similar past incidents \(\d+ of the \d+ most similar were P2\)/,
    );
  });

  it('adds nothing when no cue points higher than the answer', async () => {
    const org = await seedOrg(t.url);
    const res = await rest(t.url, 'POST', '/ai/classify', {
      token: org.owner.token,
      body: { title: 'Checkout is down for all users', description: 'Customers cannot pay.' },
    });
    expect(res.body.severity).toBe('P1');
    expect(res.body.reasoning).not.toContain('outweighed');
    const cosmetic = await rest(t.url, 'POST', '/ai/classify', {
      token: org.owner.token,
      body: { title: 'Typo on the pricing page', description: 'Cosmetic only.' },
    });
    expect(
      cues(cosmetic.body.reasoning).every((c) => c.leansTo >= cosmetic.body.severity) ===
        !cosmetic.body.reasoning.includes('outweighed'),
    ).toBe(true);
  });
});
