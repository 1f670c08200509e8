import { IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IncidentEventType } from './incident.enums.js';
import { IdOrKeyScalar, UuidScalar } from '../../core/scalars.js';
import { FilterAfter, FilterBefore, FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { INCIDENT_KEY_PREFIX, Incident } from './incident.entity.js';

@InputType({ description: 'A comment on the timeline; other entry types are written by Argus itself' })
export class CreateIncidentEventInput {
  @ReferenceField(() => Incident, {
    property: 'incident',
    keyPrefix: INCIDENT_KEY_PREFIX,
    required: true,
    description: 'The incident, by id or key',
  })
  incidentId: string;

  @Field()
  @Length(1, 10000)
  message: string;

  @Field(() => IncidentEventType, {
    nullable: true,
    description:
      'comment, the default and the only type a person writes (the field is accepted so that an entry as read can be sent back)',
  })
  type?: IncidentEventType;

  @Field(() => Date, { nullable: true, description: 'When it happened, if earlier than now' })
  occurredAt?: Date;
}

@InputType()
export class UpdateIncidentEventInput extends PartialInputType(CreateIncidentEventInput, {
  omit: ['incidentId', 'type', 'occurredAt'],
}) {}

@InputType()
export class IncidentEventFilter {
  @FilterIn('incident', () => IdOrKeyScalar, { keyPrefix: INCIDENT_KEY_PREFIX })
  incidentId?: string[];

  @FilterIn('type', () => IncidentEventType)
  type?: IncidentEventType[];

  @FilterIn('actor', () => UuidScalar)
  actorId?: string[];

  @FilterAfter('createdAt')
  createdAfter?: Date;

  @FilterBefore('createdAt')
  createdBefore?: Date;

  @FilterText(['message'])
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
