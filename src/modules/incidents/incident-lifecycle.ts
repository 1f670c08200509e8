import { IncidentStatus } from './incident.enums.js';

const ORDER: IncidentStatus[] = [
  IncidentStatus.open,
  IncidentStatus.acknowledged,
  IncidentStatus.investigating,
  IncidentStatus.mitigated,
  IncidentStatus.resolved,
  IncidentStatus.closed,
];

/** The timestamp each status stamps when it is first reached. */
export const STATUS_TIMESTAMP = {
  acknowledged: 'acknowledgedAt',
  mitigated: 'mitigatedAt',
  resolved: 'resolvedAt',
  closed: 'closedAt',
} as const satisfies Partial<Record<IncidentStatus, string>>;

/**
 * Forward moves may skip ahead (open → resolved); the only way back is a reopen (resolved → open).
 * Staying in the same status is not a transition.
 */
export function canTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  if (from === to) return false;
  if (from === IncidentStatus.resolved && to === IncidentStatus.open) return true;
  return ORDER.indexOf(to) > ORDER.indexOf(from);
}

export function isReopen(from: IncidentStatus, to: IncidentStatus): boolean {
  return from === IncidentStatus.resolved && to === IncidentStatus.open;
}
