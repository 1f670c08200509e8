import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import type { Context } from '../../api/graphql/context.js';
import { UuidScalar } from '../../core/scalars.js';
import { Role, roleAtLeast } from '../../core/roles.js';
import { RestRoute } from '../../api/rest/routes.js';
import { AlertRule } from './alert-rule.entity.js';
import { AlertRuleFilter, CreateAlertRuleInput, UpdateAlertRuleInput } from './alert-rule.inputs.js';

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
  @RestRoute({ method: 'POST', path: '/alert-rules/:id/rotate-secret', tags: ['alert-rules'] })
  rotateAlertRuleSecret(@Arg('id', () => UuidScalar) id: string, @Ctx() ctx: Context): Promise<AlertRule> {
    return ctx.services.alertRules.rotateSecret(ctx, id);
  }

  /** A target URL often carries a bearer secret in its path or query: admins and owners see it, others its origin. */
  @FieldResolver(() => String)
  targetUrl(@Root() rule: AlertRule, @Ctx() ctx: Context): string {
    if (ctx.actor && roleAtLeast(ctx.actor.role, Role.admin)) return rule.targetUrl;
    try {
      return new URL(rule.targetUrl).origin;
    } catch {
      return '';
    }
  }
}
