import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { AppError } from '../../core/errors.js';
import { Role, roleAtLeast } from '../../core/roles.js';
import { requireActor, type Actor, type Scope } from '../../core/scope.js';
import type { Page, PageArgs } from '../../db/pagination.js';
import { CrudService } from '../crud.service.js';
import { User } from '../users/user.entity.js';
import { SavedView } from './saved-view.entity.js';
import { SavedViewFilter } from './saved-view.inputs.js';

type Input = Record<string, unknown>;

const MAX_PARAMETERS = 30;
const PARAMETER_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * Saved views of the incident list. Everyone may save views (viewers too: they only read); a view is listed for its
 * owner, and for everyone once shared; only its owner changes it, and an admin may also remove a shared one.
 */
export class SavedViewService extends CrudService<SavedView> {
  constructor() {
    super(SavedView, {
      label: 'saved view',
      filter: SavedViewFilter,
      sort: { fields: ['name', 'createdAt', 'updatedAt'], default: 'name' },
    });
  }

  override async get(scope: Scope, idOrKey: string): Promise<SavedView> {
    const view = await super.get(scope, idOrKey);
    if (!visibleTo(requireActor(scope), view)) throw AppError.notFound(this.options.label);
    return view;
  }

  override async list(
    scope: Scope,
    filter: Input | undefined,
    page: PageArgs,
    withTotal = false,
  ): Promise<Page<SavedView>> {
    const actor = requireActor(scope);
    const where = {
      $and: [this.whereFromFilter(filter ?? {}), { $or: [{ owner: actor.userId }, { shared: true }] }],
    } as FilterQuery<SavedView>;
    return this.listWhere(scope, where, page, withTotal);
  }

  override async remove(scope: Scope, id: string): Promise<boolean> {
    const actor = requireActor(scope);
    const view = await this.get(scope, id);
    if (view.owner.id !== actor.userId && !(view.shared && roleAtLeast(actor.role, Role.admin))) {
      throw AppError.forbidden('Only its owner (or an admin, for a shared view) removes a saved view');
    }
    await scope.em.remove(view).flush();
    return true;
  }

  protected override async beforeCreate(em: EntityManager, actor: Actor, data: Input): Promise<Input> {
    checkQuery(data.query as string);
    return { ...data, owner: em.getReference(User, actor.userId) };
  }

  protected override async applyUpdate(em: EntityManager, actor: Actor, view: SavedView, data: Input): Promise<void> {
    if (view.owner.id !== actor.userId) {
      if (!visibleTo(actor, view)) throw AppError.notFound(this.options.label);
      throw AppError.forbidden('Only its owner changes a saved view');
    }
    if (data.query !== undefined) checkQuery(data.query as string);
    em.assign(view, data);
  }
}

function visibleTo(actor: Actor, view: SavedView): boolean {
  return view.shared || view.owner.id === actor.userId;
}

/** A query string the console can put back in its URL: named parameters only, bounded. */
function checkQuery(query: string): void {
  if (query.startsWith('?')) throw AppError.validation('query', 'must not start with "?"');
  const names = query === '' ? [] : query.split('&').map((part) => part.split('=')[0]);
  if (names.length > MAX_PARAMETERS)
    throw AppError.validation('query', `must have at most ${MAX_PARAMETERS} parameters`);
  for (const name of names) {
    if (!PARAMETER_NAME.test(name))
      throw AppError.validation('query', `has a parameter name that is not lower_snake_case: "${name.slice(0, 40)}"`);
  }
  try {
    for (const part of query.split('&')) decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw AppError.validation('query', 'is not a valid URL query string (bad percent-encoding)');
  }
}

export const savedViewService = new SavedViewService();
