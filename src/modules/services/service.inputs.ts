import { ArrayMaxSize, IsInt, IsOptional, IsUrl, Length, Max, MaxLength, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';
import { FilterContains, FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { Team } from '../teams/team.entity.js';

/** A runbook link: http(s) only, any host (internal names without a TLD included). */
const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/** The longest service name: the same rule for a service made by hand and one made by an incident import. */
export const SERVICE_NAME_MAX = 120;

@InputType()
export class CreateServiceInput {
  @Field()
  @Length(1, SERVICE_NAME_MAX)
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @ReferenceField(() => Team, { property: 'team' })
  teamId?: string | null;

  @Field(() => Int, { nullable: true, description: '1 (most critical) to 4; default 3' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4)
  tier?: number;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @Length(1, 50, { each: true })
  tags?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(2000)
  runbookUrl?: string | null;
}

@InputType()
export class UpdateServiceInput extends PartialInputType(CreateServiceInput, { descriptions: { tier: null } }) {}

@InputType()
export class ServiceFilter {
  @FilterIn('team', () => UuidScalar)
  teamId?: string[];

  @FilterIn('tier', () => Int)
  tier?: number[];

  @FilterContains('tags', () => String, { description: 'Services that carry all of these tags' })
  tags?: string[];

  @FilterText(['name', 'description'])
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
