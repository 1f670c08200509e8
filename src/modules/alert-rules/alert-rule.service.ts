import type { EntityManager } from '@mikro-orm/postgresql';
import { CrudService } from '../crud.service.js';
import { AppError } from '../../core/errors.js';
import type { Actor, Scope } from '../../core/scope.js';
import { newSigningSecret } from '../webhook-deliveries/signing.js';
import { SsrfError, TargetPolicy } from '../webhook-deliveries/ssrf.js';
import type { Clock } from '../../core/clock.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';
import { AlertRule, AlertRuleConditions } from './alert-rule.entity.js';
import { AlertRuleFilter } from './alert-rule.inputs.js';

/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

type Input = Record<string, unknown>;

export class AlertRuleService extends CrudService<AlertRule> {
  constructor(
    private readonly targets: TargetPolicy,
    private readonly clock: Clock,
  ) {
    super(AlertRule, {
      label: 'alert rule',
      filter: AlertRuleFilter,
      sort: { fields: ['name', 'createdAt', 'updatedAt'], default: 'name' },
    });
  }

  /** A new secret; the old one keeps signing for a day so receivers can roll over. */
  async rotateSecret(scope: Scope, id: string): Promise<AlertRule> {
    return scope.em.transactional(async (em) => {
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
    if (c.serviceId && !(await em.count(Service, { id: c.serviceId })))
      throw AppError.validation('conditions.serviceId', 'refers to no service of this organization');
    if (c.teamId && !(await em.count(Team, { id: c.teamId })))
      throw AppError.validation('conditions.teamId', 'refers to no team of this organization');
    return { severities: c.severities ?? null, serviceId: c.serviceId ?? null, teamId: c.teamId ?? null };
  }
}
