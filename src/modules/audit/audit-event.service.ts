import type { EntityClass } from '@mikro-orm/core';
import { CrudService } from '../crud.service.js';
import type { AnyTenantEntity } from '../../db/base.entity.js';
import { AuditEvent } from './audit-event.entity.js';

// The audit log is not a TenantEntity (its organization may be null), but the tenant filter covers it and the uniform
// read paths need nothing else of one.
export const entity = AuditEvent as unknown as EntityClass<AnyTenantEntity>;

export const auditEventService = new CrudService(entity, {
  label: 'audit event',
  filters: {
    actorId: { kind: 'in', property: 'actorId' },
    apiTokenId: { kind: 'in', property: 'apiTokenId' },
    action: { kind: 'in', property: 'action' },
    outcome: { kind: 'in', property: 'outcome' },
    recordType: { kind: 'in', property: 'recordType' },
    recordId: { kind: 'eq', property: 'recordId' },
    surface: { kind: 'in', property: 'surface' },
    createdAfter: { kind: 'after', property: 'createdAt' },
    createdBefore: { kind: 'before', property: 'createdAt' },
  },
  sort: { fields: ['createdAt'], default: '-createdAt' },
});
