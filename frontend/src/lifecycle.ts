import type { IncidentStatus, PostmortemStatus } from './gql/graphql';

const ORDER: readonly IncidentStatus[] = ['open', 'acknowledged', 'investigating', 'mitigated', 'resolved', 'closed'];

/** The moves the API accepts from a status: every later status, and resolved → open (reopen). */
export function nextStatuses(status: IncidentStatus): IncidentStatus[] {
  const later = ORDER.slice(ORDER.indexOf(status) + 1);
  return status === 'resolved' ? ['open', ...later] : later;
}

export const MOVE_LABEL: Record<IncidentStatus, string> = {
  open: 'Reopen',
  acknowledged: 'Acknowledge',
  investigating: 'Investigating',
  mitigated: 'Mitigated',
  resolved: 'Resolve',
  closed: 'Close',
};

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  investigating: 'Investigating',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** draft ⇄ in_review → published; published is final. */
export function nextPostmortemStatuses(status: PostmortemStatus): PostmortemStatus[] {
  if (status === 'draft') return ['in_review'];
  if (status === 'in_review') return ['draft', 'published'];
  return [];
}

export const POSTMORTEM_MOVE_LABEL: Record<PostmortemStatus, string> = {
  draft: 'Back to draft',
  in_review: 'Submit for review',
  published: 'Publish',
};
