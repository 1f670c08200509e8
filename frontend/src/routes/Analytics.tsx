import { useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { CsvButton, FiguresTable } from '../analytics/Tables';
import { AnalyticsPageQuery, FiguresFragment, TrendFragment } from '../analytics/queries';
import { Seconds, SEVERITIES, TrendChart, type SeverityName, type TrendPoint } from '../analytics/TrendChart';
import { Loading, SelectField } from '../components/ui';
import { ListOptionsQuery } from '../documents';
import { fromCombined } from '../errors';
import { formatRate, viewerTimeZone } from '../format';
import { getFragmentData, type FragmentType } from '../gql';

/** The windows offered: on-call load is answered for at most 90 days. */
const WINDOWS = [7, 30, 90] as const;
const DEFAULT_DAYS = 30;
type Statistic = 'medianSeconds' | 'p90Seconds';

function windowDays(value: string | null): number {
  const n = Number(value);
  return (WINDOWS as readonly number[]).includes(n) ? n : DEFAULT_DAYS;
}

function Card({ label, children, note }: { label: string; children: ReactNode; note?: string }) {
  return (
    <div className="kpi">
      <dt>{label}</dt>
      <dd>
        {children}
        {note ? <span className="muted kpi-note"> {note}</span> : null}
      </dd>
    </div>
  );
}

function trendPoints(
  bySeverity: Record<SeverityName, FragmentType<typeof TrendFragment>>,
  metric: 'timeToAcknowledge' | 'timeToResolve',
  stat: Statistic,
): TrendPoint[] {
  const series = SEVERITIES.map((s) => [s, getFragmentData(TrendFragment, bySeverity[s]).groups] as const);
  const weeks = (series[0]?.[1] ?? []).map((g) => g.key ?? '');
  return weeks.map((week, i) => ({
    week,
    values: Object.fromEntries(series.map(([s, groups]) => [s, groups[i]?.[metric][stat] ?? null])) as Record<
      SeverityName,
      number | null
    >,
  }));
}

export default function Analytics() {
  const [params, setParams] = useSearchParams();
  const days = windowDays(params.get('days'));
  const timeZone = viewerTimeZone();
  const [stat, setStat] = useState<Statistic>('medianSeconds');
  const variables = useMemo(() => {
    const to = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    return { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString(), timeZone };
  }, [days, timeZone]);
  const [{ data, error, fetching }] = useQuery({ query: AnalyticsPageQuery, variables });
  const [{ data: options }] = useQuery({ query: ListOptionsQuery });

  const chooser = (
    <SelectField
      label="Window"
      value={String(days)}
      onChange={(e) => setParams(e.target.value === String(DEFAULT_DAYS) ? {} : { days: e.target.value })}
    >
      {WINDOWS.map((d) => (
        <option key={d} value={d}>
          Last {d} days
        </option>
      ))}
    </SelectField>
  );
  const head = (
    <div className="page-head">
      <h1>Analytics</h1>
      <div className="analytics-window">{chooser}</div>
    </div>
  );
  if (error && !data)
    return (
      <section>
        {head}
        <p role="alert">{fromCombined(error).message}</p>
      </section>
    );
  if (!data)
    return (
      <section>
        {head}
        {fetching ? <Loading label="Computing figures…" /> : null}
      </section>
    );

  const all = getFragmentData(FiguresFragment, data.overall.groups[0]);
  const defs = data.overall.definitions;
  const named =
    (list: readonly { id: string; name: string }[] | undefined, none: string) => (key: string | null | undefined) =>
      key ? (list?.find((x) => x.id === key)?.name ?? 'Unknown') : none;
  const bySeverity = { P1: data.p1, P2: data.p2, P3: data.p3, P4: data.p4 };
  const windowParams = { from: variables.from, to: variables.to, time_zone: timeZone };
  const userName = named(options?.users.items, 'Nobody');

  return (
    <section className="analytics">
      {head}
      <p className="muted">
        Incidents that started from {new Date(variables.from).toLocaleDateString()} to now; weeks start on Monday in
        your time zone, {timeZone}.
      </p>

      <h2>Headline figures</h2>
      {all ? (
        <dl className="kpis">
          <Card label="Opened">{all.opened}</Card>
          <Card label="Resolved">{all.resolved}</Card>
          <Card label="Still open">{all.stillOpen}</Card>
          <Card label="Reopened">{all.reopened}</Card>
          <Card label="Median time to acknowledge" note={`of ${all.timeToAcknowledge.count}`}>
            <Seconds value={all.timeToAcknowledge.medianSeconds} />
          </Card>
          <Card label="P90 time to acknowledge">
            <Seconds value={all.timeToAcknowledge.p90Seconds} />
          </Card>
          <Card label="Median time to resolve" note={`of ${all.timeToResolve.count}`}>
            <Seconds value={all.timeToResolve.medianSeconds} />
          </Card>
          <Card label="P90 time to resolve">
            <Seconds value={all.timeToResolve.p90Seconds} />
          </Card>
          <Card label="Median time to mitigate" note={`of ${all.timeToMitigate.count}`}>
            <Seconds value={all.timeToMitigate.medianSeconds} />
          </Card>
          <Card label="Response SLA breached">{formatRate(all.slaResponseBreachRate)}</Card>
          <Card label="Resolution SLA breached">{formatRate(all.slaResolutionBreachRate)}</Card>
          <Card label="Postmortem coverage">{formatRate(all.postmortemCoverage)}</Card>
        </dl>
      ) : null}

      <div className="page-head">
        <h2>Weekly trend by severity</h2>
        <fieldset className="inline-choice">
          <legend className="sr-only">Statistic</legend>
          <label className="check">
            <input
              type="radio"
              name="statistic"
              checked={stat === 'medianSeconds'}
              onChange={() => setStat('medianSeconds')}
            />{' '}
            Median
          </label>
          <label className="check">
            <input
              type="radio"
              name="statistic"
              checked={stat === 'p90Seconds'}
              onChange={() => setStat('p90Seconds')}
            />{' '}
            90th percentile
          </label>
        </fieldset>
      </div>
      <div className="trends">
        <TrendChart
          title={`Time to acknowledge (${stat === 'medianSeconds' ? 'median' : 'p90'})`}
          points={trendPoints(bySeverity, 'timeToAcknowledge', stat)}
        />
        <TrendChart
          title={`Time to resolve (${stat === 'medianSeconds' ? 'median' : 'p90'})`}
          points={trendPoints(bySeverity, 'timeToResolve', stat)}
        />
      </div>

      <div className="page-head">
        <h2>By service</h2>
        <CsvButton
          path="incidents"
          params={{ ...windowParams, group_by: 'service' }}
          filename={`incidents-by-service-${days}d.csv`}
          label="Download CSV by service"
        />
      </div>
      <FiguresTable
        caption="Incident figures by service"
        column="Service"
        groups={data.byService.groups}
        name={named(options?.services.items, 'No service')}
      />

      <div className="page-head">
        <h2>By team</h2>
        <CsvButton
          path="incidents"
          params={{ ...windowParams, group_by: 'team' }}
          filename={`incidents-by-team-${days}d.csv`}
          label="Download CSV by team"
        />
      </div>
      <FiguresTable
        caption="Incident figures by team"
        column="Team"
        groups={data.byTeam.groups}
        name={named(options?.teams.items, 'No team')}
      />

      <div className="page-head">
        <h2>On-call load</h2>
        <CsvButton
          path="on-call-load"
          params={{ from: variables.from, to: variables.to }}
          filename={`on-call-load-${days}d.csv`}
          label="Download on-call CSV"
        />
      </div>
      {data.onCallLoad.people.length ? (
        <div className="table-wrap">
          <table className="figures on-call-load">
            <caption className="sr-only">On-call load per person</caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Hours on call</th>
                <th scope="col">Incidents</th>
                <th scope="col">Outside 08:00–20:00</th>
                <th scope="col">At night</th>
              </tr>
            </thead>
            <tbody>
              {data.onCallLoad.people.map((p) => (
                <tr key={p.userId} data-key={p.userId}>
                  <th scope="row">{userName(p.userId)}</th>
                  <td>{Math.round(p.hoursOnCall * 10) / 10}</td>
                  <td>{p.incidents}</td>
                  <td>{p.outsideHours}</td>
                  <td>{p.night}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">Nobody was on call in this window.</p>
      )}

      <h2>Definitions</h2>
      <dl className="definitions">
        <dt>Window</dt>
        <dd>{defs.window}</dd>
        <dt>Severity</dt>
        <dd>{defs.severity}</dd>
        <dt>Opened</dt>
        <dd>{defs.opened}</dd>
        <dt>Resolved</dt>
        <dd>{defs.resolved}</dd>
        <dt>Still open</dt>
        <dd>{defs.stillOpen}</dd>
        <dt>Reopened</dt>
        <dd>{defs.reopened}</dd>
        <dt>Time to acknowledge</dt>
        <dd>{defs.timeToAcknowledge}</dd>
        <dt>Time to mitigate</dt>
        <dd>{defs.timeToMitigate}</dd>
        <dt>Time to resolve</dt>
        <dd>{defs.timeToResolve}</dd>
        <dt>Median, P90</dt>
        <dd>{defs.durations}</dd>
        <dt>Response SLA breached</dt>
        <dd>{defs.slaResponseBreachRate}</dd>
        <dt>Resolution SLA breached</dt>
        <dd>{defs.slaResolutionBreachRate}</dd>
        <dt>Postmortem coverage</dt>
        <dd>{defs.postmortemCoverage}</dd>
        <dt>Hours on call</dt>
        <dd>{data.onCallLoad.definitions.hoursOnCall}</dd>
        <dt>On-call incidents</dt>
        <dd>{data.onCallLoad.definitions.incidents}</dd>
        <dt>Outside 08:00–20:00</dt>
        <dd>{data.onCallLoad.definitions.outsideHours}</dd>
        <dt>At night</dt>
        <dd>{data.onCallLoad.definitions.night}</dd>
      </dl>
    </section>
  );
}
