import type { RoleName, SeedOrg } from './seed';

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
  /** A harmless change; absent for read-only entities (logs). */
  update?: Record<string, unknown>;
  /** A create body that must be refused with 400 and write nothing. */
  invalid: Record<string, unknown>;
  /** The least role that may update a record someone else (the owner) made. */
  writeRole: 'responder' | 'admin';
  /** Read role when it is not viewer (delivery logs carry payloads, the audit log says who did what: admins). */
  readRole?: 'admin';
  deletable?: boolean;
  /**
   * The least role each CRUD mutation asks for before it looks at any record (authorization.test.ts checks every
   * role against every mutation); each defaults to writeRole.
   */
  roles?: { create?: RoleName; update?: RoleName; delete?: RoleName };
  /** The entity's other mutations and the least role each needs. */
  mutations?: Record<string, RoleName>;
}

/**
 * Mutations outside ENTITY_SPECS and the least role each needs: those of the caller's own account (`public` needs no
 * token, `viewer` any signed-in user), and of records with rules of their own (tested in their own files).
 */
export const ACCOUNT_MUTATIONS: Record<string, 'public' | RoleName> = {
  signup: 'public',
  login: 'public',
  refreshToken: 'public',
  logout: 'public',
  acceptInvitation: 'public',
  changePassword: 'viewer',
  enrollMfa: 'viewer',
  confirmMfa: 'viewer',
  disableMfa: 'viewer',
  // Any role may preview a draft; saving one (persist) needs a responder, checked by the service.
  draftPostmortem: 'viewer',
  // Saved views belong to their owner, whatever the role (saved-views.test.ts covers ownership and tenancy).
  createSavedView: 'viewer',
  updateSavedView: 'viewer',
  deleteSavedView: 'viewer',
  exchangeSsoCode: 'public',
  // The organization's name and slug: owners (sso.test.ts).
  updateOrganization: 'owner',
  // One identity provider per organization (sso.test.ts covers roles, validation and tenancy).
  createIdentityProvider: 'admin',
  updateIdentityProvider: 'admin',
  deleteIdentityProvider: 'admin',
  // API tokens belong to their user; service tokens and other people's tokens need an admin, checked by the service
  // (api-tokens.test.ts covers the role ceiling, ownership and tenancy).
  createApiToken: 'viewer',
  updateApiToken: 'viewer',
  deleteApiToken: 'viewer',
};

