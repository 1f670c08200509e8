import { acceptModelClassification, ModelClassification } from '../../src/ai/classify/model-classifier';
import type { SeverityClassification } from '../../src/ai/classify/severity-classifier';
import { acceptModelSearch, ModelSearch } from '../../src/ai/search/search-parser';
import type { QueryContext } from '../../src/ai/search/search-query';
import { Severity } from '../../src/modules/incidents/incident.enums';

const teams = [
  { id: 'team-pay', name: 'Payments crew' },
  { id: 'team-edge', name: 'Edge' },
];
const embedded: SeverityClassification = {
  severity: Severity.P3,
  confidence: 0.4,
  reasoning: 'embedded',
  model: 'argus-severity-v1',
  suggestedServiceId: null,
  suggestedTeamId: null,
  evidence: {
    cues: [],
    similar: [],
    historySize: 0,
    services: [
      { id: 'svc-pay', name: 'Payments API', teamId: 'team-pay' },
      { id: 'svc-cdn', name: 'CDN', teamId: null },
    ],
  },
};
const answer = (over: Partial<ModelClassification> = {}): ModelClassification => ({
  severity: 'P2',
  confidence: 0.7,
  reasoning: 'because',
  suggested_service: null,
  suggested_team: null,
  ...over,
});
const accept = (over: Partial<ModelClassification>, input = { title: 't' } as { title: string; serviceId?: string }) =>
  acceptModelClassification(answer(over), input, embedded, teams, 'fake-chat');

describe("checking the model's classification", () => {
  it('maps catalog names to ids, folding case, spaces, hyphens and underscores, and brings the service’s team', () => {
    expect(accept({ suggested_service: 'payments_api' })).toMatchObject({
      suggestedServiceId: 'svc-pay',
      suggestedTeamId: 'team-pay',
      model: 'fake-chat',
      fallbackReason: null,
    });
    expect(accept({ suggested_service: 'CDN', suggested_team: ' edge ' })).toMatchObject({
      suggestedServiceId: 'svc-cdn',
      suggestedTeamId: 'team-edge',
    });
    expect(accept({ suggested_service: 'svc-cdn' })).toMatchObject({
      suggestedServiceId: 'svc-cdn',
      suggestedTeamId: null,
    });
  });

  it('drops names and ids the organization does not have', () => {
    expect(accept({ suggested_service: 'Payments', suggested_team: 'team-other' })).toMatchObject({
      suggestedServiceId: null,
      suggestedTeamId: null,
    });
  });

  it('keeps the service an incident was filed on', () => {
    expect(accept({ suggested_service: 'CDN' }, { title: 't', serviceId: 'svc-pay' })).toMatchObject({
      suggestedServiceId: 'svc-pay',
      suggestedTeamId: 'team-pay',
    });
  });

  it('refuses a confidence outside 0..1 and an empty reasoning', () => {
    expect(() => accept({ confidence: -0.1 })).toThrow('confidence');
    expect(() => accept({ confidence: Number.NaN })).toThrow('confidence');
    expect(() => accept({ reasoning: ' ' })).toThrow('reasoning');
  });
});

const context: QueryContext = {
  now: new Date('2026-11-28T10:00:00Z'),
  services: [{ id: 'svc-pay', name: 'Payments API' }],
  teams: [{ id: 'team-sre', name: 'SRE' }],
  userId: 'user-me',
};
const filters = (over: Partial<ModelSearch> = {}): ModelSearch => ({
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

describe("checking the model's search filters", () => {
  it('maps names to ids, drops unknown ones and duplicates, and reads dates', () => {
    const understood = acceptModelSearch(
      filters({
        severities: ['P1', 'P1'],
        services: ['payments-api', 'Billing', 'Payments API'],
        teams: ['sre'],
        created_after: '2026-11-23',
        created_before: '2026-11-28T00:00:00Z',
        text: '  disk   full ',
      }),
      context,
    );
    expect(understood).toEqual({
      severities: ['P1'],
      statuses: [],
      serviceIds: ['svc-pay'],
      teamIds: ['team-sre'],
      assigneeId: null,
      unassigned: false,
      createdAfter: new Date('2026-11-23T00:00:00Z'),
      createdBefore: new Date('2026-11-28T00:00:00Z'),
      text: 'disk full',
    });
  });

  it('reads "assigned to me" as the caller, never together with "unassigned"', () => {
    expect(acceptModelSearch(filters({ assigned_to_me: true, unassigned: true }), context)).toMatchObject({
      assigneeId: 'user-me',
      unassigned: false,
    });
  });

  it('refuses unreadable, far-future, pre-1970 dates and empty ranges', () => {
    expect(() => acceptModelSearch(filters({ created_after: 'last week' }), context)).toThrow('not a date');
    expect(() => acceptModelSearch(filters({ created_before: '2027-01-01T00:00:00Z' }), context)).toThrow(
      'out of range',
    );
    expect(() => acceptModelSearch(filters({ created_after: '1969-12-31T00:00:00Z' }), context)).toThrow(
      'out of range',
    );
    expect(() =>
      acceptModelSearch(
        filters({ created_after: '2026-11-20T00:00:00Z', created_before: '2026-11-20T00:00:00Z' }),
        context,
      ),
    ).toThrow('not before');
  });
});
