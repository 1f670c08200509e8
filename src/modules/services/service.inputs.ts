import { ArrayMaxSize, IsInt, IsOptional, IsUrl, Length, Max, MaxLength, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';
import { URL_OPTIONS } from './service.service.js';

@InputType()
export class CreateServiceInput {
  @Field()
  @Length(1, 120)
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => UuidScalar, { nullable: true })
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
export class UpdateServiceInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => UuidScalar, { nullable: true })
  teamId?: string | null;

  @Field(() => Int, { nullable: true })
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
export class ServiceFilter {
  @Field(() => [UuidScalar], { nullable: true })
  teamId?: string[];

  @Field(() => [Int], { nullable: true })
  tier?: number[];

  @Field(() => [String], { nullable: true, description: 'Services that carry all of these tags' })
  tags?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
