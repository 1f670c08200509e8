import { TestApp, startTestApp } from '../support/app';
import { gql, rest } from '../support/client';
import { SeedOrg, seedOrg } from '../support/seed';
import { ChatBehaviour, ChatRequest, FakeOpenAi, factsOf, taskOf } from '../support/fake-openai';
import { ClassifyIncidentDocument, SearchIncidentsDocument } from '../support/generated/graphql';
import { ManualClock } from '../../src/core/clock';

// Friday 2026-11-27, 10:00 UTC.
const clock = new ManualClock(new Date('2026-11-27T10:00:00.000Z'));
const MODEL_ENV = {
  ARGUS_AI_PROVIDER: 'openai',
  ARGUS_AI_API_KEY: 'test-key',
  ARGUS_AI_CHAT_MODEL: 'fake-chat',
  ARGUS_AI_EMBEDDING_MODEL: 'local',
  ARGUS_AI_TIMEOUT_MS: '1500',
};

let fake: FakeOpenAi;
let t: TestApp;
beforeAll(async () => {
  fake = await new FakeOpenAi().start();
  t = await startTestApp({ ...MODEL_ENV, ARGUS_AI_BASE_URL: fake.url }, { clock });
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});
beforeEach(() => {
  fake.reset();
  // Not the schema of any task: a test that forgets to script the model sees a fallback.
  fake.defaultAnswer = () => ({ unscripted: true });
});

const classify = (org: SeedOrg, body: Record<string, unknown>) =>
  rest(t.url, 'POST', '/ai/classify', { token: org.owner.token, body });
const search = (org: SeedOrg, q: string) =>
  rest(t.url, 'GET', `/search?q=${encodeURIComponent(q)}`, { token: org.owner.token });

const classification = (over: Record<string, unknown> = {}) => ({
  severity: 'P2',
  confidence: 0.7,
  reasoning: 'Like INC-1, a partial outage of payments.',
  suggested_service: null,
  suggested_team: null,
  ...over,
});

const filters = (over: Record<string, unknown> = {}) => ({
  severities: [],
  statuses: [],
  services: [],
  teams: [],
  assigned_to_me: false,
  unassigned: false,
  created_after: null,
  created_before: null,
  text: '',
  ...over,
});

