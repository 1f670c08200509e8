import {
  buildFacts,
  linkChange,
  actionFromSentence,
  readsAsFollowUp,
  formatDuration,
} from '../../src/ai/postmortem/postmortem-facts';
import { draftFromFacts } from '../../src/ai/postmortem/embedded-drafter';
import { checkModelDraft, ModelDraft } from '../../src/ai/postmortem/postmortem-chain';
import type { ChangeSnapshot, DraftSource, IncidentSnapshot } from '../../src/ai/postmortem/draft-source';
import { MalformedOutputError } from '../../src/ai/providers/ai-provider';

const at = (hhmm: string, day = '2026-05-04') => new Date(`${day}T${hhmm}:00Z`);

const incident: IncidentSnapshot = {
  id: 'inc-1',
  key: 'INC-7',
  title: 'API errors',
  description: null,
  severity: 'P2',
  status: 'resolved',
  startedAt: at('10:00'),
  acknowledgedAt: at('10:10'),
  mitigatedAt: null,
  resolvedAt: at('11:30'),
  serviceId: 'svc-api',
  serviceName: 'API',
  teamName: null,
  slaBreached: false,
};

const change = (over: Partial<ChangeSnapshot>): ChangeSnapshot => ({
  id: 'chg',
  key: 'CHG-1',
  title: 'A change',
  description: null,
  status: 'completed',
  type: 'normal',
  plannedStart: null,
  plannedEnd: null,
  createdAt: at('08:00'),
  serviceId: null,
  assetServiceIds: [],
  ownerId: null,
  ...over,
});

function source(over: Partial<DraftSource> = {}): DraftSource {
  return {
    incident,
    events: [
      { type: 'created', message: 'Incident opened', actorId: 'u1', data: { severity: 'P2' }, occurredAt: at('10:00') },
      { type: 'updated', message: 'Updated title', actorId: 'u1', data: {}, occurredAt: at('10:05') },
      {
        type: 'status_changed',
        message: null,
        actorId: 'u1',
        data: { from: 'open', to: 'acknowledged' },
        occurredAt: at('10:10'),
      },
      {
        type: 'comment',
        message: 'Caused by a bad config push. We should add config validation.',
        actorId: 'u2',
        data: {},
        occurredAt: at('10:20'),
      },
      {
        type: 'status_changed',
        message: null,
        actorId: null,
        data: { from: 'acknowledged', to: 'resolved' },
        occurredAt: at('11:30'),
      },
    ],
    userNames: { u1: 'Ada', u2: 'Grace' },
    problem: null,
    changes: [],
    now: at('12:00'),
    ...over,
  };
}

describe('postmortem facts', () => {
  it('takes the duration from started and resolved, and leaves field edits out of the timeline', () => {
    const facts = buildFacts(source());
    expect(facts.durationMinutes).toBe(90);
    expect(facts.ongoing).toBe(false);
    expect(facts.timeline.map((e) => [e.at.toISOString().slice(11, 16), e.description])).toEqual([
      ['10:00', 'Incident opened by Ada: API errors (P2)'],
      ['10:10', 'Acknowledged by Ada'],
      ['10:20', 'Grace: Caused by a bad config push. We should add config validation.'],
      ['11:30', 'Resolved'],
    ]);
    expect(facts.rootCauseNotes).toEqual(['Caused by a bad config push.']);
    expect(facts.actionItems).toEqual([
      { ref: 0, description: 'Add config validation.', ownerId: 'u2', dueAt: null, done: false, source: 'comment' },
    ]);
  });

  it('runs an unresolved incident to now and flags it ongoing', () => {
    const facts = buildFacts(source({ incident: { ...incident, resolvedAt: null, status: 'investigating' } }));
    expect(facts).toMatchObject({ ongoing: true, durationMinutes: 120, endedAt: null });
    expect(draftFromFacts(facts).severityImpact).toContain('Not resolved yet: ongoing for 2 h');
  });

  it('reads follow-ups by their cues', () => {
    expect(readsAsFollowUp('TODO: page the DB team earlier')).toBe(true);
    expect(readsAsFollowUp('Action item - rotate the keys')).toBe(true);
    expect(readsAsFollowUp('We need to add a runbook')).toBe(true);
    expect(readsAsFollowUp('Error rates are back to normal')).toBe(false);
    expect(actionFromSentence('TODO: page the DB team earlier')).toBe('Page the DB team earlier');
    expect(actionFromSentence('we should add a runbook')).toBe('Add a runbook');
    expect(formatDuration(1500)).toBe('1 d 1 h');
  });
});

