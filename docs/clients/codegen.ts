/**
 * GraphQL Code Generator settings for a TypeScript client of Argus: copy this file into your project as
 * `codegen.ts`, install `@graphql-codegen/cli` and `@graphql-codegen/client-preset`, write your operations with
 * `graphql()` in `src/`, and run `npx graphql-codegen`.
 *
 * Without the `scalars` below, every custom scalar of Argus comes out as `unknown` (or `any`). On the wire they are:
 *
 * | scalar | TypeScript | what it holds |
 * | --- | --- | --- |
 * | DateTimeISO | string | an RFC 3339 time in UTC, `2026-11-28T09:12:00.000Z` (parse it with `new Date(...)`) |
 * | UUID | string | a record id |
 * | IdOrKey | string | a record id or its key (`INC-42`, `PRB-12`, `CHG-88`); answers always hold the id |
 * | JSONObject | Record<string, unknown> | a JSON object: an asset's `attributes`, a timeline entry's `data` |
 * | JSON | string \| number \| boolean \| null \| Record<string, unknown> \| unknown[] | any JSON value |
 *
 * The schema: the running server's `/graphql` (introspection is on unless NODE_ENV=production; set
 * ARGUS_GRAPHQL_INTROSPECTION=true there), or a copy of the repository's `schema.graphql`.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

export const ARGUS_SCALARS = {
  DateTimeISO: 'string',
  UUID: 'string',
  IdOrKey: 'string',
  JSONObject: 'Record<string, unknown>',
  JSON: 'string | number | boolean | null | Record<string, unknown> | unknown[]',
};

const config: CodegenConfig = {
  schema: process.env.ARGUS_GRAPHQL_URL ?? 'http://localhost:4000/graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      config: {
        scalars: ARGUS_SCALARS,
        // A scalar missing from the list above is an error, not a silent `any`.
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
