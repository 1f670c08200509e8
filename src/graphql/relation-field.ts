import { Collection, Reference, wrap } from '@mikro-orm/core';
import { Field, FieldOptions, ID, MiddlewareFn, UseMiddleware } from 'type-graphql';

type ReturnTypeFunc = () => unknown;

/**
 * Loads a MikroORM relation only when a GraphQL query selects it. References and collections load through
 * MikroORM's dataloader, so a list of N records with their relation costs one statement per relation, not N.
 */
const loadRelation: MiddlewareFn = async (_action, next) => {
  const value = await next();
  if (value instanceof Collection) {
    if (!value.isInitialized()) await value.load({ dataloader: true });
    return value.getItems();
  }
  if (value && typeof value === 'object' && !wrap(value, true).isInitialized?.()) {
    return Reference.create(value).load({ dataloader: true });
  }
  return value;
};

export function RelationField(type: ReturnTypeFunc, options: FieldOptions = {}): PropertyDecorator {
  return (target, key) => {
    Field(type as never, options)(target, key);
    UseMiddleware(loadRelation)(target, key);
  };
}

/** The ids of a to-many relation, for flat REST bodies: `memberIds` next to `members`. */
export function RelationIdsField(collectionProperty: string): PropertyDecorator & MethodDecorator {
  const loadIds: MiddlewareFn = async ({ root }) => {
    const collection = (root as Record<string, unknown>)[collectionProperty] as Collection<{ id: string }>;
    if (!collection.isInitialized()) await collection.load({ dataloader: true });
    return collection.getItems().map((item) => item.id);
  };
  return ((target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    Field(() => [ID])(target, key, descriptor as never);
    UseMiddleware(loadIds)(target, key, descriptor as never);
  }) as PropertyDecorator & MethodDecorator;
}
