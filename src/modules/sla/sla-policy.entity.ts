import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField } from '../../db/relation-field.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';
import { Severity } from '../incidents/incident.enums.js';

/** The nil UUID stands for "no service / no team" in the scope's unique index, so that NULL scopes collide too. */
const NO_SCOPE = `'00000000-0000-0000-0000-000000000000'::uuid`;

@ObjectType({
  description:
    'Response and resolution targets for incidents of one severity, optionally only on one service and/or team. ' +
    'The most specific matching policy applies: service and team, then service, then team, then severity alone.',
})
@Entity({ tableName: 'sla_policies' })
@Index({ properties: ['organization', 'severity'] })
@Unique({
  name: 'sla_policies_scope_unique',
  expression: `create unique index "sla_policies_scope_unique" on "sla_policies" ("organization_id", "severity", coalesce("service_id", ${NO_SCOPE}), coalesce("team_id", ${NO_SCOPE}))`,
})
export class SlaPolicy extends TenantEntity {
  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => Severity)
  @Enum({ items: () => Severity, nativeEnumName: 'severity' })
  severity: Severity;

  @Field(() => Int, { description: 'Minutes from the start of the clock to the first acknowledgement' })
  @Property({ type: 'int' })
  responseMinutes: number;

  @Field(() => Int, { description: 'Minutes from the start of the clock to resolution; at least responseMinutes' })
  @Property({ type: 'int' })
  resolutionMinutes: number;

  @RelationField(() => Service, { nullable: true })
  @ManyToOne(() => Service, { nullable: true, deleteRule: 'cascade' })
  service?: Service | null;

  @Field(() => ID, { nullable: true, description: 'Only incidents on this service; null for any service' })
  serviceId(): string | null {
    return this.service?.id ?? null;
  }

  @RelationField(() => Team, { nullable: true })
  @ManyToOne(() => Team, { nullable: true, deleteRule: 'cascade' })
  team?: Team | null;

  @Field(() => ID, { nullable: true, description: 'Only incidents of this team; null for any team' })
  teamId(): string | null {
    return this.team?.id ?? null;
  }
}
