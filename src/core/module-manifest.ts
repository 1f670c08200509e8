/**
 * What a module contributes to the application, declared once in its `index.ts` and collected by the composition
 * root (src/app/modules.ts): its entities (the ORM's metadata) and its resolvers (the GraphQL schema, and through the
 * routes they declare, the REST API). Services and jobs are wired by the composition root (src/app/services.ts,
 * src/app/app.ts), which gives them their dependencies.
 */
export interface ModuleManifest {
  name: string;
  entities: AnyClass[];
  resolvers: AnyClass[];
}

/** A class, abstract or not, whatever its constructor takes: an entity or a resolver. */
export type AnyClass = abstract new (...args: never[]) => object;
