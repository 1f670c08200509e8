import { IsObject, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType, Resolver } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { CrudResolver } from '../../api/graphql/crud.js';
import { CrudService } from '../crud.service.js';
import { UuidScalar } from '../../core/scalars.js';
import { Role } from '../../core/roles.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';
import { Asset, AssetStatus, AssetType } from './asset.entity.js';

@InputType()
export class CreateAssetInput {
  @Field()
  @Length(1, 200)
  name: string;

  @Field(() => AssetType)
  type: AssetType;

  @Field(() => AssetStatus, { nullable: true, description: 'Default active' })
  status?: AssetStatus;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 253)
  hostname?: string | null;

  @Field(() => UuidScalar, { nullable: true })
  ownerTeamId?: string | null;

  @Field(() => UuidScalar, { nullable: true })
  serviceId?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Free-form JSON object; its keys are kept exactly as sent' })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}

@InputType()
export class UpdateAssetInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field(() => AssetType, { nullable: true })
  type?: AssetType;

  @Field(() => AssetStatus, { nullable: true })
  status?: AssetStatus;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 253)
  hostname?: string | null;

  @Field(() => UuidScalar, { nullable: true })
  ownerTeamId?: string | null;

  @Field(() => UuidScalar, { nullable: true })
  serviceId?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Replaces the whole attributes object' })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}

@InputType()
export class AssetFilter {
  @Field(() => [AssetType], { nullable: true })
  type?: AssetType[];

  @Field(() => [AssetStatus], { nullable: true })
  status?: AssetStatus[];

  @Field(() => [UuidScalar], { nullable: true })
  serviceId?: string[];

  @Field(() => [UuidScalar], { nullable: true })
  ownerTeamId?: string[];

  @Field(() => Date, { nullable: true })
  createdAfter?: Date;

  @Field(() => Date, { nullable: true })
  createdBefore?: Date;

  @Field(() => String, { nullable: true, description: 'Text in the name or hostname' })
  @IsOptional()
  @MaxLength(200)
  q?: string;
}

export const assetService = new CrudService(Asset, {
  label: 'asset',
  filters: {
    type: { kind: 'in', property: 'type' },
    status: { kind: 'in', property: 'status' },
    serviceId: { kind: 'in', property: 'service' },
    ownerTeamId: { kind: 'in', property: 'ownerTeam' },
    createdAfter: { kind: 'after', property: 'createdAt' },
    createdBefore: { kind: 'before', property: 'createdAt' },
    q: { kind: 'text', properties: ['name', 'hostname'] },
  },
  sort: { fields: ['name', 'type', 'status', 'createdAt', 'updatedAt'], default: 'name' },
  references: {
    serviceId: { property: 'service', entity: Service },
    ownerTeamId: { property: 'ownerTeam', entity: Team },
  },
});

@Resolver(() => Asset)
export class AssetResolver extends CrudResolver({
  entity: Asset,
  single: 'asset',
  plural: 'assets',
  path: '/assets',
  createInput: CreateAssetInput,
  updateInput: UpdateAssetInput,
  filterInput: AssetFilter,
  service: (ctx) => ctx.services.assets,
  writeRole: Role.admin,
}) {}
