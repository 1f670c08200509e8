import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { FormError, Loading, SelectField, StatusBadge, TextArea, TextField } from '../components/ui';
import { ListOptionsQuery } from '../documents';
import { fromCombined, isNotFound, type ApiError } from '../errors';
import { formatTime } from '../format';
import { getFragmentData, graphql, type FragmentType } from '../gql';
import type { PostmortemStatus, UpdatePostmortemInput } from '../gql/graphql';
import { nextPostmortemStatuses, POSTMORTEM_MOVE_LABEL } from '../lifecycle';
import { useCanWrite } from '../session-context';
import NotFound from './NotFound';

const PostmortemFields = graphql(`
  fragment PostmortemFields on Postmortem {
    id
    title
    status
    aiGenerated
    severityImpact
    rootCause
    contributingFactors
    durationMinutes
    updatedAt
    timeline {
      at
      description
    }
    actionItems {
      description
      ownerId
      dueAt
      done
    }
  }
`);

const PostmortemQuery = graphql(`
  query IncidentPostmortem($id: IdOrKey!) {
    incident(id: $id) {
      id
      key
      title
    }
    postmortems(filter: { incidentId: [$id] }, limit: 1) {
      items {
        id
        ...PostmortemFields
      }
    }
  }
`);

const SavePostmortemMutation = graphql(`
  mutation SavePostmortem($id: UUID!, $input: UpdatePostmortemInput!) {
    updatePostmortem(id: $id, input: $input) {
      id
      ...PostmortemFields
    }
  }
`);

/** datetime-local wants local wall time without a zone. */
function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fromLocalInput = (value: string): string => new Date(value).toISOString();

interface Item {
  description: string;
  ownerId: string;
  due: string;
  done: boolean;
}

