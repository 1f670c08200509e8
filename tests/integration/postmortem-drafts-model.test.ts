import { TestApp, startTestApp } from '../support/app';
import { gql, rest } from '../support/client';
import { seedOrg } from '../support/seed';
import { ChatRequest, FakeOpenAi, factsOf } from '../support/fake-openai';
import { DraftPostmortemDocument } from '../support/generated/graphql';
import { ManualClock } from '../../src/core/clock';

const T = (hhmm: string) => `2026-11-21T${hhmm}:00.000Z`;
const clock = new ManualClock(new Date(T('08:00')));

let fake: FakeOpenAi;
let t: TestApp;
beforeAll(async () => {
  fake = await new FakeOpenAi().start();
  t = await startTestApp(
    {
      ARGUS_AI_PROVIDER: 'openai',
      ARGUS_AI_BASE_URL: fake.url,
      ARGUS_AI_API_KEY: 'test-key',
      ARGUS_AI_CHAT_MODEL: 'fake-chat',
      ARGUS_AI_EMBEDDING_MODEL: 'local',
      ARGUS_AI_TIMEOUT_MS: '1500',
    },
    { clock },
  );
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});
beforeEach(() => fake.reset());

/**
 * A model that writes good prose but moves one time, misstates the duration, invents a line and forgets the last one.
 */
function sloppyModel(request: ChatRequest) {
  const facts = factsOf(request);
  const timeline = facts.timeline.slice(0, -1).map((e: { ref: number; at: string; fact: string }) => ({
    ref: e.ref,
    at: e.ref === 1 ? new Date(Date.parse(e.at) + 5 * 60_000).toISOString() : e.at,
    description: `Model: ${e.fact}`,
  }));
  timeline.push({ ref: 99, at: facts.incident.started_at, description: 'Something the record does not say' });
  return {
    title: `Checkout outage on ${facts.incident.key}`,
    severity_impact: `Checkout failed for ${facts.duration_minutes + 10} minutes.`,
    timeline,
    root_cause: 'A bad deploy',
    contributing_factors: ['No canary'],
    action_items: [
      ...facts.action_items.map((a: { ref: number; fact: string }) => ({
        ref: a.ref,
        description: `Model: ${a.fact}`,
      })),
      { ref: null, description: 'Add a canary stage' },
    ],
    duration_minutes: facts.duration_minutes + 10,
    resolution: 'Rolled back',
  };
}

async function resolvedIncident() {
  const org = await seedOrg(t.url);
  const responder = await org.user('responder');
  clock.set(T('08:00'));
  const incident = (
    await rest(t.url, 'POST', '/incidents', {
      token: responder.token,
      body: { title: 'Checkout errors', severity: 'P1', started_at: T('07:50') },
    })
  ).body;
  clock.set(T('08:05'));
  await rest(t.url, 'PATCH', `/incidents/${incident.key}`, {
    token: responder.token,
    body: { status: 'acknowledged' },
  });
  clock.set(T('08:20'));
  await rest(t.url, 'POST', '/incident-events', {
    token: responder.token,
    body: { incident_id: incident.key, message: 'Rolled back the deploy. Follow up: add a canary stage' },
  });
  clock.set(T('08:30'));
  await rest(t.url, 'PATCH', `/incidents/${incident.key}`, { token: responder.token, body: { status: 'resolved' } });
  return { org, responder, incident };
}

