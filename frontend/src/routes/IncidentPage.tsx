import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { FormError, Loading, SelectField, SeverityBadge, StatusBadge, TextArea, TextField } from '../components/ui';
import { ClassifyPreviewQuery, ListOptionsQuery } from '../documents';
import { fromCombined, isNotFound, type ApiError } from '../errors';
import { SEVERITIES } from '../filters';
import { formatDistance, formatTime, percent } from '../format';
import { getFragmentData, graphql, type FragmentType } from '../gql';
import type { IncidentStatus, Severity } from '../gql/graphql';
import { useNow } from '../hooks';
import { MOVE_LABEL, nextStatuses } from '../lifecycle';
import { useCanWrite } from '../session-context';
import NotFound from './NotFound';

const TimelineEntry = graphql(`
  fragment TimelineEntry on IncidentEvent {
    id
    type
    message
    occurredAt
    actor {
      id
      name
    }
  }
`);

const IncidentDetailQuery = graphql(`
  query IncidentDetail($id: IdOrKey!) {
    incident(id: $id) {
      id
      key
      title
      description
      status
      severity
      source
      tags
      createdAt
      startedAt
      acknowledgedAt
      mitigatedAt
      resolvedAt
      closedAt
      autoClassified
      classificationConfidence
      classificationModel
      suggestedSeverity
      slaBreached
      slaStartedAt
      slaResponseDueAt
      slaResolutionDueAt
      slaResponseBreachedAt
      slaResolutionBreachedAt
      slaPolicy {
        id
        name
      }
      serviceId
      service {
        id
        name
      }
      teamId
      team {
        id
        name
      }
      assigneeId
      assignee {
        id
        name
      }
      problem {
        id
        key
        title
        status
      }
      timeline(limit: 100) {
        id
        ...TimelineEntry
      }
    }
  }
`);

const IncidentRelatedQuery = graphql(`
  query IncidentRelated($id: IdOrKey!) {
    similarIncidents(id: $id, limit: 5) {
      model
      matches {
        incidentId
        title
        score
        severity
        relation
      }
    }
    postmortems(filter: { incidentId: [$id] }, limit: 1) {
      items {
        id
        title
        status
      }
    }
  }
`);

const ServiceChangesQuery = graphql(`
  query ServiceChanges($serviceId: UUID!) {
    changeRequests(filter: { serviceId: [$serviceId] }, limit: 5, sort: "-created_at") {
      items {
        id
        key
        title
        status
        plannedStart
      }
    }
  }
`);

const TeamPoliciesQuery = graphql(`
  query TeamPolicies($teamId: UUID!) {
    escalationPolicies(filter: { teamId: [$teamId] }, limit: 1) {
      items {
        id
        name
      }
    }
  }
`);

const EscalationPlanQuery = graphql(`
  query IncidentEscalationPlan($policyId: UUID!, $incidentId: IdOrKey!) {
    escalationPlan(policyId: $policyId, incidentId: $incidentId) {
      start
      stoppedAt
      steps {
        level
        repetition
        at
        suppressed
        userIds
      }
    }
  }
`);

const UpdateIncidentMutation = graphql(`
  mutation UpdateIncident($id: IdOrKey!, $input: UpdateIncidentInput!) {
    updateIncident(id: $id, input: $input) {
      id
      status
      severity
      assigneeId
      assignee {
        id
        name
      }
    }
  }
`);

const AddCommentMutation = graphql(`
  mutation AddComment($input: CreateIncidentEventInput!) {
    createIncidentEvent(input: $input) {
      id
      incidentId
    }
  }
`);

const GenerateDraftMutation = graphql(`
  mutation GeneratePostmortemDraft($incidentId: IdOrKey!) {
    draftPostmortem(input: { incidentId: $incidentId, persist: true }) {
      model
      postmortem {
        id
        status
      }
    }
  }
`);

function Timeline({ entries }: { entries: FragmentType<typeof TimelineEntry>[] }) {
  const items = entries.map((e) => getFragmentData(TimelineEntry, e));
  return (
    <ol className="timeline">
      {items.map((e) => (
        <li key={e.id}>
          <time dateTime={e.occurredAt}>{formatTime(e.occurredAt)}</time>
          <span className={`event-type t-${e.type}`}>{e.type.replace('_', ' ')}</span>
          <span className="event-message">{e.message}</span>
          {e.actor ? <span className="muted"> — {e.actor.name}</span> : null}
        </li>
      ))}
    </ol>
  );
}

