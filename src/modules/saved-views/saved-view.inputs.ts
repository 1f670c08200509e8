import { IsBoolean, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType()
export class CreateSavedViewInput {
  @Field()
  @Length(1, 120)
  name: string;

  @Field({ description: 'A URL query string without the leading `?`: at most 2000 characters and 30 parameters' })
  @MaxLength(2000)
  query: string;

  @Field({ nullable: true, description: 'Default false: only its owner sees it' })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;
}

@InputType()
export class UpdateSavedViewInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(2000)
  query?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;
}

@InputType()
export class SavedViewFilter {
  @Field({ nullable: true, description: 'Only shared views (true) or only your own unshared ones (false)' })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
