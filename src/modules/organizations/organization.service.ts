import { AppError } from '../../core/errors.js';
import { requireActor, type Scope } from '../../core/scope.js';
import { Organization } from '../../db/organization.entity.js';
import type { UpdateOrganizationInput } from './organization.inputs.js';

/** The caller's own organization: read by everyone in it, renamed and re-slugged by its owners. */
export class OrganizationService {
  async get(scope: Scope): Promise<Organization> {
    return scope.em.findOneOrFail(Organization, { id: requireActor(scope).organizationId });
  }

  async update(scope: Scope, input: UpdateOrganizationInput): Promise<Organization> {
    const organization = await this.get(scope);
    if (input.slug !== undefined && input.slug !== organization.slug) {
      if (await scope.em.count(Organization, { slug: input.slug, id: { $ne: organization.id } }, { filters: false })) {
        throw AppError.conflict('Another organization has this slug', [{ field: 'slug', message: 'is taken' }]);
      }
      organization.slug = input.slug;
    }
    if (input.name !== undefined) organization.name = input.name;
    await scope.em.flush();
    return organization;
  }
}

export const organizationService = new OrganizationService();
