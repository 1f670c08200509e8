import { ClassType, Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { Role } from '../../core/roles.js';
import type { AnyTenantEntity } from '../../db/base.entity.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditEventFilter } from './audit-event.inputs.js';
import { auditEventService, entity } from './audit-event.service.js';

/** Read only (no create, update or delete: the log is append-only), for admins and owners. */
@Resolver(() => AuditEvent)
export class AuditEventResolver extends CrudResolver({
  entity: entity as unknown as ClassType<AnyTenantEntity>,
  single: 'auditEvent',
  plural: 'auditEvents',
  path: '/audit-events',
  filterInput: AuditEventFilter,
  deletable: false,
  service: () => auditEventService,
  readRole: Role.admin,
  writeRole: Role.admin,
}) {}
