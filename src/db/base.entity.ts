import { randomUUID } from 'node:crypto';
import { ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Organization } from './organization.entity.js';

@ObjectType()
export abstract class BaseEntity<Optional = never> {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | Optional;

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field()
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/**
 * Every record that belongs to an organization. The `tenant` filter (db/tenancy.ts) restricts every read to the
 * caller's organization and the tenancy subscriber stamps the organization on insert, so services never set it.
 */
@ObjectType()
export abstract class TenantEntity<Optional = never> extends BaseEntity<'organization' | Optional> {
  @ManyToOne(() => Organization, { deleteRule: 'cascade', index: true })
  organization: Organization;
}

/** Any tenant entity, whatever its own optional properties. */
export type AnyTenantEntity = TenantEntity<string>;
