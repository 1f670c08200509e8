import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField } from '../../db/relation-field.js';
import { Team } from '../teams/team.entity.js';

@ObjectType()
@Entity({ tableName: 'services' })
@Unique({ properties: ['organization', 'name'] })
export class Service extends TenantEntity<'tier' | 'tags'> {
  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @RelationField(() => Team, { nullable: true })
  @ManyToOne(() => Team, { nullable: true, deleteRule: 'set null' })
  team?: Team | null;

  @Field(() => ID, { nullable: true })
  teamId(): string | null {
    return this.team?.id ?? null;
  }

  @Field(() => Int, { description: 'Business criticality, 1 (most critical) to 4' })
  @Property({ type: 'smallint', default: 3 })
  tier: number = 3;

  @Field(() => [String])
  @Property({ type: 'text[]', default: '{}' })
  tags: string[] = [];

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  runbookUrl?: string | null;
}
