import { IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';
import { Severity } from '../incidents/incident.enums.js';
import { WebhookSourceKind, WebhookVerification } from './webhook-source.entity.js';

@InputType()
export class CreateWebhookSourceInput {
  @Field()
  @Length(1, 120)
  name: string;

  @Field(() => WebhookSourceKind)
  kind: WebhookSourceKind;

  @Field(() => WebhookVerification, {
    nullable: true,
    description: 'Default: signature for generic sources, bearer for Alertmanager and Grafana (which cannot sign Standard Webhooks)',
  })
  verification?: WebhookVerification;

  @Field(() => Severity, { nullable: true })
  defaultSeverity?: Severity | null;

  @Field(() => UuidScalar, { nullable: true })
  defaultServiceId?: string | null;

  @Field({ nullable: true, description: 'Default true' })
  enabled?: boolean;
}

@InputType({ description: 'The verification method changes only with a new secret: see rotateWebhookSourceSecret' })
export class UpdateWebhookSourceInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;

  @Field(() => WebhookSourceKind, { nullable: true })
  kind?: WebhookSourceKind;

  @Field(() => Severity, { nullable: true })
  defaultSeverity?: Severity | null;

  @Field(() => UuidScalar, { nullable: true })
  defaultServiceId?: string | null;

  @Field({ nullable: true })
  enabled?: boolean;
}

@InputType()
export class WebhookSourceFilter {
  @Field(() => [WebhookSourceKind], { nullable: true })
  kind?: WebhookSourceKind[];

  @Field(() => [WebhookVerification], { nullable: true })
  verification?: WebhookVerification[];

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean;

  @Field(() => [UuidScalar], { nullable: true })
  defaultServiceId?: string[];

  @Field(() => String, { nullable: true, description: 'Text in the name' })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}
