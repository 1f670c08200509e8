import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { getSchema, printSchemaFile } from '../../src/app/schema';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('committed schema artefacts', () => {
  it('schema.graphql is what the code emits (run `npm run schema:emit` when this fails)', async () => {
    expect(read('schema.graphql')).toBe(printSchemaFile(await getSchema()));
  });

  it('the typed documents match schema.graphql and the operations (run `npm run codegen` when this fails)', () => {
    const config = YAML.parse(read('codegen.yml')) as { generates: Record<string, unknown> };
    const out = mkdtempSync(join(tmpdir(), 'argus-codegen-'));
    const targets = Object.keys(config.generates);
    config.generates = Object.fromEntries(targets.map((file, i) => [join(out, `${i}.ts`), config.generates[file]]));
    const configPath = join(out, 'codegen.yml');
    writeFileSync(configPath, YAML.stringify(config));
    // The codegen CLI is ESM-only in parts, which jest on Node 20 cannot load: it runs as its own process.
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js'), '--config', configPath, '--silent'],
      { cwd: root, stdio: 'pipe' },
    );
    targets.forEach((file, i) => expect(readFileSync(join(out, `${i}.ts`), 'utf8')).toBe(read(file)));
  });
});
