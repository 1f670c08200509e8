import type { EntityClass } from '@mikro-orm/core';
import { CrudService } from '../crud.service.js';
import type { AnyTenantEntity } from '../../db/base.entity.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventFilter } from './audit-event.inputs.js';

// The audit log is not a TenantEntity (its organization may be null), but the tenant filter covers it and the uniform
// read paths need nothing else of one.
export const entity = AuditEvent as unknown as EntityClass<AnyTenantEntity>;

export const auditEventService = new CrudService(entity, {
  label: 'audit event',
  filter: AuditEventFilter,
  sort: { fields: ['createdAt'], default: '-createdAt' },
});
