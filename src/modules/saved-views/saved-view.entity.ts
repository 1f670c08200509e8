import { Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField } from '../../db/relation-field.js';
import { User } from '../users/user.entity.js';

/** A named incident-list query (the console's URL query), kept by a person and optionally shared with everyone. */
@ObjectType()
@Entity({ tableName: 'saved_views' })
@Index({ properties: ['organization', 'owner'] })
export class SavedView extends TenantEntity<'shared'> {
  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field({
    description: "The incident list's query string, as the console keeps it in its URL (`status=open&severity=P1,P2`)",
  })
  @Property({ type: 'text' })
  query: string;

  @Field({ description: 'Shared views are listed for everyone in the organization; others only for their owner' })
  @Property({ type: 'boolean', default: false })
  shared: boolean = false;

  @RelationField(() => User, {
    description: 'Who saved it; only they change it (an admin may also remove a shared view)',
  })
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  owner: User;

  @Field(() => ID)
  ownerId(): string {
    return this.owner.id;
  }
}
