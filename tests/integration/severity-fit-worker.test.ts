import { TestApp, startTestApp } from '../support/app';
import { SeedOrg, seedOrg } from '../support/seed';
import { TEST_DATABASE_ENV } from '../support/database';
import { DatabaseHistory } from '../../src/ai/classify/database-history';
import { LearnedSeverityClassifier, OrganizationFitRequest } from '../../src/ai/classify/severity-classifier';
import { WorkerSeverityFitter } from '../../src/ai/classify/severity-fitter';
import { SeverityModel, SeverityPrediction, slimIncident } from '../../src/ai/classify/severity-model';
import { shippedPrior } from '../../src/ai/classify/shipped-prior';

let t: TestApp;
let fitter: WorkerSeverityFitter;
let a: { org: SeedOrg; id: string };
let b: { org: SeedOrg; id: string };

const KINDS: Array<[string, string[], string]> = [
  ['P1', ['Ledger is down for all customers', 'Complete outage of the ledger'], 'Nobody can pay; balances are stale.'],
  ['P2', ['Elevated error rates on checkout', 'Partial outage of checkout'], 'Some payments fail with 502.'],
  ['P3', ['Search is slow for some users', 'Delays in search indexing'], 'Results arrive late.'],
  ['P4', ['Typo on the pricing page', 'Misaligned footer label'], 'Cosmetic only.'],
];

async function organization(incidents: number, secret: string): Promise<{ org: SeedOrg; id: string }> {
  const org = await seedOrg(t.url);
  const service = await org.service({ name: `ledger ${secret}` });
  for (let i = 0; i < incidents; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, incidents - i) }, (_, j) => {
        const [severity, titles, description] = KINDS[(i + j) % KINDS.length];
        return org.incident({
          title: `${titles[Math.floor((i + j) / KINDS.length) % 2]} ${secret} ${i + j}`,
          description,
          severity,
          service_id: (i + j) % 3 ? service.id : undefined,
        });
      }),
    );
  }
  const [row] = await t.orm.em
    .getConnection()
    .execute('select organization_id from users where id = ?', [org.owner.id]);
  return { org, id: row.organization_id as string };
}

const request = (over: Partial<OrganizationFitRequest> = {}): OrganizationFitRequest => ({
  historyLimit: 5000,
  keepHistoryUpTo: 5000,
  model: {},
  ...over,
});
const history = new DatabaseHistory(() => t.orm.em.getConnection());
const QUERIES = [
  'Ledger outage for all customers',
  'Checkout errors 502 for some payments',
  'Pricing page typo',
  'Search indexing is slow',
];

/** A prediction as the answers use it: the neighbours as the evidence names them. */
const answered = (p: SeverityPrediction) => ({
  ...p,
  neighbours: p.neighbours.map((n) => ({ incident: slimIncident(n.incident), score: n.score })),
});

beforeAll(async () => {
  t = await startTestApp();
  fitter = new WorkerSeverityFitter(shippedPrior(), WorkerSeverityFitter.script()!, process.env[TEST_DATABASE_ENV]);
  a = await organization(160, 'alpha');
  b = await organization(24, 'bravo');
});

afterAll(async () => {
  await fitter.close();
  await t.close();
});

describe('an organization fitted in the worker thread from its own reading of the history', () => {
  it('is the model fitted here on the history read here, with the history kept as read', async () => {
    const read = await history.labelled(a.id, 5000);
    const here = SeverityModel.train(read, shippedPrior());
    const there = await fitter.fitOrganization(a.id, request());
    expect(there.model.fit).toEqual(here.fit);
    expect(there.model.historySize).toBe(160);
    expect(there.history).toEqual(read);
    for (const q of QUERIES) expect(there.model.predict({ title: q })).toEqual(here.predict({ title: q }));
    expect(fitter.running).toBe(false);
  });

  it('beyond what the classifier keeps, sends no history and no texts, and answers the same', async () => {
    const read = await history.labelled(a.id, 5000);
    const here = SeverityModel.train(read, shippedPrior());
    const there = await fitter.fitOrganization(a.id, request({ keepHistoryUpTo: 100 }));
    expect(there.history).toBeUndefined();
    for (const q of QUERIES) {
      const prediction = there.model.predict({ title: q });
      expect(answered(prediction)).toEqual(answered(here.predict({ title: q })));
      expect(prediction.neighbours.length).toBeGreaterThan(0);
      for (const n of prediction.neighbours) expect(n.incident).not.toHaveProperty('description');
    }
  });

  it("reads only the organization's incidents, at most the history limit", async () => {
    const alpha = await fitter.fitOrganization(a.id, request());
    const alphaIds = new Set(alpha.history!.map((h) => h.id));
    const bravo = await fitter.fitOrganization(b.id, request());
    expect(bravo.model.historySize).toBe(24);
    expect(bravo.history!.every((h) => h.title.includes('bravo') && !alphaIds.has(h.id))).toBe(true);
    // The other organization's words find nothing of it.
    const neighbours = alpha.model.predict({ title: 'Ledger is down for all customers bravo' }).neighbours;
    expect(neighbours.every((n) => alphaIds.has(n.incident.id))).toBe(true);
    const latest = await fitter.fitOrganization(a.id, request({ historyLimit: 20 }));
    expect(latest.model.historySize).toBe(20);
    expect(latest.history).toEqual(await history.labelled(a.id, 20));
  });

  it('fails clearly without a database, and the classifier keeps answering from its previous model', async () => {
    const without = new WorkerSeverityFitter(shippedPrior(), WorkerSeverityFitter.script()!);
    await expect(without.fitOrganization(a.id, request())).rejects.toThrow('needs the database');
    const unreachable = new WorkerSeverityFitter(
      shippedPrior(),
      WorkerSeverityFitter.script()!,
      'postgres://postgres@127.0.0.1:1/none',
    );
    try {
      await expect(unreachable.fitOrganization(a.id, request())).rejects.toThrow(/ECONNREFUSED/);
      expect(unreachable.running).toBe(false);
    } finally {
      await unreachable.close();
    }
  });

  it('is what the classifier refits through in the background', async () => {
    const fits: string[] = [];
    const classifier = new LearnedSeverityClassifier(history, shippedPrior(), {
      syncTrainLimit: 10,
      minRetrainIntervalMs: 0,
      fitter: () => Promise.reject(new Error('the history was read on this thread')),
      organizationFitter: (organizationId, r) => {
        fits.push(organizationId);
        return fitter.fitOrganization(organizationId, r);
      },
    });
    try {
      const here = SeverityModel.train(await history.labelled(a.id, 5000), shippedPrior());
      const title = 'Ledger is down for all customers';
      const quick = await classifier.classify(a.id, { title });
      expect(quick.reasoning).toContain('Learned from 160 labelled incidents');
      await classifier.settle();
      expect(fits).toEqual([a.id]);
      const full = await classifier.classify(a.id, { title });
      expect(full.confidence).toBe(Math.round(here.predict({ title }).confidence * 1000) / 1000);
      expect(full.severity).toBe('P1');
    } finally {
      classifier.close();
    }
  });
});