export const ENTITY_SPECS: EntitySpec[] = [
  {
    name: 'incident',
    path: '/incidents',
    single: 'incident',
    plural: 'incidents',
    keyed: true,
    make: (o) => o.incident(),
    update: { title: 'Changed' },
    invalid: { title: 'x', severity: 'P9' },
    writeRole: 'responder',
    roles: { delete: 'admin' },
    mutations: { importIncidents: 'admin' },
  },
  {
    name: 'incident event',
    path: '/incident-events',
    single: 'incidentEvent',
    plural: 'incidentEvents',
    make: async (o) => o.comment(),
    update: { message: 'Changed' },
    invalid: { incident_id: 'INC-1', message: '' },
    writeRole: 'admin',
    roles: { create: 'responder', update: 'responder', delete: 'responder' },
  },
  {
    name: 'postmortem',
    path: '/postmortems',
    single: 'postmortem',
    plural: 'postmortems',
    make: (o) => o.postmortem(),
    update: { title: 'Changed' },
    invalid: { incident_id: 'INC-999999', title: 'x' },
    writeRole: 'responder',
    roles: { delete: 'admin' },
  },
  {
    name: 'team',
    path: '/teams',
    single: 'team',
    plural: 'teams',
    make: (o) => o.team(),
    update: { description: 'Changed' },
    invalid: { name: '' },
    writeRole: 'admin',
  },
  {
    name: 'service',
    path: '/services',
    single: 'service',
    plural: 'services',
    make: (o) => o.service(),
    update: { tier: 1 },
    invalid: { name: 'x', tier: 9 },
    writeRole: 'admin',
  },
  {
    name: 'problem',
    path: '/problems',
    single: 'problem',
    plural: 'problems',
    keyed: true,
    make: (o) => o.problem(),
    update: { workaround: 'Restart the pool' },
    invalid: { title: '' },
    writeRole: 'responder',
    roles: { delete: 'admin' },
  },
  {
    name: 'change request',
    path: '/change-requests',
    single: 'changeRequest',
    plural: 'changeRequests',
    keyed: true,
    make: (o) => o.changeRequest(),
    update: { risk: 'high' },
    invalid: { title: 'x', planned_start: '2030-01-02T00:00:00Z', planned_end: '2030-01-01T00:00:00Z' },
    writeRole: 'responder',
    roles: { delete: 'admin' },
    mutations: { approveChangeRequest: 'admin', rejectChangeRequest: 'admin' },
  },
  {
    name: 'asset',
    path: '/assets',
    single: 'asset',
    plural: 'assets',
    make: (o) => o.asset(),
    update: { status: 'maintenance' },
    invalid: { name: 'x', type: 'spaceship' },
    writeRole: 'admin',
  },
  {
    name: 'on-call schedule',
    path: '/on-call-schedules',
    single: 'onCallSchedule',
    plural: 'onCallSchedules',
    make: (o) => o.onCallSchedule(),
    update: { time_zone: 'America/New_York' },
    invalid: { name: 'x', time_zone: 'Mars/Olympus_Mons', rotations: [] },
    writeRole: 'admin',
  },
  {
    name: 'escalation policy',
    path: '/escalation-policies',
    single: 'escalationPolicy',
    plural: 'escalationPolicies',
    make: (o) => o.escalationPolicy(),
    update: { repeat: 2 },
    invalid: { name: 'x', levels: [{ delay_minutes: -1, target_ids: [] }] },
    writeRole: 'admin',
  },
  {
    name: 'SLA policy',
    path: '/sla-policies',
    single: 'slaPolicy',
    plural: 'slaPolicies',
    make: async (o) => o.slaPolicy({ service_id: (await o.service()).id }),
    update: { response_minutes: 10 },
    invalid: { name: 'x', severity: 'P1', response_minutes: 0, resolution_minutes: 10 },
    writeRole: 'admin',
  },
  {
    name: 'webhook source',
    path: '/webhook-sources',
    single: 'webhookSource',
    plural: 'webhookSources',
    make: (o) => o.webhookSource(),
    update: { enabled: false },
    invalid: { name: 'x', kind: 'carrier-pigeon' },
    writeRole: 'admin',
    mutations: { rotateWebhookSourceSecret: 'admin' },
  },
  {
    name: 'user',
    path: '/users',
    single: 'user',
    plural: 'users',
    make: async (o) => o.user('viewer'),
    update: { name: 'Changed' },
    invalid: { email: 'not-an-email', name: 'x', role: 'viewer' },
    writeRole: 'admin',
  },
  {
    name: 'alert rule',
    path: '/alert-rules',
    single: 'alertRule',
    plural: 'alertRules',
    make: (o) => o.alertRule(),
    update: { enabled: false },
    invalid: { name: 'x', event_types: ['incident.exploded'], target_url: 'http://127.0.0.1:9/' },
    writeRole: 'admin',
    mutations: { rotateAlertRuleSecret: 'admin' },
  },
  {
    name: 'audit event',
    path: '/audit-events',
    single: 'auditEvent',
    plural: 'auditEvents',
    make: (o) => o.auditEvent(),
    invalid: {},
    writeRole: 'admin',
    readRole: 'admin',
    deletable: false,
  },
  {
    name: 'webhook delivery',
    path: '/webhook-deliveries',
    single: 'webhookDelivery',
    plural: 'webhookDeliveries',
    make: (o) => o.webhookDelivery(),
    invalid: {},
    writeRole: 'admin',
    readRole: 'admin',
    deletable: false,
    mutations: { redeliverWebhookDelivery: 'admin' },
  },
];