function SlaClock({
  label,
  due,
  breachedAt,
  metAt,
  now,
}: {
  label: string;
  due: string | null | undefined;
  breachedAt: string | null | undefined;
  metAt: string | null | undefined;
  now: number;
}) {
  if (!due) return null;
  const dueMs = Date.parse(due);
  let state: string;
  let cls = 'ok';
  if (metAt && Date.parse(metAt) <= dueMs) state = `Met at ${formatTime(metAt)}`;
  else if (breachedAt || (!metAt && now > dueMs) || (metAt && Date.parse(metAt) > dueMs)) {
    state = `Breached ${breachedAt ? formatTime(breachedAt) : formatDistance(dueMs - now)}`;
    cls = 'breached';
  } else {
    state = `Due ${formatDistance(dueMs - now)}`;
    if (dueMs - now < 15 * 60_000) cls = 'soon';
  }
  return (
    <div className={`sla ${cls}`}>
      <span className="sla-label">{label}</span>
      <span>due {formatTime(due)}</span>
      <strong>{state}</strong>
    </div>
  );
}

function Related({
  id,
  serviceId,
  teamId,
  canWrite,
}: {
  id: string;
  serviceId: string | null | undefined;
  teamId: string | null | undefined;
  canWrite: boolean;
}) {
  const navigate = useNavigate();
  const [{ data, error }] = useQuery({ query: IncidentRelatedQuery, variables: { id } });
  const [{ data: changes }] = useQuery({
    query: ServiceChangesQuery,
    variables: { serviceId: serviceId ?? '' },
    pause: !serviceId,
  });
  const [{ data: policies }] = useQuery({
    query: TeamPoliciesQuery,
    variables: { teamId: teamId ?? '' },
    pause: !teamId,
  });
  const policy = policies?.escalationPolicies.items[0];
  // The plan changes with the incident (an acknowledgement stops it): refetched whenever an Incident changes.
  const incidentContext = useMemo(() => ({ additionalTypenames: ['Incident'] }), []);
  const [{ data: plan }] = useQuery({
    query: EscalationPlanQuery,
    variables: { policyId: policy?.id ?? '', incidentId: id },
    pause: !policy,
    context: incidentContext,
  });
  const [{ data: options }] = useQuery({ query: ListOptionsQuery });
  const [drafting, draft] = useMutation(GenerateDraftMutation);
  const [draftError, setDraftError] = useState<ApiError | null>(null);
  const name = (userId: string) => options?.users.items.find((u) => u.id === userId)?.name ?? 'someone';
  const postmortem = data?.postmortems.items[0];
  const generate = async () => {
    setDraftError(null);
    const result = await draft({ incidentId: id });
    if (result.error) setDraftError(fromCombined(result.error));
    else navigate(`/incidents/${id}/postmortem`);
  };
  return (
    <>
      <section className="card" aria-labelledby="similar-title">
        <h2 id="similar-title">Similar incidents</h2>
        {error ? <p role="alert">{fromCombined(error).message}</p> : null}
        {data && !data.similarIncidents.matches.length ? <p className="muted">No similar incidents yet.</p> : null}
        <ul className="similar">
          {data?.similarIncidents.matches.map((m) => (
            <li key={m.incidentId}>
              <Link to={`/incidents/${m.incidentId}`}>
                {m.incidentId} {m.title}
              </Link>{' '}
              <SeverityBadge severity={m.severity} /> <span className="score">score {m.score.toFixed(2)}</span>
              {m.relation === 'possible_duplicate' ? <span className="badge dup">Possible duplicate</span> : null}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="pm-title">
        <h2 id="pm-title">Postmortem</h2>
        {postmortem ? (
          <p>
            <Link to={`/incidents/${id}/postmortem`}>{postmortem.title}</Link>{' '}
            <StatusBadge status={postmortem.status} />
          </p>
        ) : canWrite ? (
          <>
            <FormError error={draftError} />
            <button type="button" onClick={generate} disabled={drafting.fetching}>
              Generate postmortem draft
            </button>
          </>
        ) : (
          <p className="muted">No postmortem yet.</p>
        )}
      </section>
      {policy && plan ? (
        <section className="card" aria-labelledby="esc-title">
          <h2 id="esc-title">Escalation: {policy.name}</h2>
          {plan.escalationPlan.stoppedAt ? (
            <p className="muted">Stopped escalating {formatTime(plan.escalationPlan.stoppedAt)}.</p>
          ) : null}
          <ol className="plan">
            {plan.escalationPlan.steps.map((s) => (
              <li key={`${s.level}-${s.repetition}`} className={s.suppressed ? 'suppressed' : ''}>
                Level {s.level}
                {s.repetition ? ` (repeat ${s.repetition})` : ''} at {formatTime(s.at)}:{' '}
                {s.userIds.map(name).join(', ') || 'nobody'}
                {s.suppressed ? ' — not sent' : ''}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {changes?.changeRequests.items.length ? (
        <section className="card" aria-labelledby="changes-title">
          <h2 id="changes-title">Recent changes on this service</h2>
          <ul>
            {changes.changeRequests.items.map((c) => (
              <li key={c.id}>
                {c.key} {c.title} <StatusBadge status={c.status} /> {c.plannedStart ? formatTime(c.plannedStart) : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function Reasoning({
  title,
  description,
  serviceId,
}: {
  title: string;
  description: string | null | undefined;
  serviceId: string | null | undefined;
}) {
  const [{ data }] = useQuery({
    query: ClassifyPreviewQuery,
    variables: { input: { title, description: description ?? null, serviceId: serviceId ?? null } },
    requestPolicy: 'cache-first',
  });
  if (!data) return null;
  return <p className="reasoning">{data.classifyIncident.reasoning}</p>;
}

export default function IncidentPage() {
  const { key = '' } = useParams();
  const canWrite = useCanWrite();
  const now = useNow();
  const [{ data, error, fetching }] = useQuery({ query: IncidentDetailQuery, variables: { id: key } });
  const [{ data: options }] = useQuery({ query: ListOptionsQuery, pause: !canWrite });
  const [updating, update] = useMutation(UpdateIncidentMutation);
  const [commenting, comment] = useMutation(AddCommentMutation);
  const [moveError, setMoveError] = useState<ApiError | null>(null);
  const [assignee, setAssignee] = useState<string | null>(null);
  const [assignError, setAssignError] = useState<ApiError | null>(null);
  const [severity, setSeverity] = useState<Severity | null>(null);
  const [reason, setReason] = useState('');
  const [severityError, setSeverityError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState('');
  const [commentError, setCommentError] = useState<ApiError | null>(null);

  if (isNotFound(error) || error?.graphQLErrors.some((e) => e.extensions?.code === 'VALIDATION_FAILED'))
    return <NotFound what="incident" />;
  if (error && !data) return <p role="alert">{fromCombined(error).message}</p>;
  if (!data) return fetching ? <Loading label="Loading incident…" /> : null;
  const i = data.incident;

  const move = async (status: IncidentStatus) => {
    setMoveError(null);
    const r = await update({ id: i.key, input: { status } });
    if (r.error) setMoveError(fromCombined(r.error));
  };
  const assign = async (e: FormEvent) => {
    e.preventDefault();
    setAssignError(null);
    const r = await update({ id: i.key, input: { assigneeId: assignee ?? i.assigneeId ?? null } });
    if (r.error) setAssignError(fromCombined(r.error));
  };
  const changeSeverity = async (e: FormEvent) => {
    e.preventDefault();
    setSeverityError(null);
    const to = severity ?? i.severity;
    if (!reason.trim()) {
      setSeverityError({
        code: 'VALIDATION_FAILED',
        message: 'Give a reason for the change.',
        fields: { reason: 'is required' },
      });
      return;
    }
    if (to === i.severity) {
      setSeverityError({
        code: 'VALIDATION_FAILED',
        message: 'Pick another severity.',
        fields: { severity: `is already ${to}` },
      });
      return;
    }
    const r = await update({ id: i.key, input: { severity: to } });
    if (r.error) return setSeverityError(fromCombined(r.error));
    const c = await comment({
      input: { incidentId: i.key, message: `Severity ${i.severity} → ${to}: ${reason.trim()}` },
    });
    if (c.error) return setSeverityError(fromCombined(c.error));
    setReason('');
    setSeverity(null);
  };
  const addComment = async (e: FormEvent) => {
    e.preventDefault();
    setCommentError(null);
    const r = await comment({ input: { incidentId: i.key, message } });
    if (r.error) setCommentError(fromCombined(r.error));
    else setMessage('');
  };
  const moves = nextStatuses(i.status);

  return (
    <article className="incident">
      <header className="incident-head">
        <p className="key">{i.key}</p>
        <h1>{i.title}</h1>
        <p className="badges">
          <SeverityBadge severity={i.severity} /> <StatusBadge status={i.status} />
          {i.slaBreached ? <span className="badge breach">SLA breached</span> : null}
        </p>
      </header>
      <div className="incident-grid">
        <div className="main-col">
          {canWrite && moves.length ? (
            <section className="card" aria-labelledby="moves-title">
              <h2 id="moves-title">Move to</h2>
              <FormError error={moveError} />
              <div className="moves" role="group" aria-labelledby="moves-title">
                {moves.map((s) => (
                  <button
                    key={s}
                    type="button"
                    className={s === 'open' ? 'secondary' : ''}
                    onClick={() => move(s)}
                    disabled={updating.fetching}
                  >
                    {MOVE_LABEL[s]}
                  </button>
                ))}
              </div>
            </section>
          ) : null}
          {i.description ? (
            <section className="card" aria-labelledby="desc-title">
              <h2 id="desc-title">Description</h2>
              <p className="pre">{i.description}</p>
            </section>
          ) : null}
          <section className="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline</h2>
            <Timeline entries={i.timeline} />
            {canWrite ? (
              <form onSubmit={addComment} noValidate className="comment-form">
                <FormError error={commentError} fields={['message']} />
                <TextArea
                  label="Comment"
                  name="message"
                  rows={3}
                  value={message}
                  onChange={(e) => setMessage(e.target.value)}
                  error={commentError?.fields.message}
                />
                <button type="submit" disabled={commenting.fetching}>
                  Add comment
                </button>
              </form>
            ) : null}
          </section>
        </div>
        <div className="side-col">
          <section className="card" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            <dl className="facts">
              <dt>Service</dt>
              <dd>{i.service?.name ?? '—'}</dd>
              <dt>Team</dt>
              <dd>{i.team?.name ?? '—'}</dd>
              <dt>Assignee</dt>
              <dd>{i.assignee?.name ?? 'Unassigned'}</dd>
              <dt>Started</dt>
              <dd>{formatTime(i.startedAt)}</dd>
              {i.acknowledgedAt ? (
                <>
                  <dt>Acknowledged</dt>
                  <dd>{formatTime(i.acknowledgedAt)}</dd>
                </>
              ) : null}
              {i.resolvedAt ? (
                <>
                  <dt>Resolved</dt>
                  <dd>{formatTime(i.resolvedAt)}</dd>
                </>
              ) : null}
              <dt>Source</dt>
              <dd>{i.source}</dd>
              {i.problem ? (
                <>
                  <dt>Problem</dt>
                  <dd>
                    {i.problem.key} {i.problem.title} <StatusBadge status={i.problem.status} />
                  </dd>
                </>
              ) : null}
            </dl>
          </section>
          <section className="card" aria-labelledby="sla-title">
            <h2 id="sla-title">SLA{i.slaPolicy ? `: ${i.slaPolicy.name}` : ''}</h2>
            {i.slaResponseDueAt || i.slaResolutionDueAt ? (
              <>
                <SlaClock
                  label="Response"
                  due={i.slaResponseDueAt}
                  breachedAt={i.slaResponseBreachedAt}
                  metAt={i.acknowledgedAt ?? i.resolvedAt}
                  now={now}
                />
                <SlaClock
                  label="Resolution"
                  due={i.slaResolutionDueAt}
                  breachedAt={i.slaResolutionBreachedAt}
                  metAt={i.resolvedAt}
                  now={now}
                />
              </>
            ) : (
              <p className="muted">No SLA policy applies to this incident.</p>
            )}
          </section>
          <section className="card" aria-labelledby="class-title">
            <h2 id="class-title">Classification</h2>
            <p>
              {i.autoClassified ? 'Severity set by the classifier' : 'Severity set by a person'}
              {i.classificationConfidence != null ? `, ${percent(i.classificationConfidence)} confident` : ''}
              {i.suggestedSeverity && i.suggestedSeverity !== i.severity
                ? ` (the classifier suggested ${i.suggestedSeverity})`
                : ''}
              .
            </p>
            <Reasoning title={i.title} description={i.description} serviceId={i.serviceId} />
          </section>
          {canWrite ? (
            <section className="card" aria-labelledby="work-title">
              <h2 id="work-title">Work it</h2>
              <form onSubmit={assign} noValidate>
                <FormError error={assignError} fields={['assigneeId']} />
                <SelectField
                  label="Assignee"
                  value={assignee ?? i.assigneeId ?? ''}
                  onChange={(e) => setAssignee(e.target.value)}
                  error={assignError?.fields.assigneeId}
                >
                  <option value="">Unassigned</option>
                  {options?.users.items.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </SelectField>
                <button type="submit" disabled={updating.fetching}>
                  Assign
                </button>
              </form>
              <form onSubmit={changeSeverity} noValidate>
                <FormError error={severityError} fields={['severity', 'reason']} />
                <SelectField
                  label="Severity"
                  value={severity ?? i.severity}
                  onChange={(e) => setSeverity(e.target.value as Severity)}
                  error={severityError?.fields.severity}
                >
                  {SEVERITIES.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </SelectField>
                <TextField
                  label="Reason"
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  error={severityError?.fields.reason}
                />
                <button type="submit" disabled={updating.fetching}>
                  Change severity
                </button>
              </form>
            </section>
          ) : null}
          <Related id={i.key} serviceId={i.serviceId} teamId={i.teamId} canWrite={canWrite} />
        </div>
      </div>
    </article>
  );
}
