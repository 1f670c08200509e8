import type { UnitOfWork } from '../db/unit-of-work.js';
import type { SeverityClassifier } from '../ai/classify/severity-classifier.js';
import type { AuthService } from '../modules/auth/auth.service.js';
import type { IncidentService } from '../modules/incidents/incident.service.js';
import type { IncidentEventService } from '../modules/incidents/incident-event.service.js';
import type { IncidentImportService } from '../modules/incidents/incident-import.service.js';
import type { UserService } from '../modules/users/user.service.js';
import type { teamService } from '../modules/teams/team.service.js';
import type { serviceService } from '../modules/services/service.service.js';
import type { PostmortemService } from '../modules/postmortems/postmortem.service.js';
import type { AlertRuleService } from '../modules/alert-rules/alert-rule.service.js';
import type { WebhookDeliveryService } from '../modules/webhook-deliveries/webhook-delivery.service.js';
import type { PostmortemDraftService } from '../ai/postmortem/postmortem-draft.service.js';
import type { SimilarIncidentsService } from '../ai/similar/similar-incidents.service.js';
import type { ReembedJob } from '../ai/similar/reembed-job.js';
import type { ProblemService } from '../modules/problems/problem.service.js';
import type { ChangeRequestService } from '../modules/changes/change-request.service.js';
import type { assetService } from '../modules/assets/asset.service.js';
import type { OnCallScheduleService } from '../modules/on-call/on-call-schedule.service.js';
import type { EscalationPolicyService } from '../modules/escalation/escalation-policy.service.js';
import type { SlaPolicyService } from '../modules/sla/sla-policy.service.js';
import type { WebhookSourceService } from '../modules/webhook-sources/webhook-source.service.js';
import type { AlertIngestionService } from '../modules/webhook-sources/alert-ingestion.service.js';
import type { SearchService } from '../ai/search/search.service.js';
import type { AnalyticsService } from '../modules/analytics/analytics.service.js';
import type { IdentityProviderService } from '../modules/identity-providers/identity-provider.service.js';
import type { ApiTokenService } from '../modules/api-tokens/api-token.service.js';
import type { SsoService } from '../modules/sso/sso.service.js';

/**
 * The domain and AI services the api layer calls, wired once at start by the composition root (src/app/services.ts).
 */
export interface Services {
  auth: AuthService;
  users: UserService;
  teams: typeof teamService;
  services: typeof serviceService;
  incidents: IncidentService;
  incidentEvents: IncidentEventService;
  incidentImports: IncidentImportService;
  postmortems: PostmortemService;
  postmortemDrafts: PostmortemDraftService;
  alertRules: AlertRuleService;
  webhookDeliveries: WebhookDeliveryService;
  problems: ProblemService;
  changeRequests: ChangeRequestService;
  assets: typeof assetService;
  onCallSchedules: OnCallScheduleService;
  escalationPolicies: EscalationPolicyService;
  slaPolicies: SlaPolicyService;
  webhookSources: WebhookSourceService;
  alertIngestion: AlertIngestionService;
  similarIncidents: SimilarIncidentsService;
  classifier: SeverityClassifier;
  search: SearchService;
  analytics: AnalyticsService;
  identityProviders: IdentityProviderService;
  apiTokens: ApiTokenService;
  sso: SsoService;
  reembedding: ReembedJob;
  unitOfWork: UnitOfWork;
}
