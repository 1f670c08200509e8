import { IsOptional, Length } from 'class-validator';
import { ClassType, Field, InputType, Resolver } from 'type-graphql';
import type { EntityClass } from '@mikro-orm/core';
import { CrudResolver } from '../../api/graphql/crud.js';
import { CrudService } from '../crud.service.js';
import { UuidScalar } from '../../core/scalars.js';
import { Role } from '../../core/roles.js';
import type { AnyTenantEntity } from '../../db/base.entity.js';
import { AuditEvent, AuditOutcome, AuditSurface } from './audit-event.entity.js';

@InputType()
export class AuditEventFilter {
  @Field(() => [UuidScalar], { nullable: true, description: 'Events of these users' })
  actorId?: string[];

  @Field(() => [String], { nullable: true, description: 'Mutation names, e.g. createIncident, login' })
  action?: string[];

  @Field(() => [AuditOutcome], { nullable: true })
  outcome?: AuditOutcome[];

  @Field(() => [String], { nullable: true, description: 'Record types, e.g. Incident, AlertRule' })
  recordType?: string[];

  @Field(() => String, { nullable: true, description: 'The id (or the key a caller named) of one record' })
  @IsOptional()
  @Length(1, 100)
  recordId?: string;

  @Field(() => [AuditSurface], { nullable: true })
  surface?: AuditSurface[];

  @Field(() => Date, { nullable: true })
  createdAfter?: Date;

  @Field(() => Date, { nullable: true })
  createdBefore?: Date;
}

// The audit log is not a TenantEntity (its organization may be null), but the tenant filter covers it and the uniform
// read paths need nothing else of one.
const entity = AuditEvent as unknown as EntityClass<AnyTenantEntity>;

export const auditEventService = new CrudService(entity, {
  label: 'audit event',
  filters: {
    actorId: { kind: 'in', property: 'actorId' },
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
