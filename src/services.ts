import type { TokenService } from './auth/tokens.js';
import type { Clock } from './time/clock.js';
import { BaselineKeywordClassifier, SeverityClassifier } from './ai/baseline-classifier.js';
import { AuthService } from './modules/auth/auth.service.js';
import { IncidentService } from './modules/incidents/incident.service.js';
import { IncidentEventService } from './modules/incidents/incident-event.service.js';
import { UserService } from './modules/users/user.module.js';
import { teamService } from './modules/teams/team.module.js';
import { serviceService } from './modules/services/service.module.js';
import { PostmortemService } from './modules/postmortems/postmortem.module.js';
import { AlertRuleService } from './modules/alert-rules/alert-rule.module.js';
import { WebhookDeliveryService } from './modules/webhook-deliveries/webhook-delivery.module.js';
import type { EventPublisher } from './events/event-publisher.js';
import type { TargetPolicy } from './webhooks/outbound/ssrf.js';

import { ProblemService } from './modules/problems/problem.service.js';
import { ChangeRequestService } from './modules/changes/change-request.service.js';
import { assetService } from './modules/assets/asset.module.js';
import { OnCallScheduleService } from './modules/on-call/on-call-schedule.service.js';
import { EscalationPolicyService } from './modules/escalation/escalation-policy.service.js';
import { SlaPolicyService } from './modules/sla/sla-policy.service.js';
import { WebhookSourceService } from './modules/webhook-sources/webhook-source.module.js';
import { AlertIngestionService } from './webhooks/inbound/alert-ingestion.service.js';

export interface ServiceDeps {
  tokens: TokenService;
  clock: Clock;
  events: EventPublisher;
  targets: TargetPolicy;
  classifier?: SeverityClassifier;
}

export interface Services {
  auth: AuthService;
  users: UserService;
  teams: typeof teamService;
  services: typeof serviceService;
  incidents: IncidentService;
  incidentEvents: IncidentEventService;
  postmortems: PostmortemService;
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
}

/** The domain services, wired once at start. */
export function createServices(deps: ServiceDeps): Services {
  const slaPolicies = new SlaPolicyService();
  const incidents = new IncidentService(deps.classifier ?? new BaselineKeywordClassifier(), deps.clock, deps.events, slaPolicies);
  return {
    auth: new AuthService(deps.tokens, deps.clock),
    users: new UserService(),
    teams: teamService,
    services: serviceService,
    incidents,
    incidentEvents: new IncidentEventService(deps.events),
    postmortems: new PostmortemService(deps.events),
    alertRules: new AlertRuleService(deps.targets, deps.clock),
    webhookDeliveries: new WebhookDeliveryService(deps.clock),
    problems: new ProblemService(incidents, deps.clock, deps.events),
    changeRequests: new ChangeRequestService(deps.clock, deps.events),
    assets: assetService,
    onCallSchedules: new OnCallScheduleService(deps.clock),
    escalationPolicies: new EscalationPolicyService(deps.clock, incidents),
    slaPolicies,
    webhookSources: new WebhookSourceService(deps.clock),
    alertIngestion: new AlertIngestionService(incidents, deps.clock),
  };
}
