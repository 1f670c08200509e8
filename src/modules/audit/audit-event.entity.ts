import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Organization } from '../../db/organization.entity.js';

export enum AuditOutcome {
  success = 'success',
  failure = 'failure',
}
registerEnumType(AuditOutcome, { name: 'AuditOutcome' });

export enum AuditSurface {
  graphql = 'graphql',
  rest = 'rest',
}
registerEnumType(AuditSurface, { name: 'AuditSurface' });

/**
 * One mutation, as the audit log keeps it: who, what, which record, from where, and how it ended. Written by
 * src/audit/audit-mutations.ts only, append-only (no update or delete anywhere). It holds the names of the fields a
 * caller sent, never their values, so no password, token or secret reaches it.
 *
 * Not a TenantEntity: a failed login for an account that does not exist belongs to no organization, so
 * `organization` may be null. The tenant filter covers this entity too (src/db/entities.ts), so such rows are
 * visible to nobody through the API.
 */
@ObjectType({ description: 'Who did what to which record, from where, and the outcome (admins and owners read it)' })
@Entity({ tableName: 'audit_events' })
@Index({ properties: ['organization', 'createdAt', 'id'] })
export class AuditEvent {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'When the mutation ended' })
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @ManyToOne(() => Organization, { nullable: true, deleteRule: 'cascade', hidden: true })
  organization?: Organization | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The user who acted (for a failed login: the account tried, when it exists)',
  })
  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Field({ description: 'The GraphQL mutation, e.g. createIncident, login, rotateAlertRuleSecret' })
  @Property({ type: 'text' })
  action: string;

  @Field(() => AuditOutcome)
  @Enum({ items: () => AuditOutcome, nativeEnumName: 'audit_outcome' })
  outcome: AuditOutcome;

  @Field(() => String, { nullable: true, description: 'The error code of a failure (VALIDATION_FAILED, FORBIDDEN, …)' })
  @Property({ type: 'text', nullable: true })
  errorCode?: string | null;

  @Field(() => String, { nullable: true, description: 'The type of the record acted on, e.g. Incident' })
  @Property({ type: 'text', nullable: true })
  recordType?: string | null;

  @Field(() => String, { nullable: true, description: 'Its id (or, for a failure, the id or key the caller named)' })
  @Property({ type: 'text', nullable: true })
  recordId?: string | null;

  @Field(() => [String], { description: 'The input fields the caller sent (names only, never values)' })
  @Property({ type: 'text[]', default: '{}' })
  changedFields: string[] = [];

  @Field(() => AuditSurface, { description: 'graphql (/graphql) or rest (/api/v1)' })
  @Enum({ items: () => AuditSurface, nativeEnumName: 'audit_surface' })
  surface: AuditSurface;

  @Field(() => String, {
    nullable: true,
    description: 'The client address, as rate limits see it (X-Forwarded-For only from a loopback proxy)',
  })
  @Property({ type: 'text', nullable: true })
  ip?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  userAgent?: string | null;

  @Field(() => String, { nullable: true, description: 'The X-Request-Id of the request' })
  @Property({ type: 'text', nullable: true })
  requestId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The API token the caller authenticated with, when it was one' })
  @Property({ type: 'uuid', nullable: true })
  apiTokenId?: string | null;
}
