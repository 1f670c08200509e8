import { IsBoolean, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { FilterEq, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';

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
export class UpdateSavedViewInput extends PartialInputType(CreateSavedViewInput, {
  descriptions: { query: null, shared: null },
}) {}

@InputType()
export class SavedViewFilter {
  @FilterEq('shared', () => Boolean, { description: 'Only shared views (true) or only your own unshared ones (false)' })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;

  @FilterText(['name'])
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