/** The five ways a model call fails, and the reason each is reported with. */
const FAILURES: Array<[string, ChatBehaviour, string]> = [
  ['a timeout', { kind: 'delay', ms: 5000, value: () => ({}) }, 'timeout'],
  ['a 429', { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, 'rate_limited'],
  ['a 500', { kind: 'status', status: 500 }, 'server_error'],
  ['malformed JSON', { kind: 'raw', content: '{"severity": "P1", "confid' }, 'malformed_output'],
];

async function catalog(org: SeedOrg) {
  const team = await org.team({ name: 'Payments crew' });
  const payments = await org.service({ name: 'Payments API', team_id: team.id });
  const cdn = await org.service({ name: 'CDN' });
  return { team, payments, cdn };
}

describe('classification through the configured chat model', () => {
  it('asks the model once with the embedded evidence, and keeps only owners the organization has', async () => {
    const org = await seedOrg(t.url);
    const { team, payments } = await catalog(org);
    const past = await org.incident({
      title: 'Payments API card authorisations failing',
      severity: 'P1',
      service_id: payments.id,
    });
    fake.defaultAnswer = () => classification({ severity: 'P1', confidence: 0.83, suggested_service: 'payments api' });
    const res = await classify(org, { title: 'Payments API card authorisations failing again for all users' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      severity: 'P1',
      confidence: 0.83,
      reasoning: 'Like INC-1, a partial outage of payments.',
      suggested_service_id: payments.id,
      suggested_team_id: team.id,
      model: 'fake-chat',
      fallback_reason: null,
      // The embedded model was fitted when the organization had no history (the past incident's creation), and the
      // past incident waits for the refit: the answer says so whoever answered.
      refit_pending: true,
    });
    expect(fake.chatRequests).toHaveLength(1);
    const request = fake.chatRequests[0];
    expect(taskOf(request)).toBe('severity_classification');
    const facts = factsOf(request);
    expect(facts.incident).toEqual({
      title: 'Payments API card authorisations failing again for all users',
      description: null,
      service: null,
    });
    expect(facts.severity_cues).toEqual(expect.arrayContaining([expect.objectContaining({ cue: 'all users' })]));
    expect(facts.similar_past_incidents[0]).toMatchObject({
      key: past.key,
      severity: 'P1',
      service: 'Payments API',
      team: 'Payments crew',
    });
    expect(facts.trained_classifier).toMatchObject({
      suggested_service: 'Payments API',
      suggested_team: 'Payments crew',
    });
    expect(facts.catalog).toEqual({
      services: expect.arrayContaining([
        { name: 'Payments API', team: 'Payments crew' },
        { name: 'CDN', team: null },
      ]),
      teams: ['Payments crew'],
    });
  });

  it('never passes on a service or team the organization does not have', async () => {
    const org = await seedOrg(t.url);
    const other = await seedOrg(t.url);
    const foreign = await other.service({ name: 'Ledger' });
    await catalog(org);
    fake.next(
      {
        kind: 'answer',
        value: () => classification({ suggested_service: 'Billing Gateway', suggested_team: 'Night shift' }),
      },
      {
        kind: 'answer',
        value: () =>
          classification({ suggested_service: foreign.id, suggested_team: '00000000-0000-4000-8000-000000000000' }),
      },
    );
    for (let i = 0; i < 2; i++) {
      const res = await classify(org, { title: 'Checkout slow' });
      expect(res.body).toMatchObject({
        severity: 'P2',
        model: 'fake-chat',
        fallback_reason: null,
        suggested_service_id: null,
        suggested_team_id: null,
      });
    }
  });

  it('answers the same through GraphQL', async () => {
    const org = await seedOrg(t.url);
    const { payments } = await catalog(org);
    fake.defaultAnswer = () => classification({ severity: 'P3', confidence: 0.5, suggested_service: 'CDN' });
    const res = await gql(
      t.url,
      ClassifyIncidentDocument,
      { input: { title: 'Images load slowly', serviceId: payments.id } },
      org.owner.token,
    );
    expect(res.errors).toBeUndefined();
    // An incident filed on a service keeps it as the suggestion.
    expect(res.data?.classifyIncident).toMatchObject({
      severity: 'P3',
      confidence: 0.5,
      suggestedServiceId: payments.id,
      model: 'fake-chat',
      fallbackReason: null,
    });
    expect(factsOf(fake.chatRequests[0]).incident.service).toBe('Payments API');
  });

  it.each(FAILURES)('falls back to the embedded classifier on %s, and says so', async (_name, behaviour, reason) => {
    const org = await seedOrg(t.url);
    fake.next(behaviour);
    const res = await classify(org, { title: 'Checkout is down for all users' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ severity: 'P1', model: 'argus-severity-v1', fallback_reason: reason });
    expect(res.body.reasoning).toContain('all users');
  });

  it('falls back when the answer is out of range or not the schema', async () => {
    const org = await seedOrg(t.url);
    fake.next(
      { kind: 'answer', value: () => classification({ confidence: 1.7 }) },
      { kind: 'answer', value: () => classification({ severity: 'P0' }) },
      { kind: 'answer', value: () => classification({ reasoning: '   ' }) },
    );
    for (let i = 0; i < 3; i++) {
      const res = await gql(
        t.url,
        ClassifyIncidentDocument,
        { input: { title: 'Checkout is down for all users' } },
        org.owner.token,
      );
      expect(res.data?.classifyIncident).toMatchObject({
        severity: 'P1',
        model: 'argus-severity-v1',
        fallbackReason: 'malformed_output',
      });
    }
  });

  it('classifies incident creation with the embedded model by default: no model call', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident({ title: 'Checkout is down for all users', severity: undefined });
    expect(incident).toMatchObject({
      severity: 'P1',
      auto_classified: true,
      classification_model: 'argus-severity-v1',
    });
    expect(fake.chatRequests).toHaveLength(0);
  });
});

describe('classification on creation through the model (ARGUS_AI_CLASSIFY_ON_CREATE=model)', () => {
  let creating: TestApp;
  beforeAll(async () => {
    // A generous deadline for other calls: only the creation deadline can cut the slow answer below.
    creating = await startTestApp(
      {
        ...MODEL_ENV,
        ARGUS_AI_BASE_URL: fake.url,
        ARGUS_AI_TIMEOUT_MS: '20000',
        ARGUS_AI_CLASSIFY_ON_CREATE: 'model',
        ARGUS_AI_CREATE_TIMEOUT_MS: '1000',
        ARGUS_AI_STRUCTURED_OUTPUT: 'tool_calling',
      },
      { clock },
    );
  });
  afterAll(() => creating.close());

  it('fills in the severity from the model, one tool call per incident', async () => {
    const org = await seedOrg(creating.url);
    fake.defaultAnswer = () => classification({ severity: 'P2', confidence: 0.66 });
    const res = await rest(creating.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'Checkout is slow for some users' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      severity: 'P2',
      auto_classified: true,
      classification_confidence: 0.66,
      classification_model: 'fake-chat',
    });
    expect(fake.chatRequests).toHaveLength(1);
    expect(fake.chatRequests[0].tools?.[0].function.name).toBe('severity_classification');
  });

  it('does not wait past the creation deadline: the embedded classifier answers and the incident is created', async () => {
    const org = await seedOrg(creating.url);
    fake.next({ kind: 'delay', ms: 15_000, value: () => classification() }, { kind: 'status', status: 500 });
    for (const title of ['Checkout is down for all users', 'Data loss for all customers']) {
      const res = await rest(creating.url, 'POST', '/incidents', { token: org.owner.token, body: { title } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        severity: 'P1',
        auto_classified: true,
        classification_model: 'argus-severity-v1',
      });
    }
  });

  it('keeps a severity the caller gave, storing the model’s suggestion beside it', async () => {
    const org = await seedOrg(creating.url);
    fake.defaultAnswer = () => classification({ severity: 'P3', confidence: 0.4 });
    const res = await rest(creating.url, 'POST', '/incidents', {
      token: org.owner.token,
      body: { title: 'Checkout is slow', severity: 'P1' },
    });
    expect(res.body).toMatchObject({
      severity: 'P1',
      auto_classified: false,
      suggested_severity: 'P3',
      classification_model: 'fake-chat',
    });
  });
});