describe('which change requests are linked to an incident', () => {
  const end = at('11:30');
  it('links a change that names the incident or its problem, by when it was made', () => {
    expect(linkChange(change({ description: 'Fix for INC-7' }), incident, null, end)).toMatchObject({
      via: 'mentions_incident',
      role: 'possible_cause',
    });
    expect(linkChange(change({ title: 'Follow-up inc-7', createdAt: at('12:00') }), incident, null, end)).toMatchObject(
      { role: 'follow_up' },
    );
    expect(linkChange(change({ description: 'See INC-70' }), incident, null, end)).toBeNull();
    const problem = {
      id: 'p',
      key: 'PRB-2',
      title: 't',
      description: null,
      status: 'open',
      rootCause: null,
      workaround: null,
    };
    expect(linkChange(change({ title: 'PRB-2 fix', createdAt: at('13:00') }), incident, problem, end)).toMatchObject({
      via: 'mentions_problem',
      role: 'follow_up',
    });
  });

  it('links a carried-out change on the service whose window touches the day before the start as a possible cause', () => {
    const onService = { serviceId: 'svc-api', plannedStart: at('09:00'), plannedEnd: at('09:30') };
    expect(linkChange(change(onService), incident, null, end)).toMatchObject({
      via: 'service',
      role: 'possible_cause',
    });
    expect(
      linkChange(change({ ...onService, serviceId: null, assetServiceIds: ['svc-api'] }), incident, null, end),
    ).toMatchObject({ role: 'possible_cause' });
    expect(linkChange(change({ ...onService, status: 'submitted' }), incident, null, end)).toBeNull();
    expect(
      linkChange(
        change({ ...onService, plannedStart: at('09:00', '2026-05-02'), plannedEnd: at('09:30', '2026-05-02') }),
        incident,
        null,
        end,
      ),
    ).toBeNull();
    expect(linkChange(change({ ...onService, serviceId: 'svc-other' }), incident, null, end)).toBeNull();
  });

  it('links a change made on the service from the start until 14 days after the end as a follow-up', () => {
    expect(
      linkChange(
        change({ serviceId: 'svc-api', status: 'draft', createdAt: at('12:00', '2026-05-10') }),
        incident,
        null,
        end,
      ),
    ).toMatchObject({ role: 'follow_up' });
    expect(
      linkChange(
        change({ serviceId: 'svc-api', status: 'draft', createdAt: at('12:00', '2026-05-30') }),
        incident,
        null,
        end,
      ),
    ).toBeNull();
    expect(
      linkChange(change({ serviceId: 'svc-api', status: 'cancelled', createdAt: at('12:00') }), incident, null, end),
    ).toBeNull();
  });
});

describe('checking a model’s draft against the record', () => {
  const facts = buildFacts(source());
  const good: ModelDraft = {
    title: 'Config push broke the API',
    severity_impact: 'API errors for 90 minutes',
    timeline: facts.timeline.map((e) => ({ ref: e.ref, at: e.at.toISOString(), description: `Rewritten ${e.ref}` })),
    root_cause: 'A bad config push',
    contributing_factors: ['No config validation', '  '],
    action_items: [{ ref: 0, description: 'Validate configs before pushing' }],
    duration_minutes: 90,
    resolution: null,
  };

  it('keeps a faithful draft as it is, with the record’s owners on action items', () => {
    const { content, corrections } = checkModelDraft(facts, good);
    expect(corrections).toEqual([]);
    expect(content.timeline.map((e) => e.description)).toEqual([
      'Rewritten 0',
      'Rewritten 1',
      'Rewritten 2',
      'Rewritten 3',
    ]);
    expect(content.actionItems).toEqual([
      { description: 'Validate configs before pushing', ownerId: 'u2', dueAt: null, done: false },
    ]);
    expect(content.contributingFactors).toEqual(['No config validation']);
    expect(content.durationMinutes).toBe(90);
  });

  it('puts back a duration and a timestamp the model changed', () => {
    const moved = {
      ...good,
      duration_minutes: 75,
      timeline: good.timeline.map((l) => (l.ref === 2 ? { ...l, at: '2026-05-04T10:25:00Z' } : l)),
    };
    const { content, corrections } = checkModelDraft(facts, moved);
    expect(content.durationMinutes).toBe(90);
    expect(content.timeline[2].at).toEqual(at('10:20'));
    expect(corrections).toEqual([
      'duration_minutes: the model said 75, the record says 90',
      'timeline[2].at: the model said 2026-05-04T10:25:00Z, the record says 2026-05-04T10:20:00.000Z',
    ]);
  });

  it('keeps a record-derived action item the model dropped', () => {
    const { content } = checkModelDraft(facts, {
      ...good,
      action_items: [{ ref: null, description: 'Write a runbook' }],
    });
    expect(content.actionItems.map((a) => a.description)).toEqual(['Add config validation.', 'Write a runbook']);
  });

  it('refuses a draft without a title or without a timeline', () => {
    expect(() => checkModelDraft(facts, { ...good, title: ' ' })).toThrow(MalformedOutputError);
    expect(() => checkModelDraft(facts, { ...good, timeline: [] })).toThrow(MalformedOutputError);
  });
});
