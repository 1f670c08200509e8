import {
  ArrayMaxSize,
  ArrayMinSize,
  IsInt,
  IsOptional,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';
import { HANDOFF_TIME_PATTERN } from './on-call-calculator.js';
import { FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { Team } from '../teams/team.entity.js';

export const MAX_ROTATIONS = 10;
export const MAX_PARTICIPANTS = 100;
export const MAX_OVERRIDES = 500;
export const MAX_LENGTH_HOURS = 8760;

@InputType()
export class OnCallRotationInput {
  @Field()
  @Length(1, 120)
  name: string;

  @Field(() => [UuidScalar], {
    description: 'User ids of the organization, in turn order (a user may appear more than once)',
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PARTICIPANTS)
  participantIds: string[];

  @Field(() => Date, { description: 'When the first participant goes on call' })
  startAt: Date;

  @Field(() => Int, { description: `Length of a turn in hours, 1–${MAX_LENGTH_HOURS}` })
  @IsInt()
  @Min(1)
  @Max(MAX_LENGTH_HOURS)
  lengthHours: number;

  @Field({ description: 'Local wall time of the handoff, HH:mm (24-hour)' })
  @Matches(HANDOFF_TIME_PATTERN, { message: 'must be a time of day as HH:mm, e.g. 09:00' })
  handoffTime: string;
}

@InputType()
export class OnCallOverrideInput {
  @Field(() => UuidScalar)
  userId: string;

  @Field(() => Date)
  startAt: Date;

  @Field(() => Date, { description: 'After start_at' })
  endAt: Date;
}

@InputType()
export class CreateOnCallScheduleInput {
  @Field()
  @Length(1, 120)
  name: string;

  @ReferenceField(() => Team, { property: 'team' })
  teamId?: string | null;

  @Field({ description: 'IANA time zone name, e.g. Europe/Berlin' })
  @Length(1, 64)
  timeZone: string;

  @Field(() => [OnCallRotationInput], { nullable: true, description: 'Default: none' })
  @IsOptional()
  @ArrayMaxSize(MAX_ROTATIONS)
  @ValidateNested()
  rotations?: OnCallRotationInput[];

  @Field(() => [OnCallOverrideInput], { nullable: true, description: 'Default: none' })
  @IsOptional()
  @ArrayMaxSize(MAX_OVERRIDES)
  @ValidateNested()
  overrides?: OnCallOverrideInput[];
}

@InputType()
export class UpdateOnCallScheduleInput extends PartialInputType(CreateOnCallScheduleInput, {
  descriptions: { timeZone: null, rotations: 'Replaces every rotation', overrides: 'Replaces every override' },
}) {}

@InputType()
export class OnCallScheduleFilter {
  @FilterIn('team', () => UuidScalar)
  teamId?: string[];

  @FilterText(['name'], { description: 'Text in the name' })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
