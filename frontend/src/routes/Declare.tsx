import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { FormError, SelectField, SeverityBadge, StatusBadge, TextArea, TextField } from '../components/ui';
import { fromCombined, type ApiError } from '../errors';
import { SEVERITIES } from '../filters';
import { percent } from '../format';
import { graphql } from '../gql';
import type { Severity } from '../gql/graphql';
import { useDebounced } from '../hooks';
import { useCanWrite } from '../session-context';
import { ClassifyPreviewQuery, ListOptionsQuery } from '../documents';

const DuplicateCandidatesQuery = graphql(`
  query DuplicateCandidates($input: SimilarIncidentsTextInput!) {
    similarIncidentsToText(input: $input) {
      matches {
        incidentId
        title
        status
        severity
        score
        relation
      }
    }
  }
`);

/** Matches below this score share too little with the draft to be worth a warning. */
const DUPLICATE_MIN_SCORE = 0.2;

const DeclareIncidentMutation = graphql(`
  mutation DeclareIncident($input: CreateIncidentInput!) {
    createIncident(input: $input) {
      id
      key
    }
  }
`);

const ACTIVE = new Set(['open', 'acknowledged', 'investigating', 'mitigated']);

export default function Declare() {
  const navigate = useNavigate();
  const canWrite = useCanWrite();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [serviceId, setServiceId] = useState('');
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [error, setError] = useState<ApiError | null>(null);
  const [{ data: options }] = useQuery({ query: ListOptionsQuery });
  const [creating, create] = useMutation(DeclareIncidentMutation);

  const text = useDebounced({ title: title.trim(), description: description.trim() }, 350);
  const ready = text.title.length >= 3;
  const [{ data: preview, fetching: classifying }] = useQuery({
    query: ClassifyPreviewQuery,
    variables: { input: { title: text.title || '-', description: text.description || null } },
    pause: !ready,
    requestPolicy: 'cache-first',
  });
  const [{ data: candidates }] = useQuery({
    query: DuplicateCandidatesQuery,
    variables: {
      input: {
        title: text.title || '-',
        description: text.description || null,
        serviceId: serviceId || null,
        limit: 20,
        minScore: DUPLICATE_MIN_SCORE,
      },
    },
    pause: !ready,
    requestPolicy: 'network-only',
  });

  const serviceName = (id: string | null | undefined) => options?.services.items.find((s) => s.id === id)?.name;
  const teamName = (id: string | null | undefined) => options?.teams.items.find((t) => t.id === id)?.name;
  const c = ready ? preview?.classifyIncident : undefined;
  const duplicates = ready
    ? (candidates?.similarIncidentsToText.matches ?? []).filter((m) => ACTIVE.has(m.status)).slice(0, 5)
    : [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await create({
      input: {
        title: title.trim(),
        description: description.trim() || null,
        serviceId: serviceId || null,
        ...(severity ? { severity } : {}),
      },
    });
    if (result.error) setError(fromCombined(result.error));
    else if (result.data) navigate(`/incidents/${result.data.createIncident.key}`);
  };

  if (!canWrite) {
    return (
      <section>
        <h1>Declare an incident</h1>
        <p>
          Your role can read incidents but not declare them. Ask an admin of your organization for the responder role.
        </p>
      </section>
    );
  }
  const f = error?.fields ?? {};
  return (
    <div className="declare">
      <h1>Declare an incident</h1>
      <div className="two-col">
        <form onSubmit={submit} noValidate aria-label="Declare an incident">
          <FormError error={error} fields={['title', 'description', 'serviceId', 'severity']} />
          <TextField
            label="Title"
            name="title"
            required
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            error={f.title}
            hint="What is broken, for whom. The preview updates as you type."
          />
          <TextArea
            label="Description"
            name="description"
            rows={5}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            error={f.description}
          />
          <SelectField
            label="Service"
            name="serviceId"
            value={serviceId}
            onChange={(e) => setServiceId(e.target.value)}
            error={f.serviceId}
          >
            <option value="">No service</option>
            {options?.services.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Severity"
            name="severity"
            value={severity}
            onChange={(e) => setSeverity(e.target.value as Severity | '')}
            error={f.severity}
          >
            <option value="">Let Argus classify it</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </SelectField>
          {duplicates.length ? (
            <div className="warning" role="note" aria-label="Possible duplicates">
              <h2>Possible duplicate</h2>
              <p>These open incidents look like the same problem. Check them before declaring a new one:</p>
              <ul>
                {duplicates.map((d) => (
                  <li key={d.incidentId}>
                    <Link to={`/incidents/${d.incidentId}`}>
                      {d.incidentId} {d.title}
                    </Link>{' '}
                    <SeverityBadge severity={d.severity} /> <StatusBadge status={d.status} />{' '}
                    <span className="muted">
                      {d.relation === 'possible_duplicate' ? 'started within the day, ' : ''}match {percent(d.score)}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <button type="submit" disabled={creating.fetching}>
            Declare incident
          </button>
        </form>
        <aside className="preview" aria-labelledby="preview-title">
          <h2 id="preview-title">Classification preview</h2>
          <div aria-live="polite">
            {!ready ? (
              <p className="muted">Type a title to see how Argus classifies it.</p>
            ) : c ? (
              <dl className="facts">
                <dt>Severity</dt>
                <dd>
                  <SeverityBadge severity={c.severity} />{' '}
                  <span data-testid="preview-confidence">{percent(c.confidence)} confident</span>
                </dd>
                <dt>Suggested service</dt>
                <dd>{serviceName(c.suggestedServiceId) ?? 'None'}</dd>
                <dt>Suggested team</dt>
                <dd>{teamName(c.suggestedTeamId) ?? 'None'}</dd>
                <dt>Reasoning</dt>
                <dd className="reasoning">{c.reasoning}</dd>
                <dt>Model</dt>
                <dd>{c.model}</dd>
              </dl>
            ) : classifying ? (
              <p className="muted">Classifying…</p>
            ) : null}
            {c && (c.suggestedServiceId || !severity) ? (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setSeverity(c.severity);
                  if (c.suggestedServiceId) setServiceId(c.suggestedServiceId);
                }}
              >
                Use suggestion
              </button>
            ) : null}
          </div>
        </aside>
      </div>
    </div>
  );
}
