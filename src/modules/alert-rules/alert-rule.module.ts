import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { Arg, Authorized, Ctx, Field, InputType, Mutation, Resolver } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { CrudService } from '../crud.service.js';
import { AppError } from '../../core/errors.js';
import type { Actor, Context } from '../../api/graphql/context.js';
import { UuidScalar } from '../../core/scalars.js';
import { Role } from '../../core/roles.js';
import { restRoute } from '../../api/rest/routes.js';
import { EVENT_TYPES } from '../events/event-types.js';
import { newSigningSecret } from '../webhook-deliveries/signing.js';
import { SsrfError, TargetPolicy } from '../webhook-deliveries/ssrf.js';
import type { Clock } from '../../core/clock.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';
import { AlertRule, AlertRuleConditions } from './alert-rule.entity.js';

/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

@InputType()
export class CreateAlertRuleInput {
  @Field()
  @Length(1, 120)
  name: string;

  @Field({ nullable: true, defaultValue: true })
  enabled?: boolean;

  @Field(() => [String], { description: `Any of: ${EVENT_TYPES.join(', ')}` })
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true, message: `each value must be one of ${EVENT_TYPES.join(', ')}` })
  eventTypes: string[];

  @Field(() => AlertRuleConditions, { nullable: true })
  @IsOptional()
  @ValidateNested()
  conditions?: AlertRuleConditions;

  @Field()
  @MaxLength(2000)
  targetUrl: string;
}

@InputType()
export class UpdateAlertRuleInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;

  @Field({ nullable: true })
  enabled?: boolean;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @IsIn(EVENT_TYPES, { each: true, message: `each value must be one of ${EVENT_TYPES.join(', ')}` })
  eventTypes?: string[];

  @Field(() => AlertRuleConditions, { nullable: true })
  @IsOptional()
  @ValidateNested()
  conditions?: AlertRuleConditions;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(2000)
  targetUrl?: string;
}

@InputType()
export class AlertRuleFilter {
  @Field(() => Boolean, { nullable: true })
  enabled?: boolean;

  @Field(() => [String], { nullable: true, description: 'Rules subscribed to all of these event types' })
  eventTypes?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}

type Input = Record<string, unknown>;

export class AlertRuleService extends CrudService<AlertRule> {
  constructor(
    private readonly targets: TargetPolicy,
    private readonly clock: Clock,
  ) {
    super(AlertRule, {
      label: 'alert rule',
      filters: {
        enabled: { kind: 'eq', property: 'enabled' },
        eventTypes: { kind: 'contains', property: 'eventTypes' },
        q: { kind: 'text', properties: ['name', 'targetUrl'] },
      },
      sort: { fields: ['name', 'createdAt', 'updatedAt'], default: 'name' },
    });
  }

  /** A new secret; the old one keeps signing for a day so receivers can roll over. */
  async rotateSecret(ctx: Context, id: string): Promise<AlertRule> {
    return ctx.em.transactional(async (em) => {
      const rule = await em.findOne(AlertRule, { id }, { populate: ['signingSecret'] });
      if (!rule) throw AppError.notFound('alert rule');
      rule.previousSigningSecret = rule.signingSecret;
      rule.previousSecretExpiresAt = new Date(this.clock.now().getTime() + ROTATION_OVERLAP_MS);
      rule.signingSecret = newSigningSecret();
      rule.revealedSecret = rule.signingSecret;
      return rule;
    });
  }

  protected override async toEntityData(em: EntityManager, input: Input): Promise<Input> {
    const data = await super.toEntityData(em, input);
    if (typeof data.targetUrl === 'string') await this.checkTarget(data.targetUrl);
    const conditions = data.conditions as AlertRuleConditions | undefined;
    if (conditions) data.conditions = await this.checkConditions(em, conditions);
    if (data.eventTypes) data.eventTypes = [...new Set(data.eventTypes as string[])];
    return data;
  }

  protected override async beforeCreate(_em: EntityManager, _auth: Actor, data: Input): Promise<Input> {
    const signingSecret = newSigningSecret();
    return { ...data, signingSecret, revealedSecret: signingSecret };
  }

  protected override async applyUpdate(em: EntityManager, _auth: Actor, rule: AlertRule, data: Input): Promise<void> {
    if (data.enabled === true) data.disabledReason = null;
    em.assign(rule, data as never);
  }

  private async checkTarget(url: string): Promise<void> {
    try {
      await this.targets.check(url);
    } catch (error) {
      if (error instanceof SsrfError) throw AppError.validation('targetUrl', error.message);
      throw error;
    }
  }

  private async checkConditions(em: EntityManager, c: AlertRuleConditions): Promise<AlertRuleConditions> {
    if (c.serviceId && !(await em.count(Service, { id: c.serviceId }))) throw AppError.validation('conditions.serviceId', 'refers to no service of this organization');
    if (c.teamId && !(await em.count(Team, { id: c.teamId }))) throw AppError.validation('conditions.teamId', 'refers to no team of this organization');
    return { severities: c.severities ?? null, serviceId: c.serviceId ?? null, teamId: c.teamId ?? null };
  }
}

@Resolver(() => AlertRule)
export class AlertRuleResolver extends CrudResolver({
  entity: AlertRule,
  single: 'alertRule',
  plural: 'alertRules',
  path: '/alert-rules',
  createInput: CreateAlertRuleInput,
  updateInput: UpdateAlertRuleInput,
  filterInput: AlertRuleFilter,
  service: (ctx) => ctx.services.alertRules,
  writeRole: Role.admin,
}) {
  @Authorized(Role.admin)
  @Mutation(() => AlertRule, { description: 'A new signing secret, shown once; the old one signs too for 24 hours' })
  rotateAlertRuleSecret(@Arg('id', () => UuidScalar) id: string, @Ctx() ctx: Context): Promise<AlertRule> {
    return ctx.services.alertRules.rotateSecret(ctx, id);
  }
}

restRoute('Mutation.rotateAlertRuleSecret', { method: 'POST', path: '/alert-rules/:id/rotate-secret', tags: ['alert-rules'] });
