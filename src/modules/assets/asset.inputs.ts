import { IsObject, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { UuidScalar } from '../../core/scalars.js';
import { AssetStatus, AssetType } from './asset.entity.js';
import { FilterAfter, FilterBefore, FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';

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

  @ReferenceField(() => Team, { property: 'ownerTeam' })
  ownerTeamId?: string | null;

  @ReferenceField(() => Service, { property: 'service' })
  serviceId?: string | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Free-form JSON object; its keys are kept exactly as sent',
  })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}

@InputType()
export class UpdateAssetInput extends PartialInputType(CreateAssetInput, {
  descriptions: { status: null, attributes: 'Replaces the whole attributes object' },
}) {}

@InputType()
export class AssetFilter {
  @FilterIn('type', () => AssetType)
  type?: AssetType[];

  @FilterIn('status', () => AssetStatus)
  status?: AssetStatus[];

  @FilterIn('service', () => UuidScalar)
  serviceId?: string[];

  @FilterIn('ownerTeam', () => UuidScalar)
  ownerTeamId?: string[];

  @FilterAfter('createdAt')
  createdAfter?: Date;

  @FilterBefore('createdAt')
  createdBefore?: Date;

  @FilterText(['name', 'hostname'], { description: 'Text in the name or hostname' })
  @IsOptional()
  @MaxLength(200)
  q?: string;
}
