import { IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IncidentEventType } from './incident.enums.js';
import { IdOrKeyScalar, UuidScalar } from '../../core/scalars.js';

@InputType({ description: 'A comment on the timeline; other entry types are written by Argus itself' })
export class CreateIncidentEventInput {
  @Field(() => IdOrKeyScalar, { description: 'The incident, by id or key' })
  incidentId: string;

  @Field()
  @Length(1, 10000)
  message: string;

  @Field(() => IncidentEventType, {
    nullable: true,
    description: 'comment, the default and the only type a person writes (the field is accepted so that an entry as read can be sent back)',
  })
  type?: IncidentEventType;

  @Field(() => Date, { nullable: true, description: 'When it happened, if earlier than now' })
  occurredAt?: Date;
}

@InputType()
export class UpdateIncidentEventInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 10000)
  message?: string;
}

@InputType()
export class IncidentEventFilter {
  @Field(() => [IdOrKeyScalar], { nullable: true })
  incidentId?: string[];

  @Field(() => [IncidentEventType], { nullable: true })
  type?: IncidentEventType[];

  @Field(() => [UuidScalar], { nullable: true })
  actorId?: string[];

  @Field(() => Date, { nullable: true })
  createdAfter?: Date;

  @Field(() => Date, { nullable: true })
  createdBefore?: Date;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
