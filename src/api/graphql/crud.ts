import { GraphQLResolveInfo, GraphQLScalarType } from 'graphql';
import { Arg, Args, ClassType, Ctx, Info, Mutation, Query, Resolver, Authorized } from 'type-graphql';
import type { Context } from './context.js';
import { PageArgs, PageType } from '../../db/pagination.js';
import { IdOrKeyScalar, UuidScalar } from '../../core/scalars.js';
import { selectsField } from './selection.js';
import { Role } from '../../core/roles.js';
import { RestRoute } from '../rest/routes.js';
import { MutationRuns, MutationTransaction } from './mutation-runs.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotent } from '../idempotency/idempotency.js';
import type { CrudService } from '../../modules/crud.service.js';
import type { AnyTenantEntity } from '../../db/base.entity.js';
import type { AnyClass } from '../../core/module-manifest.js';

export interface CrudDefinition<T extends AnyTenantEntity> {
  entity: ClassType<T>;
  /** GraphQL names: `incident` / `incidents`; the mutations are createIncident, updateIncident, deleteIncident. */
  single: string;
  plural: string;
  /** REST path under /api/v1, e.g. `/incidents`. */
  path: string;
  /** True when records have a per-organization key (INC-1) that is accepted wherever an id is. */
  keyed?: boolean;
  service: (ctx: Context) => CrudService<T>;
  filterInput: ClassType<object>;
  /** Leave out for an operation the entity does not offer (a read-only log), or offers through its own mutation. */
  createInput?: ClassType<object>;
  /** How createX runs (mutation-runs.ts); `shared` unless given. */
  createRuns?: MutationTransaction;
  updateInput?: ClassType<object>;
  deletable?: boolean;
  readRole?: Role;
  writeRole: Role;
  deleteRole?: Role;
}

/** A resolver class with the classes the CRUD factory made for its mutations, which the schema includes beside it. */
export interface WithExtraResolvers {
  extraResolvers?: AnyClass[];
}

const capitalize = (s: string) => s[0].toUpperCase() + s.slice(1);

/**
 * The uniform CRUD of one entity: get by id (or key), keyset list with a typed filter, create, partial update,
 * delete, each with its role, and the matching REST routes. Entity resolvers extend the returned class.
 */
export function CrudResolver<T extends AnyTenantEntity>(def: CrudDefinition<T>) {
  const Name = capitalize(def.single);
  const Page = PageType(def.entity);
  const idScalar: GraphQLScalarType = def.keyed ? IdOrKeyScalar : UuidScalar;
  const readRole = def.readRole ?? Role.viewer;
  const tags = [def.plural];

  @Resolver(() => def.entity)
  abstract class BaseCrudResolver {
    @Authorized(readRole)
    @Query(() => def.entity, { name: def.single, description: `One ${def.single} by id${def.keyed ? ' or key' : ''}` })
    @RestRoute({ method: 'GET', path: `${def.path}/:id`, tags })
    async getOne(@Arg('id', () => idScalar) id: string, @Ctx() ctx: Context): Promise<T> {
      return def.service(ctx).get(ctx, id);
    }

    @Authorized(readRole)
    @Query(() => Page, { name: def.plural, description: `A page of ${def.plural}, filtered and sorted` })
    @RestRoute({ method: 'GET', path: def.path, tags })
    async getPage(
      @Arg('filter', () => def.filterInput, { nullable: true }) filter: Record<string, unknown> | undefined,
      @Args() page: PageArgs,
      @Ctx() ctx: Context,
      @Info() info: GraphQLResolveInfo,
    ) {
      return def.service(ctx).list(ctx, filter, page, selectsField(info, 'total'));
    }
  }
  const extraResolvers: AnyClass[] = [];

  if (def.createInput) {
    const createInput: ClassType<object> = def.createInput;
    @Resolver(() => def.entity)
    class CreateResolver {
      @Authorized(def.writeRole)
      @Mutation(() => def.entity, { name: `create${Name}` })
      @MutationRuns(def.createRuns ?? 'shared')
      @RestRoute({ method: 'POST', path: def.path, responseStatus: 201, tags })
      async createOne(
        @Arg('input', () => createInput) input: object,
        @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })
        idempotencyKey: string | null | undefined,
        @Ctx() ctx: Context,
      ): Promise<T> {
        return idempotent(ctx, `create${Name}`, idempotencyKey, input, () =>
          def.service(ctx).create(ctx, { ...input }),
        );
      }
    }
    extraResolvers.push(CreateResolver);
  }

  if (def.updateInput) {
    const updateInput: ClassType<object> = def.updateInput;
    @Resolver(() => def.entity)
    class UpdateResolver {
      @Authorized(def.writeRole)
      @Mutation(() => def.entity, { name: `update${Name}`, description: 'Only the fields sent change' })
      @RestRoute({ method: 'PATCH', path: `${def.path}/:id`, tags })
      async updateOne(
        @Arg('id', () => idScalar) id: string,
        @Arg('input', () => updateInput) input: object,
        @Ctx() ctx: Context,
      ): Promise<T> {
        return def.service(ctx).update(ctx, id, { ...input });
      }
    }
    extraResolvers.push(UpdateResolver);
  }

  if (def.deletable !== false) {
    @Resolver(() => def.entity)
    class DeleteResolver {
      @Authorized(def.deleteRole ?? def.writeRole)
      @Mutation(() => Boolean, { name: `delete${Name}` })
      @RestRoute({ method: 'DELETE', path: `${def.path}/:id`, responseStatus: 204, tags })
      async deleteOne(@Arg('id', () => idScalar) id: string, @Ctx() ctx: Context): Promise<boolean> {
        return def.service(ctx).remove(ctx, id);
      }
    }
    extraResolvers.push(DeleteResolver);
  }

  return Object.assign(BaseCrudResolver, { extraResolvers });
}
