/**
 * The published definition of every analytics figure. One text per figure: it is the GraphQL description of the
 * field, the `definitions` object of every answer, and what docs/API.md (§ Analytics) restates.
 */
export const INCIDENT_DEFINITIONS = {
  window:
    'An incident belongs to the window [from, to) by its started_at, and only by it: an incident that started before the window is not counted even when it was acknowledged or resolved inside it. started_at is the time given on create (back-dated imports keep theirs), else the creation time. Every figure describes the incidents of the window as they stand now.',
  key: 'The group: "all" without grouping; the severity (P1-P4); the service, team or assignee id (null for incidents without one); or, for day, week (Monday) and month, the local date the bucket starts on in the requested time zone (buckets without incidents are listed with opened 0).',
  severity:
    'Severity is the highest severity the incident ever held (a P2 raised to P1 and lowered again counts as P1), for grouping, filtering and postmortem coverage alike.',
  opened: 'Incidents of the window (those that match the filter).',
  resolved: 'Of those, the incidents now resolved or closed.',
  reopened: 'Of those, the incidents reopened (resolved -> open) at least once, whatever their status now.',
  stillOpen:
    'Of those, the incidents neither resolved nor closed now (a reopened incident that is open again counts here). These are never averaged into the times as zero or as "so far".',
  timeToAcknowledge:
    'Seconds from started_at to the first acknowledgement: the first move out of open (to acknowledged, or straight to investigating, mitigated, resolved or closed), which a reopen does not reset. Over the incidents that were acknowledged; null figures when none was.',
  timeToMitigate:
    'Seconds from started_at to mitigated_at, over the incidents where a mitigation is recorded (a reopen clears it; an incident resolved without passing mitigated has none).',
  timeToResolve:
    'Seconds from started_at to resolved_at (the last resolution, after a reopen), over the incidents now resolved or closed.',
  durations:
    'count, mean (arithmetic), median and p90 (linear interpolation between the closest ranks, PostgreSQL percentile_cont) and max, in seconds; a time before started_at (started_at may lie up to a minute ahead) counts as 0.',
  slaResponseBreachRate:
    'Incidents whose response SLA clock was breached, divided by the incidents with a response due time whose outcome is known now (the clock stopped by the first move out of open, was breached, or is running past its due time, which counts as breached). Null when there are none.',
  slaResolutionBreachRate:
    'The same for the resolution clock, as of its latest run (a reopen starts a new resolution clock; an earlier breach of it is not counted again). Null when there are none.',
  postmortemCoverage:
    'Resolved or closed incidents of highest severity P1 or P2 that have a published postmortem, divided by all resolved or closed P1 and P2 incidents. Null when there are none.',
} as const;

export const ON_CALL_DEFINITIONS = {
  window:
    'On-call time and incidents within [from, to), at most 90 days; the schedules given, or every schedule of the organization.',
  hoursOnCall:
    'Hours the person was on call on any of the schedules (rotations and overrides), clipped to the window; time on call on two schedules at once counts once.',
  incidents:
    'Distinct incidents assigned to the person (on creation or later), or acknowledged by the person (a move out of open), while they were on call; an incident counts once per person, at the first such moment.',
  outsideHours:
    'Of those, the incidents whose first such moment was before 08:00 or from 20:00 on, local time in the time zone of the schedule the person was on call on.',
  night:
    'Of those, the incidents whose first such moment was from 22:00 to before 07:00 local time (a subset of outside_hours).',
} as const;