function Editor({ postmortem, canWrite }: { postmortem: FragmentType<typeof PostmortemFields>; canWrite: boolean }) {
  const pm = getFragmentData(PostmortemFields, postmortem);
  const [{ data: options }] = useQuery({ query: ListOptionsQuery });
  const [saving, save] = useMutation(SavePostmortemMutation);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [title, setTitle] = useState(pm.title);
  const [impact, setImpact] = useState(pm.severityImpact ?? '');
  const [rootCause, setRootCause] = useState(pm.rootCause ?? '');
  const [duration, setDuration] = useState(pm.durationMinutes == null ? '' : String(pm.durationMinutes));
  const [factors, setFactors] = useState<string[]>(pm.contributingFactors);
  const [timeline, setTimeline] = useState(
    pm.timeline.map((t) => ({ at: toLocalInput(t.at), description: t.description })),
  );
  const [items, setItems] = useState<Item[]>(
    pm.actionItems.map((a) => ({
      description: a.description,
      ownerId: a.ownerId ?? '',
      due: a.dueAt ? a.dueAt.slice(0, 10) : '',
      done: a.done,
    })),
  );
  const readOnly = !canWrite || pm.status === 'published';

  const input = (): UpdatePostmortemInput => ({
    title,
    severityImpact: impact,
    rootCause,
    durationMinutes: duration === '' ? null : Number(duration),
    contributingFactors: factors.map((f) => f.trim()).filter(Boolean),
    timeline: timeline
      .filter((t) => t.at && t.description.trim())
      .map((t) => ({ at: fromLocalInput(t.at), description: t.description.trim() })),
    actionItems: items
      .filter((a) => a.description.trim())
      .map((a) => ({
        description: a.description.trim(),
        ownerId: a.ownerId || null,
        dueAt: a.due ? new Date(`${a.due}T00:00:00Z`).toISOString() : null,
        done: a.done,
      })),
  });
  const send = async (status?: PostmortemStatus) => {
    setError(null);
    setSaved(null);
    const r = await save({ id: pm.id, input: status ? { ...input(), status } : input() });
    if (r.error) setError(fromCombined(r.error));
    else setSaved(status ? `Moved to ${status.replace('_', ' ')}.` : 'Saved.');
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send();
  };
  const f = error?.fields ?? {};
  const set = <T,>(list: T[], i: number, value: T) => list.map((x, j) => (j === i ? value : x));

  return (
    <form onSubmit={submit} noValidate className="postmortem">
      <p className="badges">
        <StatusBadge status={pm.status} /> {pm.aiGenerated ? <span className="badge">drafted by Argus</span> : null}{' '}
        <span className="muted">updated {formatTime(pm.updatedAt)}</span>
      </p>
      <FormError
        error={error}
        fields={['title', 'severityImpact', 'rootCause', 'durationMinutes', 'description', 'at', 'dueAt', 'ownerId']}
      />
      <fieldset disabled={readOnly}>
        <TextField label="Title" value={title} onChange={(e) => setTitle(e.target.value)} error={f.title} />
        <TextArea
          label="Impact"
          rows={3}
          value={impact}
          onChange={(e) => setImpact(e.target.value)}
          error={f.severityImpact}
        />
        <TextField
          label="Duration (minutes)"
          type="number"
          min={0}
          value={duration}
          onChange={(e) => setDuration(e.target.value)}
          error={f.durationMinutes}
        />
        <TextArea
          label="Root cause"
          rows={4}
          value={rootCause}
          onChange={(e) => setRootCause(e.target.value)}
          error={f.rootCause}
        />
      </fieldset>
      <fieldset disabled={readOnly} className="repeat">
        <legend>Timeline</legend>
        {timeline.map((t, i) => (
          <div className="row" key={i}>
            <TextField
              label={`Time ${i + 1}`}
              type="datetime-local"
              value={t.at}
              onChange={(e) => setTimeline(set(timeline, i, { ...t, at: e.target.value }))}
            />
            <TextField
              label={`What happened ${i + 1}`}
              value={t.description}
              onChange={(e) => setTimeline(set(timeline, i, { ...t, description: e.target.value }))}
            />
            <button
              type="button"
              className="secondary"
              onClick={() => setTimeline(timeline.filter((_, j) => j !== i))}
              aria-label={`Remove timeline entry ${i + 1}`}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() => setTimeline([...timeline, { at: toLocalInput(new Date().toISOString()), description: '' }])}
        >
          Add timeline entry
        </button>
      </fieldset>
      <fieldset disabled={readOnly} className="repeat">
        <legend>Contributing factors</legend>
        {factors.map((factor, i) => (
          <div className="row" key={i}>
            <TextField
              label={`Factor ${i + 1}`}
              value={factor}
              onChange={(e) => setFactors(set(factors, i, e.target.value))}
            />
            <button
              type="button"
              className="secondary"
              onClick={() => setFactors(factors.filter((_, j) => j !== i))}
              aria-label={`Remove factor ${i + 1}`}
            >
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => setFactors([...factors, ''])}>
          Add contributing factor
        </button>
      </fieldset>
      <fieldset disabled={readOnly} className="repeat">
        <legend>Action items</legend>
        {items.map((a, i) => (
          <div className="row action" key={i}>
            <TextField
              label={`Action ${i + 1}`}
              value={a.description}
              onChange={(e) => setItems(set(items, i, { ...a, description: e.target.value }))}
            />
            <SelectField
              label={`Owner of action ${i + 1}`}
              value={a.ownerId}
              onChange={(e) => setItems(set(items, i, { ...a, ownerId: e.target.value }))}
            >
              <option value="">No owner</option>
              {options?.users.items.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </SelectField>
            <TextField
              label={`Due date of action ${i + 1}`}
              type="date"
              value={a.due}
              onChange={(e) => setItems(set(items, i, { ...a, due: e.target.value }))}
            />
            <label className="check">
              <input
                type="checkbox"
                checked={a.done}
                onChange={(e) => setItems(set(items, i, { ...a, done: e.target.checked }))}
              />{' '}
              Done
            </label>
            <button
              type="button"
              className="secondary"
              onClick={() => setItems(items.filter((_, j) => j !== i))}
              aria-label={`Remove action ${i + 1}`}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() => setItems([...items, { description: '', ownerId: '', due: '', done: false }])}
        >
          Add action item
        </button>
      </fieldset>
      {readOnly ? null : (
        <div className="actions">
          <button type="submit" disabled={saving.fetching}>
            Save
          </button>
          {nextPostmortemStatuses(pm.status).map((s) => (
            <button
              key={s}
              type="button"
              className={s === 'draft' ? 'secondary' : ''}
              disabled={saving.fetching}
              onClick={() => send(s)}
            >
              {POSTMORTEM_MOVE_LABEL[s]}
            </button>
          ))}
        </div>
      )}
      <p role="status" aria-live="polite" className="saved">
        {saved}
      </p>
    </form>
  );
}

export default function PostmortemPage() {
  const { key = '' } = useParams();
  const canWrite = useCanWrite();
  const [{ data, error, fetching }] = useQuery({ query: PostmortemQuery, variables: { id: key } });
  if (isNotFound(error)) return <NotFound what="incident" />;
  if (error && !data) return <p role="alert">{fromCombined(error).message}</p>;
  if (!data) return fetching ? <Loading label="Loading postmortem…" /> : null;
  const pm = data.postmortems.items[0];
  return (
    <section>
      <p>
        <Link to={`/incidents/${data.incident.key}`}>
          ← {data.incident.key} {data.incident.title}
        </Link>
      </p>
      <h1>Postmortem</h1>
      {pm ? (
        <Editor key={pm.id} postmortem={pm} canWrite={canWrite} />
      ) : (
        <p className="empty">No postmortem yet: generate a draft from the incident page.</p>
      )}
    </section>
  );
}
