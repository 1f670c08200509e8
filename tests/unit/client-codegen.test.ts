import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, isScalarType, specifiedScalarTypes } from 'graphql';
import ts from 'typescript';
import clientConfig, { ARGUS_SCALARS } from '../../docs/clients/codegen';

/**
 * docs/clients/codegen.ts, the GraphQL Code Generator settings a client author copies, maps every custom scalar of the
 * schema as the console and the tests do, and a client generated with it types those fields (not `unknown`).
 */
const root = join(__dirname, '..', '..');
const frontend = join(root, 'frontend');
const schemaFile = join(root, 'schema.graphql');

/** `Name: type` lines under `scalars:` in a codegen.yml. */
function yamlScalars(file: string): Record<string, string> {
  const text = readFileSync(file, 'utf8');
  const block = /^(\s+)scalars:\n((?:\1\s+\w+: .+\n)+)/m.exec(text);
  if (!block) throw new Error(`no scalars in ${file}`);
  return Object.fromEntries(
    block[2]
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/:\s+/, 2) as [string, string]),
  );
}

describe('the client codegen settings (docs/clients/codegen.ts)', () => {
  it('map every custom scalar of schema.graphql', () => {
    const schema = buildSchema(readFileSync(schemaFile, 'utf8'));
    const builtIn = new Set(specifiedScalarTypes.map((s) => s.name));
    const custom = Object.values(schema.getTypeMap())
      .filter((t) => isScalarType(t) && !builtIn.has(t.name))
      .map((t) => t.name);
    expect(Object.keys(ARGUS_SCALARS).sort()).toEqual(custom.sort());
  });

  it('agree with the console’s and the tests’ codegen settings', () => {
    expect(ARGUS_SCALARS).toEqual(yamlScalars(join(frontend, 'codegen.yml')));
    expect(yamlScalars(join(root, 'codegen.yml'))).toEqual(
      Object.fromEntries(Object.entries(ARGUS_SCALARS).filter(([name]) => name !== 'JSON')),
    );
  });

  it('generate a client whose time, id and JSON fields are typed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argus-client-codegen-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(
        join(dir, 'src', 'queries.ts'),
        "import { graphql } from './gql';\nexport const Timeline = graphql(`query Timeline($id: IdOrKey!) { incident(id: $id) { id createdAt timeline { data } } }`);\n",
      );
      const output = clientConfig.generates as Record<string, { preset: string; config: Record<string, unknown> }>;
      const [target] = Object.values(output);
      const config = {
        schema: schemaFile,
        documents: [join(dir, 'src', '*.ts')],
        generates: { [join(dir, 'src', 'gql') + '/']: target },
      };
      writeFileSync(join(dir, 'codegen.json'), JSON.stringify(config));
      const bin = join(frontend, 'node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js');
      execFileSync(process.execPath, [bin, '--config', join(dir, 'codegen.json'), '--silent'], {
        cwd: frontend,
        stdio: 'pipe',
      });
      writeFileSync(
        join(dir, 'check.ts'),
        `import type { TimelineQuery } from './src/gql/graphql';
type Incident = NonNullable<TimelineQuery['incident']>;
type Known<T> = unknown extends T ? never : T;
export const id: Known<Incident['id']> = 'a';
export const createdAt: Known<Incident['createdAt']> = '2026-01-01T00:00:00.000Z';
export const data: Known<Incident['timeline'][number]['data']> = { sla_policy_id: 'x' };
// @ts-expect-error a time is a string, not a number
export const wrong: Incident['createdAt'] = 1;
`,
      );
      const program = ts.createProgram({
        rootNames: [join(dir, 'check.ts')],
        options: {
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          moduleResolution: ts.ModuleResolutionKind.Bundler,
          baseUrl: dir,
          paths: { '*': [join(root, 'node_modules', '*'), join(frontend, 'node_modules', '*')] },
          types: [],
        },
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(diagnostics).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
