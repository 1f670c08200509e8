import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors.js';
import type { Actor } from '../../core/scope.js';
import { CrudService } from '../crud.service.js';
import type { Severity } from '../incidents/incident.enums.js';
import { SlaPolicy } from './sla-policy.entity.js';
import { OrganizationRead, organizationRead, readInOrganization } from '../../db/tenancy.js';
import { SlaScope, mostSpecific } from './sla-clock.js';
import { CreateSlaPolicyInput, SlaPolicyFilter, UpdateSlaPolicyInput } from './sla-policy.inputs.js';

type Input = Record<string, unknown>;

/** The policy that applies to an incident of `scope` among `candidates` (its severity's): the most specific one. */
export function pickPolicy(candidates: SlaPolicy[], scope: SlaScope): SlaPolicy | null {
  return (
    mostSpecific(
      candidates.map((p) => ({
        policy: p,
        id: p.id,
        createdAt: p.createdAt,
        serviceId: p.serviceId(),
        teamId: p.teamId(),
      })),
      scope,
    )?.policy ?? null
  );
}

/** SLA policies: targets per severity and scope, and the choice of the one that applies to an incident. */
export class SlaPolicyService extends CrudService<SlaPolicy> {
  constructor() {
    super(SlaPolicy, {
      label: 'SLA policy',
      filter: SlaPolicyFilter,
      inputs: [CreateSlaPolicyInput, UpdateSlaPolicyInput],
      sort: {
        fields: ['name', 'severity', 'responseMinutes', 'resolutionMinutes', 'createdAt', 'updatedAt'],
        default: 'name',
      },
    });
  }

  /** The policy that sets an incident's clocks: same severity, the most specific scope that matches (sla-clock.ts). */
  async matchFor(em: EntityManager, severity: Severity, scope: SlaScope): Promise<SlaPolicy | null> {
    const [policy] = await readInOrganization(em, this.match(severity, scope));
    return policy;
  }

  /** matchFor as a read, to run with others in one round trip (readInOrganization). */
  match(severity: Severity, scope: SlaScope): OrganizationRead<SlaPolicy | null> {
    // Every creation runs this: hand-written conditions (findInOrganization) instead of a built query.
    return organizationRead(
      SlaPolicy,
      `"severity" = ? and ("service_id" is null${scope.serviceId ? ' or "service_id" = ?' : ''}) and ("team_id" is null${scope.teamId ? ' or "team_id" = ?' : ''})`,
      [severity, ...(scope.serviceId ? [scope.serviceId] : []), ...(scope.teamId ? [scope.teamId] : [])],
      (candidates) => pickPolicy(candidates, scope),
    );
  }

  /**
   * The policies that may apply to an incident of `serviceId` whose team is the service's, read in the same round trip
   * as the service itself (the team is not known yet): pick one with `pickPolicy` once it is.
   */
  candidatesForService(severity: Severity, serviceId: string): OrganizationRead<SlaPolicy[]> {
    return organizationRead(
      SlaPolicy,
      `"severity" = ? and ("service_id" is null or "service_id" = ?) and ("team_id" is null or "team_id" =
         (select s."team_id" from "services" s where s."id" = ? and s."organization_id" = "sla_policies"."organization_id"))`,
      [severity, serviceId, serviceId],
    );
  }

  protected override async beforeCreate(em: EntityManager, _auth: Actor, data: Input): Promise<Input> {
    await this.check(em, data, null);
    return data;
  }

  protected override async applyUpdate(em: EntityManager, _auth: Actor, policy: SlaPolicy, data: Input): Promise<void> {
    em.assign(policy, data as never);
    await this.check(em, policy, policy.id);
  }

  /** Resolution comes after response, and one policy per severity and scope (409 otherwise). */
  private async check(em: EntityManager, p: Partial<SlaPolicy>, ownId: string | null): Promise<void> {
    if (
      p.responseMinutes !== undefined &&
      p.resolutionMinutes !== undefined &&
      p.resolutionMinutes < p.responseMinutes
    ) {
      throw AppError.validation('resolutionMinutes', 'must be at least response_minutes');
    }
    const same = await em.findOne(SlaPolicy, {
      severity: p.severity,
      service: p.service?.id ?? null,
      team: p.team?.id ?? null,
      ...(ownId ? { id: { $ne: ownId } } : {}),
    });
    if (same) {
      throw AppError.conflict(
        `The SLA policy "${same.name}" already covers ${p.severity} with this service and team scope`,
        [{ field: 'severity', message: 'already has a policy with this scope' }],
      );
    }
  }
}
