import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField } from '../../db/relation-field.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';

export enum AssetType {
  server = 'server',
  database = 'database',
  network = 'network',
  application = 'application',
  storage = 'storage',
  other = 'other',
}
registerEnumType(AssetType, { name: 'AssetType' });

export enum AssetStatus {
  active = 'active',
  maintenance = 'maintenance',
  retired = 'retired',
}
registerEnumType(AssetStatus, { name: 'AssetStatus' });

@ObjectType({ description: 'A configuration item of the CMDB: a server, database, network device, application...' })
@Entity({ tableName: 'assets' })
@Index({ properties: ['organization', 'name'] })
export class Asset extends TenantEntity<'status' | 'attributes'> {
  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => AssetType)
  @Enum({ items: () => AssetType, nativeEnumName: 'asset_type' })
  type: AssetType;

  @Field(() => AssetStatus)
  @Enum({ items: () => AssetStatus, nativeEnumName: 'asset_status', default: AssetStatus.active })
  status: AssetStatus = AssetStatus.active;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  hostname?: string | null;

  @RelationField(() => Team, { nullable: true })
  @ManyToOne(() => Team, { nullable: true, deleteRule: 'set null' })
  ownerTeam?: Team | null;

  @Field(() => ID, { nullable: true })
  ownerTeamId(): string | null {
    return this.ownerTeam?.id ?? null;
  }

  @RelationField(() => Service, { nullable: true })
  @ManyToOne(() => Service, { nullable: true, deleteRule: 'set null' })
  service?: Service | null;

  @Field(() => ID, { nullable: true })
  serviceId(): string | null {
    return this.service?.id ?? null;
  }

  @Field(() => GraphQLJSONObject, {
    description: 'Free-form details (os, region, version...), returned exactly as sent',
  })
  @Property({ type: 'jsonb', default: '{}' })
  attributes: Record<string, unknown> = {};
}
