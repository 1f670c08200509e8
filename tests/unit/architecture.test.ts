import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

/** dependency-cruiser over `dir` with the project's rules; resolves to its exit code and report. */
async function cruise(cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [DEPCRUISE, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'src'],
      { cwd },
    );
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('the layers (core <- db <- domain <- ai <- api <- app)', () => {
  it('src has no import cycle and no upward import', async () => {
    const { code, output } = await cruise(ROOT);
    expect(output).not.toMatch(/error/);
    expect(code).toBe(0);
  });

  it('the rules catch an upward import and a cycle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'argus-layers-'));
    try {
      copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { module: 'Node16', moduleResolution: 'Node16' } }),
      );
      for (const folder of ['core', 'modules/incidents', 'modules/problems', 'api'])
        mkdirSync(join(dir, 'src', folder), { recursive: true });
      writeFileSync(join(dir, 'src/api/context.ts'), 'export const context = 1;\n');
      writeFileSync(
        join(dir, 'src/core/clock.ts'),
        "import { context } from '../api/context.js';\nexport const clock = context;\n",
      );
      writeFileSync(
        join(dir, 'src/modules/incidents/a.service.ts'),
        "import { b } from './b.service.js';\nexport const a = () => b;\n",
      );
      writeFileSync(
        join(dir, 'src/modules/incidents/b.service.ts'),
        "import { a } from './a.service.js';\nexport const b = () => a;\n",
      );
      writeFileSync(
        join(dir, 'src/modules/incidents/incident.entity.ts'),
        "import { Problem } from '../problems/problem.entity.js';\nexport class Incident { p?: Problem; }\n",
      );
      writeFileSync(
        join(dir, 'src/modules/problems/problem.entity.ts'),
        "import { Incident } from '../incidents/incident.entity.js';\nexport class Problem { i?: Incident; }\n",
      );
      const { code, output } = await cruise(dir);
      expect(code).not.toBe(0);
      expect(output).toMatch(/core-imports-downward-only: src\/core\/clock\.ts/);
      expect(output).toMatch(/no-cycle: src\/modules\/incidents\/a\.service\.ts/);
      expect(output).not.toMatch(/entity\.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
