import { useQuery } from 'urql';
import { Loading } from '../components/ui';
import { fromCombined } from '../errors';
import { formatDistance, formatTime, viewerTimeZone } from '../format';
import { graphql } from '../gql';
import { useNow } from '../hooks';

const SchedulesQuery = graphql(`
  query OnCallSchedules {
    onCallSchedules(limit: 100) {
      items {
        id
        name
        timeZone
        team {
          id
          name
        }
      }
    }
    users(limit: 100) {
      items {
        id
        name
      }
    }
  }
`);

const OnCallNowQuery = graphql(`
  query OnCallNow($scheduleId: UUID!, $at: DateTimeISO) {
    onCall(scheduleId: $scheduleId, at: $at) {
      at
      userIds
      shiftStart
      shiftEnd
    }
  }
`);

function NextShift({ scheduleId, at, names }: { scheduleId: string; at: string; names: (ids: string[]) => string }) {
  const [{ data }] = useQuery({ query: OnCallNowQuery, variables: { scheduleId, at } });
  if (!data) return null;
  return <>{names(data.onCall.userIds)}</>;
}

function Schedule({
  schedule,
  names,
  now,
}: {
  schedule: { id: string; name: string; timeZone: string; team?: { name: string } | null };
  names: (ids: string[]) => string;
  now: number;
}) {
  const [{ data, error }] = useQuery({ query: OnCallNowQuery, variables: { scheduleId: schedule.id } });
  const answer = data?.onCall;
  return (
    <li className="card schedule">
      <h2>{schedule.name}</h2>
      <p className="muted">
        {schedule.team ? `${schedule.team.name} · ` : ''}schedule time zone {schedule.timeZone}
      </p>
      {error ? <p role="alert">{fromCombined(error).message}</p> : null}
      {answer ? (
        <dl className="facts">
          <dt>On call now</dt>
          <dd className="on-call-now">{names(answer.userIds) || 'Nobody'}</dd>
          <dt>Since</dt>
          <dd>{formatTime(answer.shiftStart)}</dd>
          <dt>Next handoff</dt>
          <dd>
            {answer.shiftEnd ? (
              <>
                {formatTime(answer.shiftEnd)} ({formatDistance(Date.parse(answer.shiftEnd) - now)}) to{' '}
                <NextShift scheduleId={schedule.id} at={answer.shiftEnd} names={names} />
              </>
            ) : (
              'None within a year'
            )}
          </dd>
        </dl>
      ) : (
        <Loading />
      )}
    </li>
  );
}

export default function OnCall() {
  const [{ data, error, fetching }] = useQuery({ query: SchedulesQuery });
  const now = useNow(30_000);
  if (error && !data) return <p role="alert">{fromCombined(error).message}</p>;
  if (!data) return fetching ? <Loading label="Loading schedules…" /> : null;
  const names = (ids: string[]) =>
    ids.map((id) => data.users.items.find((u) => u.id === id)?.name ?? 'Unknown user').join(', ');
  return (
    <section>
      <h1>On call now</h1>
      <p className="muted">Times are in your time zone, {viewerTimeZone()}.</p>
      {data.onCallSchedules.items.length ? (
        <ul className="schedules">
          {data.onCallSchedules.items.map((s) => (
            <Schedule key={s.id} schedule={s} names={names} now={now} />
          ))}
        </ul>
      ) : (
        <p className="empty">No on-call schedules yet. An admin creates them through the API.</p>
      )}
    </section>
  );
}
