import { IsOptional, Length, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { SLUG_PATTERN } from './slug.js';

@InputType()
export class UpdateOrganizationInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field({
    nullable: true,
    description: '2–40 lower-case letters, digits and single hyphens; unique across the installation',
  })
  @IsOptional()
  @Matches(SLUG_PATTERN, {
    message: 'must be 2–40 lower-case letters, digits and single hyphens, starting and ending with a letter or digit',
  })
  slug?: string;
}
