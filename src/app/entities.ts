import { Organization } from '../db/organization.entity.js';
import { BaseEntity, TenantEntity } from '../db/base.entity.js';
import { KeySequence } from '../db/key-sequence.js';
import { RateLimitCounter } from '../api/http/rate-limit-counter.entity.js';
import { IdempotencyKey } from '../api/idempotency/idempotency-key.entity.js';
import { AuditEvent } from '../modules/audit/audit-event.entity.js';
import { MODULES } from './modules.js';
import type { AnyClass } from '../core/module-manifest.js';

/**
 * The entities that belong to no module: the base classes, the tenancy root, key sequences and the api's own records.
 */
const PLATFORM_ENTITIES = [BaseEntity, TenantEntity, Organization, KeySequence, RateLimitCounter, IdempotencyKey];

/** Every entity class; tenant entities are found by their base class. */
export const ENTITIES: AnyClass[] = [...PLATFORM_ENTITIES, ...MODULES.flatMap((module) => module.entities)];

export const TENANT_ENTITY_NAMES = ENTITIES.filter((e) => e !== TenantEntity && e.prototype instanceof TenantEntity)
  .map((e) => e.name)
  // The audit log has an organization (nullable: a failed login of no account has none) and is filtered like the rest.
  .concat(AuditEvent.name);
