import { Collection, Entity, ManyToMany, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField, RelationIdsField } from '../../db/relation-field.js';
import { User } from '../users/user.entity.js';

@ObjectType()
@Entity({ tableName: 'teams' })
@Unique({ properties: ['organization', 'name'] })
export class Team extends TenantEntity<'members'> {
  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @RelationField(() => [User])
  @ManyToMany(() => User, undefined, { pivotTable: 'team_members' })
  members = new Collection<User>(this);

  @RelationIdsField('members')
  memberIds(): string[] {
    return this.members.getIdentifiers('id');
  }
}
