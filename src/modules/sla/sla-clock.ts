/**
 * The rules of an incident's two SLA clocks, as pure functions over the incident's SLA fields (unit-tested without a
 * database). A clock is *pending* while it is neither stopped nor breached; a pending clock with a due time is
 * running. Due times count from `slaStartedAt`: the incident's creation, or its last reopen for the resolution clock.
 */
export type SlaClockName = 'response' | 'resolution';

export const SLA_CLOCKS: readonly SlaClockName[] = ['response', 'resolution'];

export interface SlaClockFields {
  slaStartedAt?: Date | null;
  slaResponseDueAt?: Date | null;
  slaResponseStoppedAt?: Date | null;
  slaResponseBreachedAt?: Date | null;
  slaResolutionDueAt?: Date | null;
  slaResolutionStoppedAt?: Date | null;
  slaResolutionBreachedAt?: Date | null;
  slaBreached: boolean;
}

export interface SlaTargets {
  id: string;
  responseMinutes: number;
  resolutionMinutes: number;
}

export interface SlaBreach {
  clock: SlaClockName;
  dueAt: Date;
}

const FIELDS = {
  response: {
    due: 'slaResponseDueAt',
    stopped: 'slaResponseStoppedAt',
    breached: 'slaResponseBreachedAt',
    minutes: 'responseMinutes',
  },
  resolution: {
    due: 'slaResolutionDueAt',
    stopped: 'slaResolutionStoppedAt',
    breached: 'slaResolutionBreachedAt',
    minutes: 'resolutionMinutes',
  },
} as const;

const MINUTE_MS = 60_000;

/** Neither stopped nor breached: its due time still follows the matching policy. */
export function isPending(c: SlaClockFields, clock: SlaClockName): boolean {
  const f = FIELDS[clock];
  return !c[f.stopped] && !c[f.breached];
}

/**
 * Sets the due time of every pending clock from the targets (null targets: no policy matches, no due time).
 * Stopped and breached clocks keep the due time they were measured against.
 */
export function applyTargets(c: SlaClockFields, targets: SlaTargets | null, fallbackStart: Date): void {
  const start = c.slaStartedAt ?? fallbackStart;
  c.slaStartedAt = start;
  for (const clock of SLA_CLOCKS) {
    if (!isPending(c, clock)) continue;
    const f = FIELDS[clock];
    c[f.due] = targets ? new Date(start.getTime() + targets[f.minutes] * MINUTE_MS) : null;
  }
}

/**
 * Stops a clock at `now`. A running clock stopped after its due time breached it (the job may not have seen it
 * yet): the breach is stamped at the due time and returned, so the caller records it once.
 */
export function stopClock(c: SlaClockFields, clock: SlaClockName, now: Date): SlaBreach | null {
  const f = FIELDS[clock];
  if (c[f.stopped]) return null;
  c[f.stopped] = now;
  const due = c[f.due];
  if (!due || c[f.breached] || due.getTime() >= now.getTime()) return null;
  c[f.breached] = due;
  c.slaBreached = true;
  return { clock, dueAt: due };
}

/** A reopen starts a new resolution clock from `now`; an earlier breach stays on the timeline and in slaBreached. */
export function restartResolutionClock(c: SlaClockFields, now: Date): void {
  c.slaResolutionStoppedAt = null;
  c.slaResolutionBreachedAt = null;
  c.slaStartedAt = now;
}

/** What a policy is scoped to, and what an incident offers to match. */
export interface SlaScope {
  serviceId: string | null;
  teamId: string | null;
}

export interface RankedPolicy extends SlaScope {
  createdAt: Date;
  id: string;
}

/** A policy applies when each scope it sets equals the incident's (its severity is matched by the query). */
export function policyMatches(policy: SlaScope, incident: SlaScope): boolean {
  return (
    (policy.serviceId === null || policy.serviceId === incident.serviceId) &&
    (policy.teamId === null || policy.teamId === incident.teamId)
  );
}

/** Service and team (3) over service (2) over team (1) over severity alone (0). */
export function specificity(policy: SlaScope): number {
  return (policy.serviceId ? 2 : 0) + (policy.teamId ? 1 : 0);
}

/**
 * The policy that applies: the most specific match; equal specificity (which the unique scope index rules out
 * within one organization) falls back to the oldest, then the smallest id, so the choice never depends on row order.
 */
export function mostSpecific<P extends RankedPolicy>(policies: P[], incident: SlaScope): P | null {
  const matches = policies.filter((p) => policyMatches(p, incident));
  matches.sort(
    (a, b) =>
      specificity(b) - specificity(a) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return matches[0] ?? null;
}

/** The timeline entry of a breach: the same words whether the job or a late acknowledgement found it. */
export function breachEntry(
  breach: SlaBreach,
  detectedAt: Date,
  policyId: string | null,
): { message: string; data: Record<string, unknown> } {
  const what = breach.clock === 'response' ? 'not acknowledged' : 'not resolved';
  const label = breach.clock === 'response' ? 'Response' : 'Resolution';
  return {
    message: `${label} SLA breached: ${what} by ${breach.dueAt.toISOString()}`,
    data: {
      clock: breach.clock,
      due_at: breach.dueAt.toISOString(),
      detected_at: detectedAt.toISOString(),
      policy_id: policyId,
    },
  };
}
