import { ProblemStatus } from './problem.enums.js';

const ORDER: ProblemStatus[] = [
  ProblemStatus.open,
  ProblemStatus.investigating,
  ProblemStatus.known_error,
  ProblemStatus.resolved,
  ProblemStatus.closed,
];

/** The timestamp each status stamps when it is reached. */
export const PROBLEM_STATUS_TIMESTAMP = {
  resolved: 'resolvedAt',
  closed: 'closedAt',
} as const satisfies Partial<Record<ProblemStatus, string>>;

/**
 * As for incidents: forward moves may skip ahead (open → known_error, open → resolved); the only way back is a reopen
 * (resolved → open); closed is final. Staying in the same status is not a transition.
 */
export function canProblemTransition(from: ProblemStatus, to: ProblemStatus): boolean {
  if (from === to) return false;
  if (isProblemReopen(from, to)) return true;
  return ORDER.indexOf(to) > ORDER.indexOf(from);
}

export function isProblemReopen(from: ProblemStatus, to: ProblemStatus): boolean {
  return from === ProblemStatus.resolved && to === ProblemStatus.open;
}
