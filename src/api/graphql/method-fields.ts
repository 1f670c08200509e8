import { GraphQLFieldResolver, GraphQLSchema, isObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/**
 * A field that is a method of its type without arguments, middleware or roles (`key()`, `serviceId()`) is answered by
 * calling the method on the record when the record is of that class (entities and list rows are). TypeGraphQL runs
 * each such field through its resolver pipeline (the root converted to the class, middlewares applied, parameters
 * resolved), which these fields do not use: six of them per incident, 300 calls per page of 50. Anything else (a
 * plain object) still takes TypeGraphQL's resolver.
 */
export function callMethodFieldsDirectly(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const plainMethods = storage.fieldResolvers.filter(
    (r) => r.kind === 'internal' && !r.params?.length && !r.middlewares?.length && !r.roles?.length,
  );
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const owner = objectType.target as new (...args: never[]) => object;
    for (const field of Object.values(type.getFields())) {
      const method = plainMethods.find(
        (r) => r.schemaName === field.name && (r.target === owner || owner.prototype instanceof r.target),
      );
      if (!method || !field.resolve) continue;
      field.resolve = direct(owner, method.methodName, field.resolve);
    }
  }
}

function direct(
  owner: new (...args: never[]) => object,
  name: string,
  typeGraphQL: GraphQLFieldResolver<unknown, unknown>,
): GraphQLFieldResolver<unknown, unknown> {
  return function callMethod(root, args, context, info) {
    if (!(root instanceof owner)) return typeGraphQL(root, args, context, info);
    const value = (root as Record<string, unknown>)[name];
    return typeof value === 'function' ? (value as (this: object) => unknown).call(root) : value;
  };
}
