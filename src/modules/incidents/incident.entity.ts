import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField } from '../../db/relation-field.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';
import { User } from '../users/user.entity.js';
import { Problem } from '../problems/problem.entity.js';
import { SlaPolicy } from '../sla/sla-policy.entity.js';
import { IncidentStatus, Severity } from './incident.enums.js';

export const INCIDENT_KEY_PREFIX = 'INC';

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'incidents' })
@Unique({ properties: ['organization', 'number'] })
@Unique({ properties: ['organization', 'externalId'] })
@Index({ properties: ['organization', 'createdAt', 'id'] })
@Index({ properties: ['organization', 'updatedAt'] })
// Analytics: the incidents of a window (src/modules/analytics).
@Index({ properties: ['organization', 'startedAt'] })
@Index({
  name: 'incidents_sla_response_running_index',
  expression:
    'create index "incidents_sla_response_running_index" on "incidents" ("sla_response_due_at") where "sla_response_stopped_at" is null and "sla_response_breached_at" is null',
})
@Index({
  name: 'incidents_sla_resolution_running_index',
  expression:
    'create index "incidents_sla_resolution_running_index" on "incidents" ("sla_resolution_due_at") where "sla_resolution_stopped_at" is null and "sla_resolution_breached_at" is null',
})
export class Incident extends TenantEntity<
  'status' | 'autoClassified' | 'startedAt' | 'tags' | 'source' | 'slaBreached'
> {
  @Field(() => Int, { description: 'Sequence number within the organization; the key is INC-<number>' })
  @Property({ type: 'int' })
  number: number;

  @Field({ description: 'Human key, unique per organization, e.g. INC-42' })
  key(): string {
    return `${INCIDENT_KEY_PREFIX}-${this.number}`;
  }

  @Field()
  @Property({ type: 'text' })
  title: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => Severity)
  @Enum({ items: () => Severity, nativeEnumName: 'severity' })
  severity: Severity;

  @Field(() => IncidentStatus)
  @Enum({ items: () => IncidentStatus, nativeEnumName: 'incident_status', default: IncidentStatus.open })
  status: IncidentStatus = IncidentStatus.open;

  @RelationField(() => Service, { nullable: true })
  @ManyToOne(() => Service, { nullable: true, deleteRule: 'set null' })
  service?: Service | null;

  @Field(() => ID, { nullable: true })
  serviceId(): string | null {
    return this.service?.id ?? null;
  }

  @RelationField(() => Team, { nullable: true })
  @ManyToOne(() => Team, { nullable: true, deleteRule: 'set null' })
  team?: Team | null;

  @Field(() => ID, { nullable: true })
  teamId(): string | null {
    return this.team?.id ?? null;
  }

  @RelationField(() => User, { nullable: true })
  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  assignee?: User | null;

  @Field(() => ID, { nullable: true })
  assigneeId(): string | null {
    return this.assignee?.id ?? null;
  }

  @RelationField(() => Problem, { nullable: true, description: 'The problem behind this incident' })
  @ManyToOne(() => Problem, { nullable: true, deleteRule: 'set null', index: true })
  problem?: Problem | null;

  @Field(() => ID, { nullable: true })
  problemId(): string | null {
    return this.problem?.id ?? null;
  }

  @Field({ description: 'True when the severity was filled in by the classifier rather than by a person' })
  @Property({ type: 'boolean', default: false })
  autoClassified: boolean = false;

  @Field(() => Severity, {
    nullable: true,
    description:
      "The classifier's answer when the incident was opened, kept beside a severity the caller chose (acceptance = severity equals it)",
  })
  @Enum({ items: () => Severity, nativeEnumName: 'severity', nullable: true })
  suggestedSeverity?: Severity | null;

  @Field(() => Float, {
    nullable: true,
    description: "The classifier's calibrated confidence in suggested_severity (0–1)",
  })
  @Property({ type: 'real', nullable: true })
  classificationConfidence?: number | null;

  @Field(() => String, { nullable: true, description: 'Which model classified the incident' })
  @Property({ type: 'text', nullable: true })
  classificationModel?: string | null;

  @Field()
  @Property({ type: 'timestamptz' })
  startedAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  acknowledgedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  mitigatedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  closedAt?: Date | null;

  @Field(() => [String])
  @Property({ type: 'text[]', default: '{}' })
  tags: string[] = [];

  @Field({ description: 'Where the incident came from: manual, api, alert, import' })
  @Property({ type: 'text', default: 'manual' })
  source: string = 'manual';

  @Field(() => String, {
    nullable: true,
    description:
      "The incident's id in the tool it was imported from; unique per organization, so a re-import updates instead of duplicating",
  })
  @Property({ type: 'text', nullable: true })
  externalId?: string | null;

  @RelationField(() => SlaPolicy, { nullable: true })
  @ManyToOne(() => SlaPolicy, { nullable: true, deleteRule: 'set null' })
  slaPolicy?: SlaPolicy | null;

  @Field(() => ID, { nullable: true, description: 'The SLA policy that set the due times; null when none matched' })
  slaPolicyId(): string | null {
    return this.slaPolicy?.id ?? null;
  }

  @Field(() => Date, {
    nullable: true,
    description: 'When the SLA clocks started: the creation, or the last reopen (resolution clock)',
  })
  @Property({ type: 'timestamptz', nullable: true })
  slaStartedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Acknowledge by then; null without a matching SLA policy' })
  @Property({ type: 'timestamptz', nullable: true })
  slaResponseDueAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Resolve by then; null without a matching SLA policy' })
  @Property({ type: 'timestamptz', nullable: true })
  slaResolutionDueAt?: Date | null;

  /** When the response clock stopped (the first move past open); a reopen does not restart it. */
  @Property({ type: 'timestamptz', nullable: true })
  slaResponseStoppedAt?: Date | null;

  /** When the resolution clock stopped (resolved or closed); cleared by a reopen. */
  @Property({ type: 'timestamptz', nullable: true })
  slaResolutionStoppedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'The missed response due time, once the breach is recorded' })
  @Property({ type: 'timestamptz', nullable: true })
  slaResponseBreachedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'The missed resolution due time, once the breach is recorded' })
  @Property({ type: 'timestamptz', nullable: true })
  slaResolutionBreachedAt?: Date | null;

  @Field({ description: 'True once any SLA clock of this incident has been breached; stays true after a reopen' })
  @Property({ type: 'boolean', default: false })
  slaBreached: boolean = false;
}
