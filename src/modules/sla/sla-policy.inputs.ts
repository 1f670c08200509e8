import { IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { Severity } from '../incidents/incident.enums.js';
import { UuidScalar } from '../../core/scalars.js';

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

  @Field(() => UuidScalar, { nullable: true, description: 'Only incidents on this service' })
  serviceId?: string | null;

  @Field(() => UuidScalar, { nullable: true, description: 'Only incidents of this team' })
  teamId?: string | null;
}

@InputType({ description: 'Changes apply to incidents whose clocks start or are recomputed afterwards' })
export class UpdateSlaPolicyInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;

  @Field(() => Severity, { nullable: true })
  severity?: Severity;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SLA_MINUTES)
  responseMinutes?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SLA_MINUTES)
  resolutionMinutes?: number;

  @Field(() => UuidScalar, { nullable: true, description: 'null widens the policy to every service' })
  serviceId?: string | null;

  @Field(() => UuidScalar, { nullable: true, description: 'null widens the policy to every team' })
  teamId?: string | null;
}

@InputType()
export class SlaPolicyFilter {
  @Field(() => [Severity], { nullable: true })
  severity?: Severity[];

  @Field(() => [UuidScalar], { nullable: true })
  serviceId?: string[];

  @Field(() => [UuidScalar], { nullable: true })
  teamId?: string[];

  @Field(() => String, { nullable: true, description: 'Text in the name' })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
