/**
 * The fast read and write paths, each with an off switch (ARGUS_FAST_PATHS): with one off, the plain MikroORM path
 * answers instead, with the same results (tests/integration/fast-path-equivalence.test.ts compares them).
 *
 * - `lists`: list pages, totals and timelines read as plain rows with SQL built once per shape (list-queries.ts,
 *   rows.ts) instead of em.find and em.count;
 * - `compiled-reads`: GraphQL reads and REST reads executed by graphql-jit (compiled-reads.ts) instead of graphql-js;
 * - `one-statement`: an incident's creation written by one statement at the end of its transaction
 *   (one-statement.ts) instead of MikroORM's flush.
 */
export const FAST_PATHS = ['lists', 'compiled-reads', 'one-statement'] as const;
export type FastPath = (typeof FAST_PATHS)[number];

let enabled = new Set<FastPath>(FAST_PATHS);

/** Set once at start from the configuration; the process serves every request with the same paths. */
export function useFastPaths(paths: Iterable<FastPath>): void {
  enabled = new Set(paths);
}

export function fastPathOn(path: FastPath): boolean {
  return enabled.has(path);
}
