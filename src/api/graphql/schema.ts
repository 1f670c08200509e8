import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth-checker.js';
import type { WithExtraResolvers } from './crud.js';
import type { AnyClass } from '../../core/module-manifest.js';
import { auditMutations } from './audit-mutations.js';
import { callMethodFieldsDirectly } from './method-fields.js';
import { describeInGraphQLNames } from './descriptions.js';
import { validateArgument } from './validate-arguments.js';

/** The one schema of Argus from its resolvers, every mutation audited (audit-mutations.ts). */
export function buildArgusSchema(resolvers: readonly AnyClass[]): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: resolvers.flatMap((resolver) => [
      resolver,
      ...((resolver as WithExtraResolvers).extraResolvers ?? []),
    ]) as [AnyClass, ...AnyClass[]],
    authChecker,
    authMode: 'error',
    validateFn: validateArgument,
  }).then((schema) => {
    auditMutations(schema);
    callMethodFieldsDirectly(schema);
    describeInGraphQLNames(schema);
    return schema;
  });
}

/** The SDL committed as schema.graphql: sorted, so that it only changes when the schema does. */
export function printSchemaFile(schema: GraphQLSchema): string {
  return `# Emitted from the code by \`npm run schema:emit\`; a test fails when it is stale.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}

export function emitSchemaFile(schema: GraphQLSchema, path: string): void {
  writeFileSync(path, printSchemaFile(schema));
}
