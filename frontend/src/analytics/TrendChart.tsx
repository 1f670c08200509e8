import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatSeconds } from '../format';

export const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type SeverityName = (typeof SEVERITIES)[number];
const COLORS: Record<SeverityName, string> = { P1: '#b91c1c', P2: '#c2410c', P3: '#a16207', P4: '#475569' };

/** One week's value per severity, in seconds (null: no incident of that severity reached the milestone). */
export interface TrendPoint {
  week: string;
  values: Record<SeverityName, number | null>;
}

const hours = (seconds: number) => Math.round((seconds / 3600) * 100) / 100;

/** A weekly line per severity, with the same figures as a table for screen readers and exact reading. */
export function TrendChart({ title, points }: { title: string; points: TrendPoint[] }) {
  const rows = points.map((p) => ({
    week: p.week,
    ...Object.fromEntries(SEVERITIES.map((s) => [s, p.values[s] == null ? null : hours(p.values[s])])),
  }));
  return (
    <figure className="card trend">
      <figcaption>
        <h3>{title}</h3>
      </figcaption>
      <div className="chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={240}>
          <LineChart accessibilityLayer={false} data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="week" fontSize={12} />
            <YAxis fontSize={12} unit=" h" width={56} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? formatSeconds(v * 3600) : '—')} />
            <Legend />
            {SEVERITIES.map((s) => (
              <Line
                key={s}
                type="monotone"
                dataKey={s}
                stroke={COLORS[s]}
                strokeWidth={2}
                connectNulls
                dot
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>{title}: the figures</summary>
        <table className="figures">
          <thead>
            <tr>
              <th scope="col">Week from</th>
              {SEVERITIES.map((s) => (
                <th scope="col" key={s}>
                  {s}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.week}>
                <th scope="row">{p.week}</th>
                {SEVERITIES.map((s) => (
                  <td key={s}>
                    <Seconds value={p.values[s]} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** A duration as text, with the exact seconds as its machine-readable value. */
export function Seconds({ value }: { value: number | null | undefined }) {
  return value == null ? <span>—</span> : <data value={String(value)}>{formatSeconds(value)}</data>;
}
