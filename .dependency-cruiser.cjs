/**
 * The layers of src/ and the one direction of their imports (docs/ARCHITECTURE.md):
 *   core <- db <- domain (src/modules) <- ai <- api <- app
 * A module's resolvers and routes (`*.resolver.ts`, `*.route.ts`) belong to the api layer wherever they live, and
 * its manifest (`index.ts`: its entities and resolvers) to the app layer, which alone imports it.
 * Checked in `npm test` (tests/unit/architecture.test.ts) and by `npm run lint:deps`.
 */
const API_FILE = '\\.(resolver|route)\\.ts$';
const MANIFEST = '^src/(modules/[^/]+|ai)/index\\.ts$';
const layers = {
  core: { path: '^src/(core|config)/' },
  db: { path: '^src/db/' },
  domain: { path: '^src/modules/', pathNot: [API_FILE, MANIFEST] },
  ai: { path: '^src/ai/', pathNot: [API_FILE, MANIFEST] },
  api: { path: `^src/api/|${API_FILE}` },
};
const above = {
  core: ['^src/(db|modules|ai|api|app)/', API_FILE, '^src/main\\.ts$'],
  db: ['^src/(modules|ai|api|app)/', API_FILE, '^src/main\\.ts$'],
  domain: ['^src/(ai|api|app)/', API_FILE, MANIFEST, '^src/main\\.ts$'],
  ai: ['^src/(api|app)/', API_FILE, MANIFEST, '^src/main\\.ts$'],
  api: ['^src/app/', MANIFEST, '^src/main\\.ts$'],
};

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment:
        'A cycle is a design bug. Only entities may refer to each other both ways (ORM relations, loaded lazily).',
      from: { path: '^src/', pathNot: '\\.entity\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'no-cycle-beyond-entities',
      severity: 'error',
      comment: 'Entities may form cycles among themselves only.',
      from: { path: '\\.entity\\.ts$' },
      to: { circular: true, viaSomeNot: '\\.entity\\.ts$' },
    },
    ...Object.entries(above).map(([layer, forbiddenPaths]) => ({
      name: `${layer}-imports-downward-only`,
      severity: 'error',
      comment: `The ${layer} layer imports only from the layers below it.`,
      from: layers[layer],
      to: { path: forbiddenPaths },
    })),
    {
      name: 'server-does-not-import-tools',
      severity: 'error',
      comment: 'tools/ (evaluation, data building) builds on the server, never the other way round.',
      from: { path: '^src/' },
      to: { path: '^tools/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
