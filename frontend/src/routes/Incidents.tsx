import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { Loading, SelectField, SeverityBadge, StatusBadge, TextField } from '../components/ui';
import { fromCombined } from '../errors';
import {
  activeFilterCount,
  filtersFromParams,
  graphqlFilter,
  paramsFromFilters,
  SEVERITIES,
  SORTS,
  STATUSES,
  type ListFilters,
  type Sort,
} from '../filters';
import { formatTime } from '../format';
import { getFragmentData, graphql, type FragmentType } from '../gql';
import { STATUS_LABEL } from '../lifecycle';
import { ListOptionsQuery } from '../documents';
import { useCanWrite } from '../session-context';

const PAGE_SIZE = 25;

const IncidentRow = graphql(`
  fragment IncidentRow on Incident {
    id
    key
    title
    status
    severity
    createdAt
    slaBreached
    service {
      id
      name
    }
    team {
      id
      name
    }
    assignee {
      id
      name
    }
  }
`);

const IncidentListQuery = graphql(`
  query IncidentList($filter: IncidentFilter, $limit: Int, $cursor: String, $sort: String) {
    incidents(filter: $filter, limit: $limit, cursor: $cursor, sort: $sort) {
      total
      nextCursor
      items {
        id
        ...IncidentRow
      }
    }
  }
`);

const IncidentSearchQuery = graphql(`
  query IncidentSearch($q: String!, $limit: Int) {
    searchIncidents(q: $q, limit: $limit) {
      total
      model
      understood {
        text
        statuses
        severities
        serviceIds
        teamIds
        assigneeId
        unassigned
        createdAfter
        createdBefore
      }
      results {
        id
        key
        title
        status
        severity
        createdAt
        slaBreached
        score
        service {
          id
          name
        }
        team {
          id
          name
        }
        assignee {
          id
          name
        }
      }
    }
  }
`);

interface RowData {
  key: string;
  title: string;
  status: string;
  severity: string;
  createdAt: string;
  slaBreached: boolean;
  service?: { name: string } | null;
  team?: { name: string } | null;
  assignee?: { name: string } | null;
}

function Row({ incident }: { incident: RowData }) {
  return (
    <tr>
      <td className="key">{incident.key}</td>
      <td className="title-cell">
        <Link to={`/incidents/${incident.key}`}>{incident.title}</Link>
        {incident.slaBreached ? <span className="badge breach">SLA breached</span> : null}
      </td>
      <td>
        <SeverityBadge severity={incident.severity} />
      </td>
      <td>
        <StatusBadge status={incident.status} />
      </td>
      <td className="wide">{incident.service?.name ?? '—'}</td>
      <td className="wide">{incident.team?.name ?? '—'}</td>
      <td className="wide">{incident.assignee?.name ?? 'Unassigned'}</td>
      <td className="wide">{formatTime(incident.createdAt)}</td>
    </tr>
  );
}

function Table({ children, caption }: { children: React.ReactNode; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="incidents">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Title</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            <th scope="col" className="wide">
              Service
            </th>
            <th scope="col" className="wide">
              Team
            </th>
            <th scope="col" className="wide">
              Assignee
            </th>
            <th scope="col" className="wide">
              Created
            </th>
          </tr>
        </thead>
        {children}
      </table>
    </div>
  );
}

