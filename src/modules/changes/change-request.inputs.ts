import { ArrayMaxSize, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';
import { ChangeRisk, ChangeStatus, ChangeType } from './change-request.enums.js';
import { Asset } from '../assets/asset.entity.js';
import { FilterAfter, FilterBefore, FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { Service } from '../services/service.entity.js';
import { User } from '../users/user.entity.js';

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

  @ReferenceField(() => Service, { property: 'service' })
  serviceId?: string | null;

  @ReferenceField(() => Asset, { property: 'assets', many: true })
  @IsOptional()
  @ArrayMaxSize(500)
  assetIds?: string[];

  @ReferenceField(() => User, { property: 'implementer' })
  implementerId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  rollbackPlan?: string | null;
}

@InputType()
export class UpdateChangeRequestInput extends PartialInputType(CreateChangeRequestInput, {
  descriptions: { type: null, risk: null, plannedEnd: null, assetIds: 'Replaces the asset list' },
}) {
  @Field(() => ChangeStatus, {
    nullable: true,
    description:
      'Moves the change along its lifecycle; approved and rejected come from approveChangeRequest / rejectChangeRequest',
  })
  status?: ChangeStatus;
}

@InputType()
export class ChangeRequestFilter {
  @FilterIn('status', () => ChangeStatus)
  status?: ChangeStatus[];

  @FilterIn('type', () => ChangeType)
  type?: ChangeType[];

  @FilterIn('risk', () => ChangeRisk)
  risk?: ChangeRisk[];

  @FilterIn('service', () => UuidScalar)
  serviceId?: string[];

  @FilterIn('assets', () => UuidScalar, { description: 'Changes that touch any of these assets' })
  assetIds?: string[];

  @FilterIn('requester', () => UuidScalar)
  requesterId?: string[];

  @FilterIn('implementer', () => UuidScalar)
  implementerId?: string[];

  @FilterIn('approver', () => UuidScalar)
  approverId?: string[];

  @FilterAfter('plannedStart', { description: 'Changes planned to start at or after this time' })
  plannedStartAfter?: Date;

  @FilterBefore('plannedStart', { description: 'Changes planned to start before this time' })
  plannedStartBefore?: Date;

  @FilterAfter('createdAt')
  createdAfter?: Date;

  @FilterBefore('createdAt')
  createdBefore?: Date;

  @FilterText(['title', 'description', 'rollbackPlan'], {
    description: 'Text in the title, description or rollback plan',
  })
  @IsOptional()
  @MaxLength(200)
  q?: string;
}
