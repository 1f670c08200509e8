import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField, RelationIdsField } from '../../db/relation-field.js';
import { Service } from '../services/service.entity.js';
import { Incident } from '../incidents/incident.entity.js';
import { Severity } from '../incidents/incident.enums.js';
import { ProblemStatus } from './problem.enums.js';

export const PROBLEM_KEY_PREFIX = 'PRB';

@ObjectType({ description: 'The underlying cause of one or more incidents' })
@Entity({ tableName: 'problems' })
@Unique({ properties: ['organization', 'number'] })
@Index({ properties: ['organization', 'createdAt', 'id'] })
export class Problem extends TenantEntity<'status' | 'priority' | 'incidents'> {
  @Field(() => Int, { description: 'Sequence number within the organization; the key is PRB-<number>' })
  @Property({ type: 'int' })
  number: number;

  @Field({ description: 'Human key, unique per organization, e.g. PRB-12' })
  key(): string {
    return `${PROBLEM_KEY_PREFIX}-${this.number}`;
  }

  @Field()
  @Property({ type: 'text' })
  title: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => ProblemStatus)
  @Enum({ items: () => ProblemStatus, nativeEnumName: 'problem_status', default: ProblemStatus.open })
  status: ProblemStatus = ProblemStatus.open;

  @Field(() => Severity, { description: 'P1 (most urgent) to P4; default P3' })
  @Enum({ items: () => Severity, nativeEnumName: 'severity', default: Severity.P3 })
  priority: Severity = Severity.P3;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  rootCause?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  workaround?: string | null;

  @RelationField(() => Service, { nullable: true })
  @ManyToOne(() => Service, { nullable: true, deleteRule: 'set null' })
  service?: Service | null;

  @Field(() => ID, { nullable: true })
  serviceId(): string | null {
    return this.service?.id ?? null;
  }

  @RelationField(() => [Incident], { description: 'The incidents this problem causes' })
  @OneToMany(() => Incident, (incident) => incident.problem)
  incidents = new Collection<Incident>(this);

  @RelationIdsField('incidents')
  incidentIds(): string[] {
    return this.incidents.getIdentifiers('id');
  }

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  closedAt?: Date | null;
}