describe('postmortem drafts with an OpenAI-compatible model', () => {
  it('takes the model’s prose and the record’s facts, listing what it corrected', async () => {
    const { responder, incident } = await resolvedIncident();
    fake.defaultAnswer = sloppyModel;
    const res = await rest(t.url, 'POST', '/ai/postmortem-draft', {
      token: responder.token,
      body: { incident_id: incident.key },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model: 'fake-chat', fallback_reason: null });
    const d = res.body.draft;
    expect(d).toMatchObject({
      title: `Checkout outage on ${incident.key}`,
      duration_minutes: 40,
      ongoing: false,
      root_cause: 'A bad deploy',
      resolution: 'Rolled back',
      contributing_factors: ['No canary'],
    });
    expect(d.timeline).toEqual([
      { at: T('07:50'), description: 'Model: Impact started (the incident’s start time)' },
      { at: T('08:00'), description: 'Model: Incident opened by A responder: Checkout errors (P1)' },
      { at: T('08:05'), description: 'Model: Acknowledged by A responder' },
      { at: T('08:20'), description: 'Model: A responder: Rolled back the deploy. Follow up: add a canary stage' },
      { at: T('08:30'), description: 'Resolved by A responder' },
    ]);
    expect(d.action_items).toEqual([
      { description: 'Model: Add a canary stage', owner_id: responder.id, due_at: null, done: false },
      { description: 'Add a canary stage', owner_id: null, due_at: null, done: false },
    ]);
    expect(res.body.corrections).toEqual([
      'duration_minutes: the model said 50, the record says 40',
      `timeline[1].at: the model said ${new Date(Date.parse(T('08:00')) + 5 * 60_000).toISOString()}, the record says ${T('08:00')}`,
      'timeline: dropped a line for no fact (ref 99, "Something the record does not say")',
      'timeline[4]: the model left out "Resolved by A responder"; kept from the record',
    ]);
    // The real LangChain client asked with a json_schema response format and the facts of the record.
    const sent = fake.chatRequests[0];
    expect(sent.model).toBe('fake-chat');
    expect(sent.response_format?.json_schema?.name).toBe('postmortem_draft');
    expect(factsOf(sent)).toMatchObject({
      duration_minutes: 40,
      incident: { key: incident.key, started_at: T('07:50') },
    });
  });

  it('saves the model’s draft as the AI postmortem through GraphQL', async () => {
    const { responder, incident } = await resolvedIncident();
    fake.defaultAnswer = sloppyModel;
    const res = await gql(
      t.url,
      DraftPostmortemDocument,
      { input: { incidentId: incident.key, persist: true } },
      responder.token,
    );
    expect(res.errors).toBeUndefined();
    const r = res.data!.draftPostmortem;
    expect(r.model).toBe('fake-chat');
    expect(r.postmortem).toMatchObject({
      status: 'draft',
      aiGenerated: true,
      title: `Checkout outage on ${incident.key}`,
      durationMinutes: 40,
    });
    expect(r.postmortem!.timeline).toEqual(r.draft.timeline);
  });

  it.each([
    ['server_error', { kind: 'status' as const, status: 500 }],
    ['rate_limited', { kind: 'status' as const, status: 429, headers: { 'retry-after': '30' } }],
    ['timeout', { kind: 'delay' as const, ms: 5000, value: sloppyModel }],
    ['malformed_output', { kind: 'raw' as const, content: '{"title": "Checkout outage", "timeline": [' }],
    ['malformed_output', { kind: 'answer' as const, value: () => ({ title: 'Only a title' }) }],
  ])('falls back to the embedded drafter on %s and still answers 200', async (reason, behaviour) => {
    const { responder, incident } = await resolvedIncident();
    fake.next(behaviour);
    const res = await rest(t.url, 'POST', '/ai/postmortem-draft', {
      token: responder.token,
      body: { incident_id: incident.key, persist: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model: 'argus-postmortem-drafter-v1', fallback_reason: reason, corrections: [] });
    expect(res.body.draft).toMatchObject({
      title: `Postmortem: Checkout errors (${incident.key})`,
      duration_minutes: 40,
    });
    expect(res.body.draft.timeline.map((e: { at: string }) => e.at)).toEqual([
      T('07:50'),
      T('08:00'),
      T('08:05'),
      T('08:20'),
      T('08:30'),
    ]);
    expect(res.body.postmortem).toMatchObject({ ai_generated: true, title: res.body.draft.title });
    expect(fake.chatRequests).toHaveLength(1);
  });
});
