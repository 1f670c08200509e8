/** Every event an alert rule can subscribe to. */
export const EVENT_TYPES = [
  'incident.created',
  'incident.updated',
  'incident.acknowledged',
  'incident.mitigated',
  'incident.resolved',
  'incident.closed',
  'incident.reopened',
  'incident.severity_changed',
  'incident.assigned',
  'incident.comment_added',
  'incident.sla_breached',
  'postmortem.in_review',
  'postmortem.published',
  'problem.created',
  'problem.updated',
  'problem.status_changed',
  'change_request.created',
  'change_request.updated',
  'change_request.status_changed',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
