import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startTestApp, TestApp } from '../support/app';

/**
 * The console's component tests (Vitest + Testing Library in jsdom, frontend/src/**\/*.test.tsx) as tests of this
 * suite: one jest test per Vitest test, so the suite's count and summary include them. They run once, against this
 * file's real API on the test database.
 */
const frontend = join(__dirname, '..', '..', 'frontend');
const vitest = join(frontend, 'node_modules', 'vitest', 'vitest.mjs');

interface Listed {
  name: string;
  file: string;
}
const listing = spawnSync(process.execPath, [vitest, 'list', '--json'], {
  cwd: frontend,
  encoding: 'utf8',
  env: { ...process.env, ARGUS_API_URL: 'http://127.0.0.1:9' },
});
const listed: Listed[] = listing.status === 0 ? (JSON.parse(listing.stdout) as Listed[]) : [];

interface Assertion {
  ancestorTitles: string[];
  title: string;
  status: string;
  failureMessages: string[];
}
interface Report {
  testResults: { name: string; status: string; message: string; assertionResults: Assertion[] }[];
}

describe('console component tests (Vitest)', () => {
  let t: TestApp;
  let report: Report;
  let output = '';
  beforeAll(async () => {
    t = await startTestApp();
    const file = join(mkdtempSync(join(tmpdir(), 'argus-vitest-')), 'report.json');
    await new Promise<void>((resolve) => {
      const child = spawn(
        process.execPath,
        [vitest, 'run', '--reporter=json', `--outputFile=${file}`, '--maxWorkers=1'],
        {
          cwd: frontend,
          env: { ...process.env, ARGUS_API_URL: t.url, NODE_ENV: 'test' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('close', () => resolve());
    });
    try {
      report = JSON.parse(readFileSync(file, 'utf8')) as Report;
    } catch {
      throw new Error(`vitest wrote no report:\n${output}`);
    }
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  it('lists the component tests', () => {
    expect(listing.stderr && listing.status !== 0 ? listing.stderr : '').toBe('');
    expect(listed.length).toBeGreaterThan(0);
  });

  for (const test of listed) {
    it(`${relative(frontend, test.file)}: ${test.name}`, () => {
      const suite = report.testResults.find((r) => r.name === test.file);
      if (!suite) throw new Error(`no result for ${test.file}:\n${output}`);
      const result = suite.assertionResults.find((a) => [...a.ancestorTitles, a.title].join(' > ') === test.name);
      if (!result) throw new Error(`no result for "${test.name}": ${suite.message}\n${output}`);
      if (result.status !== 'passed') throw new Error(`${result.status}\n${result.failureMessages.join('\n')}`);
    });
  }
});
