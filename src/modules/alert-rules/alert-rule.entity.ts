import { Entity, Property } from '@mikro-orm/core';
import { ArrayMaxSize, IsOptional } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { UuidScalar } from '../../core/scalars.js';
import { Severity } from '../incidents/incident.enums.js';

@ObjectType({ description: 'Which records an alert rule fires for; empty means any' })
@InputType('AlertRuleConditionsInput')
export class AlertRuleConditions {
  @Field(() => [Severity], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(4)
  severities?: Severity[] | null;

  @Field(() => UuidScalar, { nullable: true })
  @IsOptional()
  serviceId?: string | null;

  @Field(() => UuidScalar, { nullable: true })
  @IsOptional()
  teamId?: string | null;
}

@ObjectType({ description: 'A subscription of a URL to events, delivered as signed Standard Webhooks' })
@Entity({ tableName: 'alert_rules' })
export class AlertRule extends TenantEntity<
  'enabled' | 'conditions' | 'previousSigningSecret' | 'previousSecretExpiresAt' | 'revealedSecret'
> {
  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field()
  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  @Field(() => [String])
  @Property({ type: 'text[]' })
  eventTypes: string[];

  @Field(() => AlertRuleConditions)
  @Property({ type: 'jsonb', default: '{}' })
  conditions: AlertRuleConditions = {};

  @Field()
  @Property({ type: 'text' })
  targetUrl: string;

  @Field(() => String, {
    nullable: true,
    description: 'Why Argus disabled the rule (e.g. the target answered 410 Gone)',
  })
  @Property({ type: 'text', nullable: true })
  disabledReason?: string | null;

  /** Signs deliveries; shown once, in the create and rotate responses (`signingSecret`). */
  @Property({ type: 'text', hidden: true, lazy: true })
  signingSecret: string;

  /** During a rotation the old secret signs too, until it expires. */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  previousSigningSecret?: string | null;

  @Property({ type: 'timestamptz', nullable: true, hidden: true })
  previousSecretExpiresAt?: Date | null;

  /** Set only on the instance returned by create or rotate; never stored as such, never read back. */
  @Property({ persist: false, hidden: true })
  revealedSecret?: string;

  @Field(() => String, {
    name: 'signingSecret',
    nullable: true,
    description: 'whsec_… secret; only in the create and rotate responses',
  })
  shownSecret(): string | null {
    return this.revealedSecret ?? null;
  }
}
