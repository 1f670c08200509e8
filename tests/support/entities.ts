import type { SeedOrg } from './seed';

/**
 * Every entity of the uniform CRUD, as the shared tests see it: its REST path, its GraphQL names, how to make one
 * and a harmless update. A new entity is one more line here, and the tenancy and role tests cover it.
 */
export interface EntitySpec {
  name: string;
  path: string;
  single: string;
  plural: string;
  keyed?: boolean;
  make: (org: SeedOrg) => Promise<{ id: string; key?: string }>;
  update: Record<string, unknown>;
  /** The least role that may update a record someone else (the owner) made. */
  writeRole: 'responder' | 'admin';
}

export const ENTITY_SPECS: EntitySpec[] = [
  { name: 'incident', path: '/incidents', single: 'incident', plural: 'incidents', keyed: true, make: (o) => o.incident(), update: { title: 'Changed' }, writeRole: 'responder' },
  { name: 'incident event', path: '/incident-events', single: 'incidentEvent', plural: 'incidentEvents', make: async (o) => o.comment(), update: { message: 'Changed' }, writeRole: 'admin' },
  { name: 'postmortem', path: '/postmortems', single: 'postmortem', plural: 'postmortems', make: (o) => o.postmortem(), update: { title: 'Changed' }, writeRole: 'responder' },
  { name: 'team', path: '/teams', single: 'team', plural: 'teams', make: (o) => o.team(), update: { description: 'Changed' }, writeRole: 'admin' },
  { name: 'service', path: '/services', single: 'service', plural: 'services', make: (o) => o.service(), update: { tier: 1 }, writeRole: 'admin' },
  { name: 'problem', path: '/problems', single: 'problem', plural: 'problems', keyed: true, make: (o) => o.problem(), update: { workaround: 'Restart the pool' }, writeRole: 'responder' },
  { name: 'change request', path: '/change-requests', single: 'changeRequest', plural: 'changeRequests', keyed: true, make: (o) => o.changeRequest(), update: { risk: 'high' }, writeRole: 'responder' },
  { name: 'asset', path: '/assets', single: 'asset', plural: 'assets', make: (o) => o.asset(), update: { status: 'maintenance' }, writeRole: 'admin' },
  { name: 'on-call schedule', path: '/on-call-schedules', single: 'onCallSchedule', plural: 'onCallSchedules', make: (o) => o.onCallSchedule(), update: { time_zone: 'America/New_York' }, writeRole: 'admin' },
  { name: 'escalation policy', path: '/escalation-policies', single: 'escalationPolicy', plural: 'escalationPolicies', make: (o) => o.escalationPolicy(), update: { repeat: 2 }, writeRole: 'admin' },
  { name: 'SLA policy', path: '/sla-policies', single: 'slaPolicy', plural: 'slaPolicies', make: async (o) => o.slaPolicy({ service_id: (await o.service()).id }), update: { response_minutes: 10 }, writeRole: 'admin' },
  { name: 'webhook source', path: '/webhook-sources', single: 'webhookSource', plural: 'webhookSources', make: (o) => o.webhookSource(), update: { enabled: false }, writeRole: 'admin' },
  { name: 'user', path: '/users', single: 'user', plural: 'users', make: async (o) => o.user('viewer'), update: { name: 'Changed' }, writeRole: 'admin' },
];
