import { IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { Severity } from '../incidents/incident.enums.js';
import { UuidScalar } from '../../core/scalars.js';
import { FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';

/** A year; a longer target is a typo rather than a service level. */
export const MAX_SLA_MINUTES = 366 * 24 * 60;

@InputType()
export class CreateSlaPolicyInput {
  @Field()
  @Length(1, 120)
  name: string;

  @Field(() => Severity)
  severity: Severity;

  @Field(() => Int, { description: `Positive, at most ${MAX_SLA_MINUTES}` })
  @IsInt()
  @Min(1)
  @Max(MAX_SLA_MINUTES)
  responseMinutes: number;

  @Field(() => Int, { description: 'Positive and at least responseMinutes' })
  @IsInt()
  @Min(1)
  @Max(MAX_SLA_MINUTES)
  resolutionMinutes: number;

  @ReferenceField(() => Service, { property: 'service', description: 'Only incidents on this service' })
  serviceId?: string | null;

  @ReferenceField(() => Team, { property: 'team', description: 'Only incidents of this team' })
  teamId?: string | null;
}

@InputType({ description: 'Changes apply to incidents whose clocks start or are recomputed afterwards' })
export class UpdateSlaPolicyInput extends PartialInputType(CreateSlaPolicyInput, {
  descriptions: {
    responseMinutes: null,
    resolutionMinutes: null,
    serviceId: 'null widens the policy to every service',
    teamId: 'null widens the policy to every team',
  },
}) {}

@InputType()
export class SlaPolicyFilter {
  @FilterIn('severity', () => Severity)
  severity?: Severity[];

  @FilterIn('service', () => UuidScalar)
  serviceId?: string[];

  @FilterIn('team', () => UuidScalar)
  teamId?: string[];

  @FilterText(['name'], { description: 'Text in the name' })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
