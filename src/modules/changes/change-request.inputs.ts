import { ArrayMaxSize, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';
import { ChangeRisk, ChangeStatus, ChangeType } from './change-request.enums.js';

@InputType()
export class CreateChangeRequestInput {
  @Field()
  @Length(1, 300)
  title: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  description?: string | null;

  @Field(() => ChangeType, { nullable: true, description: 'Default normal' })
  type?: ChangeType;

  @Field(() => ChangeRisk, { nullable: true, description: 'Default medium' })
  risk?: ChangeRisk;

  @Field(() => Date, { nullable: true })
  plannedStart?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Must be after planned_start' })
  plannedEnd?: Date | null;

  @Field(() => UuidScalar, { nullable: true })
  serviceId?: string | null;

  @Field(() => [UuidScalar], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(500)
  assetIds?: string[];

  @Field(() => UuidScalar, { nullable: true })
  implementerId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  rollbackPlan?: string | null;
}

@InputType()
export class UpdateChangeRequestInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 300)
  title?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  description?: string | null;

  @Field(() => ChangeType, { nullable: true })
  type?: ChangeType;

  @Field(() => ChangeStatus, {
    nullable: true,
    description: 'Moves the change along its lifecycle; approved and rejected come from approveChangeRequest / rejectChangeRequest',
  })
  status?: ChangeStatus;

  @Field(() => ChangeRisk, { nullable: true })
  risk?: ChangeRisk;

  @Field(() => Date, { nullable: true })
  plannedStart?: Date | null;

  @Field(() => Date, { nullable: true })
  plannedEnd?: Date | null;

  @Field(() => UuidScalar, { nullable: true })
  serviceId?: string | null;

  @Field(() => [UuidScalar], { nullable: true, description: 'Replaces the asset list' })
  @IsOptional()
  @ArrayMaxSize(500)
  assetIds?: string[] | null;

  @Field(() => UuidScalar, { nullable: true })
  implementerId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  rollbackPlan?: string | null;
}

@InputType()
export class ChangeRequestFilter {
  @Field(() => [ChangeStatus], { nullable: true })
  status?: ChangeStatus[];

  @Field(() => [ChangeType], { nullable: true })
  type?: ChangeType[];

  @Field(() => [ChangeRisk], { nullable: true })
  risk?: ChangeRisk[];

  @Field(() => [UuidScalar], { nullable: true })
  serviceId?: string[];

  @Field(() => [UuidScalar], { nullable: true, description: 'Changes that touch any of these assets' })
  assetIds?: string[];

  @Field(() => [UuidScalar], { nullable: true })
  requesterId?: string[];

  @Field(() => [UuidScalar], { nullable: true })
  implementerId?: string[];

  @Field(() => [UuidScalar], { nullable: true })
  approverId?: string[];

  @Field(() => Date, { nullable: true, description: 'Changes planned to start at or after this time' })
  plannedStartAfter?: Date;

  @Field(() => Date, { nullable: true, description: 'Changes planned to start before this time' })
  plannedStartBefore?: Date;

  @Field(() => Date, { nullable: true })
  createdAfter?: Date;

  @Field(() => Date, { nullable: true })
  createdBefore?: Date;

  @Field(() => String, { nullable: true, description: 'Text in the title, description or rollback plan' })
  @IsOptional()
  @MaxLength(200)
  q?: string;
}
