import { IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';
import { Severity } from '../incidents/incident.enums.js';
import { WebhookSourceKind, WebhookVerification } from './webhook-source.entity.js';
import { FilterEq, FilterIn, FilterText } from '../list-filters.js';
import { PartialInputType } from '../partial-input.js';
import { ReferenceField } from '../reference-fields.js';
import { Service } from '../services/service.entity.js';

@InputType()
export class CreateWebhookSourceInput {
  @Field()
  @Length(1, 120)
  name: string;

  @Field(() => WebhookSourceKind)
  kind: WebhookSourceKind;

  @Field(() => WebhookVerification, {
    nullable: true,
    description:
      'Default: signature for generic sources, bearer for Alertmanager and Grafana (which cannot sign Standard Webhooks)',
  })
  verification?: WebhookVerification;

  @Field(() => Severity, { nullable: true })
  defaultSeverity?: Severity | null;

  @ReferenceField(() => Service, { property: 'defaultService' })
  defaultServiceId?: string | null;

  @Field({ nullable: true, description: 'Default true' })
  enabled?: boolean;
}

@InputType({ description: 'The verification method changes only with a new secret: see rotateWebhookSourceSecret' })
export class UpdateWebhookSourceInput extends PartialInputType(CreateWebhookSourceInput, {
  omit: ['verification'],
  descriptions: { enabled: null },
}) {}

@InputType()
export class WebhookSourceFilter {
  @FilterIn('kind', () => WebhookSourceKind)
  kind?: WebhookSourceKind[];

  @FilterIn('verification', () => WebhookVerification)
  verification?: WebhookVerification[];

  @FilterEq('enabled', () => Boolean)
  enabled?: boolean;

  @FilterIn('defaultService', () => UuidScalar)
  defaultServiceId?: string[];

  @FilterText(['name'], { description: 'Text in the name' })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
