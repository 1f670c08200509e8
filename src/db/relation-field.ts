import { Collection, EntityClass, Reference, wrap } from '@mikro-orm/core';
import { Field, FieldOptions, ID, MiddlewareFn, UseMiddleware } from 'type-graphql';
import type { Scope } from '../core/scope.js';
import { RowRef } from './fast/rows.js';

type ReturnTypeFunc = () => unknown;

/**
 * Loads a MikroORM relation only when a GraphQL query selects it. References and collections load through
 * MikroORM's dataloader, so a list of N records with their relation costs one statement per relation, not N. A
 * relation of a read-only row (rows.ts) is a RowRef: it becomes a reference of the request's EntityManager first.
 */
const loadRelation =
  (type: ReturnTypeFunc): MiddlewareFn<Scope> =>
  async ({ context }, next) => {
    const value: unknown = await next();
    if (value instanceof RowRef) {
      return Reference.create(context.em.getReference(type() as EntityClass<object>, value.id as never)).load({
        dataloader: true,
      });
    }
    if (value instanceof Collection) {
      if (!value.isInitialized()) await value.load({ dataloader: true });
      return (value as Collection<object>).getItems();
    }
    if (value && typeof value === 'object' && !wrap(value, true).isInitialized?.()) {
      return Reference.create(value).load({ dataloader: true });
    }
    return value;
  };

export function RelationField(type: ReturnTypeFunc, options: FieldOptions = {}): PropertyDecorator {
  return (target, key) => {
    Field(type as never, { ...options, simple: false })(target, key);
    UseMiddleware(loadRelation(type))(target, key);
  };
}

/** The ids of a to-many relation, for flat REST bodies: `memberIds` next to `members`. */
export function RelationIdsField(collectionProperty: string): PropertyDecorator & MethodDecorator {
  const loadIds: MiddlewareFn = async ({ root }) => {
    const collection = (root as Record<string, unknown>)[collectionProperty] as Collection<{ id: string }>;
    if (!collection.isInitialized()) await collection.load({ dataloader: true });
    return collection.getItems().map((item) => item.id);
  };
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    Field(() => [ID])(target, key, descriptor as never);
    UseMiddleware(loadIds)(target, key, descriptor as never);
  };
}
