import { execFile } from 'node:child_process';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const RUNNER = join(ROOT, 'tests', 'support', 'lint-runner.mjs');
/** Type-checked linting of the whole server takes most of a minute on a loaded machine. */
const LINT_TIMEOUT_MS = 300_000;

interface LintError {
  filePath: string;
  line: number;
  ruleId: string | null;
  message: string;
}

/**
 * ESLint's Node API (`new ESLint({ cwd })`) with the project's eslint.config.mjs, run in a child process (jest's
 * module runtime cannot import the ESM config); each error as `file:line rule message`.
 */
async function lint(request: { files: string[] } | { text: string; filePath: string }): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [RUNNER, JSON.stringify(request)], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(stdout) as LintError[]).map(
    (e) => `${relative(ROOT, e.filePath)}:${e.line} ${e.ruleId ?? '(parsing)'} ${e.message}`,
  );
}

describe('ESLint (eslint.config.mjs: typescript-eslint recommended type-checked, naming convention, line length)', () => {
  it(
    'the project has no lint error: src and tools type-checked, every source file within 120 characters a line',
    async () => {
      expect((await lint({ files: ['.'] })).join('\n')).toBe('');
    },
    LINT_TIMEOUT_MS,
  );

  it(
    'refuses a line over 120 characters that is not a string, template or regex literal, in any source file',
    async () => {
      const long = `export const sum = ${Array.from({ length: 40 }, (_, i) => `a${i}`).join(' + ')};\n`;
      const errors = await lint({ text: long, filePath: join(ROOT, 'tests', 'unit', 'bearer.test.ts') });
      expect(errors).toEqual([expect.stringMatching(/^tests\/unit\/bearer\.test\.ts:1 @stylistic\/max-len /)]);
      const quoted = `export const text = '${'x'.repeat(140)}';\n`;
      expect(await lint({ text: quoted, filePath: join(ROOT, 'tests', 'unit', 'bearer.test.ts') })).toEqual([]);
    },
    LINT_TIMEOUT_MS,
  );

  it(
    'catches an unsafe any and a name off the convention in a source under src',
    async () => {
      // Linted as the text of an existing file: the type-checked rules need a file the TypeScript project knows (a path
      // that is not on disk is refused), and the text replaces the file's content for this lint only (nothing is
      // written).
      const text = 'export function probe(value: any): string {\n  return value.name;\n}\nexport const bad_name = 1;\n';
      const errors = await lint({ text, filePath: join(ROOT, 'src', 'core', 'clock.ts') });
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^src\/core\/clock\.ts:2 @typescript-eslint\/no-unsafe-member-access /),
          expect.stringMatching(/^src\/core\/clock\.ts:4 @typescript-eslint\/naming-convention /),
        ]),
      );
    },
    LINT_TIMEOUT_MS,
  );
});
