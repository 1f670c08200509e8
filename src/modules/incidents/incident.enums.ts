import { registerEnumType } from 'type-graphql';

export enum Severity {
  P1 = 'P1',
  P2 = 'P2',
  P3 = 'P3',
  P4 = 'P4',
}
registerEnumType(Severity, { name: 'Severity', description: 'P1 (critical) to P4 (minor)' });

export enum IncidentStatus {
  open = 'open',
  acknowledged = 'acknowledged',
  investigating = 'investigating',
  mitigated = 'mitigated',
  resolved = 'resolved',
  closed = 'closed',
}
registerEnumType(IncidentStatus, { name: 'IncidentStatus' });

export enum IncidentEventType {
  created = 'created',
  status_changed = 'status_changed',
  severity_changed = 'severity_changed',
  assigned = 'assigned',
  comment = 'comment',
  alert = 'alert',
  updated = 'updated',
  problem_linked = 'problem_linked',
  problem_unlinked = 'problem_unlinked',
  sla_breached = 'sla_breached',
}
registerEnumType(IncidentEventType, { name: 'IncidentEventType' });
