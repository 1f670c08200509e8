import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import type { Context } from '../../api/graphql/context.js';
import { IdOrKeyScalar, UuidScalar } from '../../core/scalars.js';
import { Role } from '../../core/roles.js';
import { RestRoute } from '../../api/rest/routes.js';
import { EscalationPolicy } from './escalation-policy.entity.js';
import {
  CreateEscalationPolicyInput,
  EscalationPolicyFilter,
  UpdateEscalationPolicyInput,
} from './escalation-policy.inputs.js';
import { EscalationPlan } from './escalation.types.js';
import { Cost } from '../../api/graphql/limits.js';

@Resolver(() => EscalationPolicy)
export class EscalationPolicyResolver extends CrudResolver({
  entity: EscalationPolicy,
  single: 'escalationPolicy',
  plural: 'escalationPolicies',
  path: '/escalation-policies',
  createInput: CreateEscalationPolicyInput,
  updateInput: UpdateEscalationPolicyInput,
  filterInput: EscalationPolicyFilter,
  service: (ctx) => ctx.services.escalationPolicies,
  writeRole: Role.admin,
}) {
  @Authorized(Role.viewer)
  // Every step resolves its schedule targets to who is on call then.
  @Cost({ cost: 50 })
  @Query(() => EscalationPlan, {
    description: 'Who an escalation policy pages at each level, and when, if nobody acknowledges',
  })
  @RestRoute({
    method: 'GET',
    path: '/escalation-policies/:policyId/plan',
    tags: ['escalationPolicies'],
    description:
      'Who is paged at each level and when, for `incident_id` (from its started_at) or from `start` (default now)',
  })
  async escalationPlan(
    @Arg('policyId', () => UuidScalar) policyId: string,
    @Arg('incidentId', () => IdOrKeyScalar, {
      nullable: true,
      description: "T is this incident's started_at; steps after it stopped escalating are suppressed",
    })
    incidentId: string | undefined,
    @Arg('start', () => Date, { nullable: true, description: 'T without an incident; default now' })
    start: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<EscalationPlan> {
    return ctx.services.escalationPolicies.plan(ctx, policyId, incidentId, start);
  }
}
