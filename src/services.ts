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
import { WebhookSourceService } from './modules/webhook-sources/webhook-source.module.js';
import { AlertIngestionService } from './webhooks/inbound/alert-ingestion.service.js';

export interface Services {
  auth: AuthService;
  users: UserService;
  teams: typeof teamService;
  services: typeof serviceService;
  incidents: IncidentService;
  incidentEvents: IncidentEventService;
  postmortems: PostmortemService;
  webhookSources: WebhookSourceService;
  alertIngestion: AlertIngestionService;
}

/** The domain services, wired once at start. */
export function createServices(deps: { tokens: TokenService; clock: Clock; classifier?: SeverityClassifier }): Services {
  const incidents = new IncidentService(deps.classifier ?? new BaselineKeywordClassifier(), deps.clock);
  return {
    auth: new AuthService(deps.tokens),
    users: new UserService(),
    teams: teamService,
    services: serviceService,
    incidents,
    incidentEvents: new IncidentEventService(),
    postmortems: new PostmortemService(),
    webhookSources: new WebhookSourceService(deps.clock),
    alertIngestion: new AlertIngestionService(incidents, deps.clock),
  };
}
