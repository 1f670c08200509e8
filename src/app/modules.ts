import type { ModuleManifest } from '../core/module-manifest.js';
import { authModule } from '../modules/auth/index.js';
import { usersModule } from '../modules/users/index.js';
import { teamsModule } from '../modules/teams/index.js';
import { servicesModule } from '../modules/services/index.js';
import { incidentsModule } from '../modules/incidents/index.js';
import { problemsModule } from '../modules/problems/index.js';
import { changesModule } from '../modules/changes/index.js';
import { assetsModule } from '../modules/assets/index.js';
import { postmortemsModule } from '../modules/postmortems/index.js';
import { alertRulesModule } from '../modules/alert-rules/index.js';
import { webhookDeliveriesModule } from '../modules/webhook-deliveries/index.js';
import { onCallModule } from '../modules/on-call/index.js';
import { escalationModule } from '../modules/escalation/index.js';
import { slaModule } from '../modules/sla/index.js';
import { webhookSourcesModule } from '../modules/webhook-sources/index.js';
import { aiModule } from '../ai/index.js';
import { auditModule } from '../modules/audit/index.js';
import { savedViewsModule } from '../modules/saved-views/index.js';
import { analyticsModule } from '../modules/analytics/index.js';
import { organizationsModule } from '../modules/organizations/index.js';
import { identityProvidersModule } from '../modules/identity-providers/index.js';
import { apiTokensModule } from '../modules/api-tokens/index.js';
import { ssoModule } from '../modules/sso/index.js';

/** Every module of Argus, in the order their resolvers (and so their REST routes) are registered. */
export const MODULES: readonly ModuleManifest[] = [
  authModule,
  usersModule,
  teamsModule,
  servicesModule,
  incidentsModule,
  problemsModule,
  changesModule,
  assetsModule,
  postmortemsModule,
  alertRulesModule,
  webhookDeliveriesModule,
  onCallModule,
  escalationModule,
  slaModule,
  webhookSourcesModule,
  aiModule,
  auditModule,
  savedViewsModule,
  analyticsModule,
  organizationsModule,
  identityProvidersModule,
  apiTokensModule,
  ssoModule,
];

export const RESOLVERS = MODULES.flatMap((module) => module.resolvers);
