import type { InboundLimits, SignupMode } from '../config/env.js';
import type { UnitOfWork } from '../db/unit-of-work.js';
import type { TokenService } from '../modules/auth/tokens.js';
import type { Clock } from '../core/clock.js';
import type { SeverityClassifier } from '../ai/classify/severity-classifier.js';
import { AuthService, SessionRevocations } from '../modules/auth/auth.service.js';
import { IncidentService } from '../modules/incidents/incident.service.js';
import { IncidentEventService } from '../modules/incidents/incident-event.service.js';
import { IncidentImportService } from '../modules/incidents/incident-import.service.js';
import { UserService } from '../modules/users/user.service.js';
import { teamService } from '../modules/teams/team.service.js';
import { serviceService } from '../modules/services/service.service.js';
import { PostmortemService } from '../modules/postmortems/postmortem.service.js';
import { AnalyticsService } from '../modules/analytics/analytics.service.js';
import { AlertRuleService } from '../modules/alert-rules/alert-rule.service.js';
import { WebhookDeliveryService } from '../modules/webhook-deliveries/webhook-delivery.service.js';
import type { EventPublisher } from '../modules/events/event-publisher.js';
import type { TargetPolicy } from '../modules/webhook-deliveries/ssrf.js';
import type { AiProvider } from '../ai/providers/ai-provider.js';
import { LocalAiProvider } from '../ai/providers/local-provider.js';
import { PostmortemDrafter } from '../ai/postmortem/postmortem-drafter.js';
import { PostmortemDraftService } from '../ai/postmortem/postmortem-draft.service.js';
import type { SimilarIncidentsService } from '../ai/similar/similar-incidents.service.js';
import type { ReembedJob } from '../ai/similar/reembed-job.js';

import { ProblemService } from '../modules/problems/problem.service.js';
import { ChangeRequestService } from '../modules/changes/change-request.service.js';
import { assetService } from '../modules/assets/asset.service.js';
import { OnCallScheduleService } from '../modules/on-call/on-call-schedule.service.js';
import { EscalationPolicyService } from '../modules/escalation/escalation-policy.service.js';
import { SlaPolicyService } from '../modules/sla/sla-policy.service.js';
import { WebhookSourceService } from '../modules/webhook-sources/webhook-source.service.js';
import { AlertIngestionService } from '../modules/webhook-sources/alert-ingestion.service.js';
import { IngestGate } from '../modules/webhook-sources/ingest-gate.js';
import { SearchService } from '../ai/search/search.service.js';
import { SearchQueryParser } from '../ai/search/search-parser.js';

import type { Services } from '../api/services.js';
import type { SecretBox } from '../core/secret-box.js';
import { IdentityProviderService } from '../modules/identity-providers/identity-provider.service.js';
import { ApiTokenService } from '../modules/api-tokens/api-token.service.js';
import { SsoService } from '../modules/sso/sso.service.js';

export type { Services };

export interface ServiceDeps {
  tokens: TokenService;
  /** Told of sessions ended in this process (the token-check cache), so their access tokens stop at once. */
  sessions?: SessionRevocations;
  /** ARGUS_SIGNUP: who may create an account (open when left out). */
  signup?: SignupMode;
  /** ARGUS_INBOUND_*: per-source rate and the ingest queue of inbound alerts (the defaults when left out). */
  inbound?: InboundLimits;
  clock: Clock;
  events: EventPublisher;
  targets: TargetPolicy;
  similar: SimilarIncidentsService;
  /** The severity classifier (the app builds it over the database; see src/ai/severity-classifier.ts). */
  classifier: SeverityClassifier;
  /** The configured model provider; the embedded models only when left out. */
  ai?: AiProvider;
  /** The background re-embedding (the app runs it on an interval; its status is a query). */
  reembedding: ReembedJob;
  /** Writes at the end of a transaction (an incident's creation statement, which takes the mutation's audit row). */
  unitOfWork: UnitOfWork;
  /** Seals secrets stored encrypted (identity providers' client secrets). */
  secrets: SecretBox;
  /** ARGUS_SSO_ALLOW_HTTP_ISSUER: plain-http issuers beyond loopback. */
  allowHttpIssuer?: boolean;
}

const DEFAULT_INBOUND: InboundLimits = {
  ratePerSource: 200,
  rateWindowSeconds: 10,
  concurrency: 6,
  queue: 2000,
  queuePerSource: 500,
};

/** The domain services, wired once at start. */
export function createServices(deps: ServiceDeps): Services {
  const slaPolicies = new SlaPolicyService();
  const ai = deps.ai ?? new LocalAiProvider();
  const auth = new AuthService(deps.tokens, deps.clock, deps.sessions, deps.signup);
  const identityProviders = new IdentityProviderService(deps.secrets, deps.allowHttpIssuer ?? false);
  const incidents = new IncidentService(
    deps.classifier,
    deps.clock,
    deps.events,
    slaPolicies,
    deps.similar,
    deps.unitOfWork,
  );
  return {
    auth,
    users: new UserService(deps.signup),
    teams: teamService,
    services: serviceService,
    incidents,
    incidentEvents: new IncidentEventService(deps.events, deps.clock),
    incidentImports: new IncidentImportService(deps.clock, deps.similar),
    postmortems: new PostmortemService(deps.events),
    postmortemDrafts: new PostmortemDraftService(new PostmortemDrafter(ai), incidents, deps.clock),
    alertRules: new AlertRuleService(deps.targets, deps.clock),
    webhookDeliveries: new WebhookDeliveryService(deps.clock),
    problems: new ProblemService(incidents, deps.clock, deps.events),
    changeRequests: new ChangeRequestService(deps.clock, deps.events),
    assets: assetService,
    onCallSchedules: new OnCallScheduleService(deps.clock),
    escalationPolicies: new EscalationPolicyService(deps.clock, incidents),
    slaPolicies,
    webhookSources: new WebhookSourceService(deps.clock),
    alertIngestion: new AlertIngestionService(incidents, deps.clock, new IngestGate(deps.inbound ?? DEFAULT_INBOUND)),
    analytics: new AnalyticsService(deps.clock),
    similarIncidents: deps.similar,
    classifier: deps.classifier,
    search: new SearchService(incidents, deps.clock, new SearchQueryParser(ai)),
    reembedding: deps.reembedding,
    unitOfWork: deps.unitOfWork,
    identityProviders,
    apiTokens: new ApiTokenService(deps.clock),
    sso: new SsoService(identityProviders, auth, deps.clock, deps.allowHttpIssuer ?? false),
  };
}