function Page({
  filters,
  cursor,
  isLast,
  index,
  onMore,
}: {
  filters: ListFilters;
  cursor: string | null;
  isLast: boolean;
  index: number;
  onMore: (cursor: string) => void;
}) {
  const [{ data, error, fetching }] = useQuery({
    query: IncidentListQuery,
    variables: { filter: graphqlFilter(filters), limit: PAGE_SIZE, cursor, sort: filters.sort },
  });
  if (error && !data) return <p role="alert">{fromCombined(error).message}</p>;
  if (!data) return fetching ? <Loading label="Loading incidents…" /> : null;
  const page = data.incidents;
  const shown = index * PAGE_SIZE + page.items.length;
  return (
    <>
      {index === 0 && page.total === 0 ? (
        <p className="empty">No incidents match these filters.</p>
      ) : (
        <Table caption={`Incidents, page ${index + 1}`}>
          <tbody>
            {page.items.map((item) => (
              <IncidentRowView key={item.id} incident={item} />
            ))}
          </tbody>
        </Table>
      )}
      {isLast ? (
        <div className="list-footer">
          <p role="status" aria-live="polite">
            Showing {shown} of {page.total} incidents
          </p>
          {page.nextCursor ? (
            <button type="button" className="secondary" onClick={() => onMore(page.nextCursor!)}>
              Load more
            </button>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

function IncidentRowView({ incident }: { incident: FragmentType<typeof IncidentRow> }) {
  return <Row incident={getFragmentData(IncidentRow, incident)} />;
}

function Pages({ filters }: { filters: ListFilters }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <>
      {cursors.map((cursor, i) => (
        <Page
          key={cursor ?? 'first'}
          filters={filters}
          cursor={cursor}
          index={i}
          isLast={i === cursors.length - 1}
          onMore={(next) => setCursors([...cursors, next])}
        />
      ))}
    </>
  );
}

function SearchResults({ q }: { q: string }) {
  const [{ data, error, fetching }] = useQuery({ query: IncidentSearchQuery, variables: { q, limit: 50 } });
  if (error && !data) return <p role="alert">{fromCombined(error).message}</p>;
  if (!data) return fetching ? <Loading label="Searching…" /> : null;
  const s = data.searchIncidents;
  const u = s.understood;
  const chips = [
    ...u.statuses.map((x) => `status: ${x}`),
    ...u.severities.map((x) => `severity: ${x}`),
    ...(u.serviceIds.length ? [`${u.serviceIds.length} service(s)`] : []),
    ...(u.teamIds.length ? [`${u.teamIds.length} team(s)`] : []),
    ...(u.assigneeId ? ['assigned to me'] : []),
    ...(u.unassigned ? ['unassigned'] : []),
    ...(u.createdAfter ? [`since ${formatTime(u.createdAfter)}`] : []),
    ...(u.createdBefore ? [`before ${formatTime(u.createdBefore)}`] : []),
    ...(u.text ? [`text: “${u.text}”`] : []),
  ];
  return (
    <>
      <p className="understood">
        Understood as:{' '}
        {chips.length ? (
          chips.map((c) => (
            <span key={c} className="chip">
              {c}
            </span>
          ))
        ) : (
          <span className="chip">everything</span>
        )}
      </p>
      {s.results.length ? (
        <Table caption="Search results">
          <tbody>
            {s.results.map((r) => (
              <Row key={r.id} incident={r} />
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="empty">No incidents match this search.</p>
      )}
      <p role="status">
        Showing {s.results.length} of {s.total} matching incidents
      </p>
    </>
  );
}

function toggle<T>(list: T[], value: T, on: boolean): T[] {
  return on ? [...list, value] : list.filter((v) => v !== value);
}

const one = (list: string[]) => list[0] ?? '';

/** A filter that picks one of the organization's services, teams or people (the URL may hold several: the first). */
function OneOf(props: {
  label: string;
  none: string;
  items: ReadonlyArray<{ id: string; name: string }> | undefined;
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  return (
    <SelectField
      label={props.label}
      value={one(props.value)}
      onChange={(e) => props.onChange(e.target.value ? [e.target.value] : [])}
    >
      <option value="">{props.none}</option>
      {props.items?.map((item) => (
        <option key={item.id} value={item.id}>
          {item.name}
        </option>
      ))}
    </SelectField>
  );
}

export default function Incidents() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const canWrite = useCanWrite();
  const [{ data: options }] = useQuery({ query: ListOptionsQuery });
  const [search, setSearch] = useState(filters.q ?? '');
  const update = (next: Partial<ListFilters>) => setParams(paramsFromFilters({ ...filters, ...next }));
  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    update({ q: search.trim() || null });
  };
  const key = paramsFromFilters(filters).toString();

  return (
    <div className="incidents-page">
      <div className="page-head">
        <h1>Incidents</h1>
        {canWrite ? (
          <Link className="button" to="/incidents/new">
            Declare incident
          </Link>
        ) : null}
      </div>
      <form className="search" role="search" onSubmit={onSearch}>
        <TextField
          label="Search"
          type="search"
          name="q"
          placeholder="open P1 payments incidents since last monday"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button type="submit">Search</button>
        {filters.q ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setSearch('');
              update({ q: null });
            }}
          >
            Clear search
          </button>
        ) : null}
      </form>
      {filters.q ? (
        <SearchResults q={filters.q} />
      ) : (
        <div className="list-layout">
          <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
            <fieldset>
              <legend>Status</legend>
              {STATUSES.map((s) => (
                <label key={s} className="check">
                  <input
                    type="checkbox"
                    checked={filters.status.includes(s)}
                    onChange={(e) => update({ status: toggle(filters.status, s, e.target.checked) })}
                  />
                  {STATUS_LABEL[s]}
                </label>
              ))}
            </fieldset>
            <fieldset>
              <legend>Severity</legend>
              {SEVERITIES.map((s) => (
                <label key={s} className="check">
                  <input
                    type="checkbox"
                    checked={filters.severity.includes(s)}
                    onChange={(e) => update({ severity: toggle(filters.severity, s, e.target.checked) })}
                  />
                  {s}
                </label>
              ))}
            </fieldset>
            <OneOf
              label="Service"
              none="Any service"
              items={options?.services.items}
              value={filters.service}
              onChange={(service) => update({ service })}
            />
            <OneOf
              label="Team"
              none="Any team"
              items={options?.teams.items}
              value={filters.team}
              onChange={(team) => update({ team })}
            />
            <OneOf
              label="Assignee"
              none="Anyone"
              items={options?.users.items}
              value={filters.assignee}
              onChange={(assignee) => update({ assignee })}
            />
            <TextField
              label="Created from"
              type="date"
              value={filters.from ?? ''}
              onChange={(e) => update({ from: e.target.value || null })}
            />
            <TextField
              label="Created until"
              type="date"
              value={filters.to ?? ''}
              onChange={(e) => update({ to: e.target.value || null })}
            />
            <SelectField label="Sort" value={filters.sort} onChange={(e) => update({ sort: e.target.value as Sort })}>
              {Object.entries(SORTS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </SelectField>
            {activeFilterCount(filters) ? (
              <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams())}>
                Clear filters
              </button>
            ) : null}
          </form>
          <section aria-label="Incident list" className="list">
            <Pages key={key} filters={filters} />
          </section>
        </div>
      )}
    </div>
  );
}