describe('plain-English search parsing through the configured chat model', () => {
  it('turns the text into the same filters, with names mapped to the organization’s records and dates from the request clock', async () => {
    const org = await seedOrg(t.url);
    const { team, payments } = await catalog(org);
    const hit = await org.incident({ title: 'Card authorisations failing', severity: 'P1', service_id: payments.id });
    await org.incident({ title: 'Card authorisations failing', severity: 'P3', service_id: payments.id });
    let seen: ChatRequest | undefined;
    fake.defaultAnswer = (request) => {
      seen = request;
      return filters({
        severities: ['P1'],
        statuses: ['open', 'acknowledged'],
        services: ['Payments API', 'Billing Gateway'],
        teams: ['payments crew'],
        created_after: '2026-11-23T00:00:00Z',
        text: 'card authorisations',
      });
    };
    const res = await search(org, 'critical stuff with cards on the payments thing this week that is not done yet');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model: 'fake-chat', fallback_reason: null, total: 1 });
    expect(res.body.understood).toEqual({
      severities: ['P1'],
      statuses: ['open', 'acknowledged'],
      service_ids: [payments.id],
      team_ids: [team.id],
      assignee_id: null,
      unassigned: false,
      created_after: '2026-11-23T00:00:00.000Z',
      created_before: null,
      text: 'card authorisations',
    });
    expect(res.body.results.map((r: { key: string }) => r.key)).toEqual([hit.key]);
    expect(fake.chatRequests).toHaveLength(1);
    expect(taskOf(seen!)).toBe('incident_search_filters');
    const facts = factsOf(seen!);
    expect(facts).toMatchObject({ now: '2026-11-27T10:00:00.000Z', weekday: 'Friday' });
    expect(facts.catalog).toEqual({
      services: expect.arrayContaining(['Payments API', 'CDN']),
      teams: ['Payments crew'],
    });
    // The embedded parser read "critical" but not "the payments thing": the model did better.
    expect(facts.embedded_parser).toMatchObject({
      severities: ['P1'],
      services: [],
      created_after: '2026-11-23T00:00:00.000Z',
    });
  });

  it('reads "assigned to me" as the caller, through GraphQL too', async () => {
    const org = await seedOrg(t.url);
    const mine = await org.incident({ title: 'Disk full on db-3', assignee_id: org.owner.id });
    await org.incident({ title: 'Disk full on db-4' });
    fake.defaultAnswer = () => filters({ assigned_to_me: true, text: 'disk' });
    const res = await gql(t.url, SearchIncidentsDocument, { q: 'my disk problems' }, org.owner.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.searchIncidents).toMatchObject({ model: 'fake-chat', fallbackReason: null, total: 1 });
    expect(res.data?.searchIncidents.understood).toMatchObject({ assigneeId: org.owner.id, text: 'disk' });
    expect(res.data?.searchIncidents.results.map((r) => r.key)).toEqual([mine.key]);
  });

  it.each(FAILURES)('falls back to the embedded parser on %s, and says so', async (_name, behaviour, reason) => {
    const org = await seedOrg(t.url);
    await catalog(org);
    fake.next(behaviour);
    const res = await search(org, 'open P1 payments api incidents since last monday');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model: 'argus-query-parser-v1', fallback_reason: reason });
    expect(res.body.understood).toMatchObject({
      severities: ['P1'],
      statuses: ['open'],
      created_after: '2026-11-23T00:00:00.000Z',
    });
  });

  it('falls back on impossible dates', async () => {
    const org = await seedOrg(t.url);
    fake.next(
      { kind: 'answer', value: () => filters({ created_after: 'last monday' }) },
      {
        kind: 'answer',
        value: () => filters({ created_after: '2026-11-20T00:00:00Z', created_before: '2026-11-10T00:00:00Z' }),
      },
      { kind: 'answer', value: () => filters({ created_after: '2027-06-01T00:00:00Z' }) },
    );
    for (let i = 0; i < 3; i++) {
      const res = await gql(t.url, SearchIncidentsDocument, { q: 'P2 since yesterday' }, org.owner.token);
      expect(res.data?.searchIncidents).toMatchObject({
        model: 'argus-query-parser-v1',
        fallbackReason: 'malformed_output',
      });
      expect(res.data?.searchIncidents.understood).toMatchObject({
        severities: ['P2'],
        createdAfter: '2026-11-26T00:00:00.000Z',
      });
    }
  });

  it('does not call a model when none is configured', async () => {
    const local = await startTestApp({}, { clock });
    try {
      const org = await seedOrg(local.url);
      const res = await rest(local.url, 'GET', '/search?q=open', { token: org.owner.token });
      expect(res.body).toMatchObject({ model: 'argus-query-parser-v1', fallback_reason: null });
      expect(fake.chatRequests).toHaveLength(0);
    } finally {
      await local.close();
    }
  });
});
