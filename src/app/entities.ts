import { Organization } from '../db/organization.entity.js';
import { User } from '../modules/users/user.entity.js';
import { Team } from '../modules/teams/team.entity.js';
import { Service } from '../modules/services/service.entity.js';
import { Incident } from '../modules/incidents/incident.entity.js';
import { IncidentEvent } from '../modules/incidents/incident-event.entity.js';
import { IncidentImport } from '../modules/incidents/incident-import.entity.js';
import { Problem } from '../modules/problems/problem.entity.js';
import { ChangeRequest } from '../modules/changes/change-request.entity.js';
import { Asset } from '../modules/assets/asset.entity.js';
import { OnCallSchedule } from '../modules/on-call/on-call-schedule.entity.js';
import { EscalationPolicy } from '../modules/escalation/escalation-policy.entity.js';
import { SlaPolicy } from '../modules/sla/sla-policy.entity.js';
import { RefreshToken } from '../modules/auth/refresh-token.entity.js';
import { LoginThrottle } from '../modules/auth/login-throttle.entity.js';
import { LoginSource } from '../modules/auth/login-source.entity.js';
import { RateLimitCounter } from '../api/http/rate-limit-counter.entity.js';
import { BaseEntity, TenantEntity } from '../db/base.entity.js';
import { KeySequence } from '../db/key-sequence.js';
import { Postmortem } from '../modules/postmortems/postmortem.entity.js';
import { AlertRule } from '../modules/alert-rules/alert-rule.entity.js';
import { WebhookDelivery } from '../modules/webhook-deliveries/webhook-delivery.entity.js';
import { WebhookSource } from '../modules/webhook-sources/webhook-source.entity.js';
import { Alert } from '../modules/webhook-sources/alert.entity.js';
import { WebhookReceipt } from '../modules/webhook-sources/webhook-receipt.entity.js';
import { IncidentEmbedding } from '../ai/similar/incident-embedding.entity.js';
import { SimilarIndexVersion } from '../ai/similar/similar-index-version.entity.js';
import { AuditEvent } from '../modules/audit/audit-event.entity.js';
import { IdempotencyKey } from '../api/idempotency/idempotency-key.entity.js';
import { EmbeddingJob } from '../ai/similar/embedding-job.entity.js';

/** Every entity class; tenant entities are found by their base class. */
export const ENTITIES = [
  BaseEntity,
  TenantEntity,
  Organization,
  User,
  Team,
  Service,
  Incident,
  IncidentEvent,
  IncidentImport,
  Postmortem,
  AlertRule,
  WebhookDelivery,
  Problem,
  ChangeRequest,
  Asset,
  OnCallSchedule,
  EscalationPolicy,
  SlaPolicy,
  WebhookSource,
  Alert,
  WebhookReceipt,
  IncidentEmbedding,
  SimilarIndexVersion,
  EmbeddingJob,
  RefreshToken,
  LoginThrottle,
  LoginSource,
  RateLimitCounter,
  KeySequence,
  AuditEvent,
  IdempotencyKey,
];

export const TENANT_ENTITY_NAMES = ENTITIES.filter(
  (e) => e !== TenantEntity && e.prototype instanceof TenantEntity,
).map((e) => e.name)
  // The audit log has an organization (nullable: a failed login of no account has none) and is filtered like the rest.
  .concat(AuditEvent.name);
