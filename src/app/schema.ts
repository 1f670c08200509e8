import type { GraphQLSchema } from 'graphql';
import { buildArgusSchema } from '../api/graphql/schema.js';
import { RESOLVERS } from './modules.js';

export { printSchemaFile, emitSchemaFile } from '../api/graphql/schema.js';

let built: Promise<GraphQLSchema> | undefined;

/** The one schema of Argus, from every module's resolvers; built once per process. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildArgusSchema(RESOLVERS);
  return built;
}
