import type { EntityManager } from '@mikro-orm/postgresql';
import { EventArgs, EventSubscriber } from '@mikro-orm/core';
import { TenantEntity } from './base.entity.js';
import { Organization } from '../modules/organizations/organization.entity.js';

export const TENANT_FILTER = 'tenant';

export interface TenantFilterParams {
  organizationId: string;
}

/** The global filter: every entity that extends TenantEntity is only ever read within one organization. */
export function tenantFilter(entityNames: string[]) {
  return {
    [TENANT_FILTER]: {
      cond: (args: TenantFilterParams) => ({ organization: args.organizationId }),
      entity: entityNames,
      default: true,
    },
  };
}

/** A request-scoped EntityManager bound to one organization. */
export function forkForOrganization(em: EntityManager, organizationId: string): EntityManager {
  const fork = em.fork();
  fork.setFilterParams(TENANT_FILTER, { organizationId } satisfies TenantFilterParams);
  return fork;
}

export function organizationOf(em: EntityManager): string | undefined {
  return (em.getFilterParams(TENANT_FILTER) as TenantFilterParams | undefined)?.organizationId;
}

/** Stamps the organization of the EntityManager on every new tenant record, and refuses a foreign one. */
export class TenancySubscriber implements EventSubscriber {
  async beforeCreate(args: EventArgs<unknown>): Promise<void> {
    const entity = args.entity;
    if (!(entity instanceof TenantEntity)) return;
    const organizationId = organizationOf(args.em as EntityManager);
    if (!organizationId) {
      if (entity.organization) return;
      throw new Error(`Refusing to insert ${entity.constructor.name} without an organization context`);
    }
    if (!entity.organization) {
      entity.organization = args.em.getReference(Organization, organizationId);
    } else if (entity.organization.id !== organizationId) {
      throw new Error(`Refusing to insert ${entity.constructor.name} into another organization`);
    }
  }
}
