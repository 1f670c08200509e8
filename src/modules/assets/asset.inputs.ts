import { IsObject, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { UuidScalar } from '../../core/scalars.js';
import { AssetStatus, AssetType } from './asset.entity.js';

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
