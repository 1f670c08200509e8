import { useState } from 'react';
import { formatRate } from '../format';
import { getFragmentData, type FragmentType } from '../gql';
import { useSessionObject } from '../session-context';
import { downloadCsv } from './download';
import { FiguresFragment } from './queries';
import { Seconds } from './TrendChart';

type Figures = FragmentType<typeof FiguresFragment>;

/** A CSV download of a REST analytics route for the page's window. */
export function CsvButton({
  path,
  params,
  filename,
  label,
}: {
  path: string;
  params: Record<string, string>;
  filename: string;
  label: string;
}) {
  const session = useSessionObject();
  const [error, setError] = useState<string | null>(null);
  const download = () => {
    setError(null);
    const query = new URLSearchParams({ ...params, format: 'csv' });
    downloadCsv(session.fetch, `/api/v1/analytics/${path}?${query.toString()}`, filename).catch((e: unknown) =>
      setError(e instanceof Error ? e.message : String(e)),
    );
  };
  return (
    <>
      <button type="button" className="secondary" onClick={download}>
        {label}
      </button>
      {error ? <span role="alert">{error}</span> : null}
    </>
  );
}

/** Incident figures per group (service, team), one row each, named by `name`. */
export function FiguresTable({
  caption,
  column,
  groups,
  name,
}: {
  caption: string;
  column: string;
  groups: readonly Figures[];
  name: (key: string | null | undefined) => string;
}) {
  const rows = groups.map((g) => getFragmentData(FiguresFragment, g));
  if (!rows.length) return <p className="empty">No incidents started in this window.</p>;
  return (
    <div className="table-wrap">
      <table className="figures">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{column}</th>
            <th scope="col">Opened</th>
            <th scope="col">Resolved</th>
            <th scope="col">Still open</th>
            <th scope="col">Reopened</th>
            <th scope="col">Median time to acknowledge</th>
            <th scope="col">Median time to resolve</th>
            <th scope="col">P90 time to resolve</th>
            <th scope="col">Response SLA breached</th>
            <th scope="col">Resolution SLA breached</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.key ?? 'none'} data-key={g.key ?? ''}>
              <th scope="row">{name(g.key)}</th>
              <td>{g.opened}</td>
              <td>{g.resolved}</td>
              <td>{g.stillOpen}</td>
              <td>{g.reopened}</td>
              <td>
                <Seconds value={g.timeToAcknowledge.medianSeconds} />
              </td>
              <td>
                <Seconds value={g.timeToResolve.medianSeconds} />
              </td>
              <td>
                <Seconds value={g.timeToResolve.p90Seconds} />
              </td>
              <td>{formatRate(g.slaResponseBreachRate)}</td>
              <td>{formatRate(g.slaResolutionBreachRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
