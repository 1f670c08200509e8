import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDatabase } from '../../src/db/embedded-postgres';
import { seedDemo } from '../../src/app/demo-seed';
import { createLogger } from '../../src/core/logger';
import { TestApp, startTestApp } from '../support/app';
import { TEST_DATABASE_ENV, resetSchema } from '../support/database';
import { camelCaseKeys } from '../support/snake-case';

/**
 * The curl examples of the README, then those of docs/API.md's Examples (which the README points to), run as printed
 * by bash, top to bottom, against an app with the demo organization on a database of their own. Only the address
 * changes (localhost:4000 → the test app, the receiver's port 9000 → a free one). Every curl must answer 2xx.
 */
const root = join(__dirname, '..', '..');

/** The ```sh blocks of a markdown file that call curl. */
function curlBlocks(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)]
    .map((m) => m[1])
    .filter((block) => /^curl |[$(]curl /m.test(block));
}

/** Commands that run curl (comment lines left out). */
const curlCalls = (script: string) =>
  script
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .reduce((n, line) => n + (line.match(/(^|[\s(])curl /g)?.length ?? 0), 0);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let t: TestApp;
let dir: string;
beforeAll(async () => {
  const shared = process.env[TEST_DATABASE_ENV]!;
  const url = new URL(shared);
  const name = `${url.pathname.slice(1)}_examples`;
  const admin = new URL(shared);
  admin.pathname = '/postgres';
  await ensureDatabase(admin.toString(), name);
  url.pathname = `/${name}`;
  await resetSchema(url.toString());
  process.env[TEST_DATABASE_ENV] = url.toString();
  try {
    t = await startTestApp();
  } finally {
    process.env[TEST_DATABASE_ENV] = shared;
  }
  // What `npm start` does on a first start.
  await seedDemo(t.orm, t.app.services, createLogger('silent'));
  dir = mkdtempSync(join(tmpdir(), 'argus-examples-'));
}, 180_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

it('README and API.md curl examples answer 2xx when run in order, with snake_case bodies', async () => {
  const blocks = [...curlBlocks('README.md'), ...curlBlocks('docs/API.md')];
  expect(blocks.length).toBeGreaterThanOrEqual(3);
  const { port } = new URL(t.url);
  const receiverPort = await freePort();
  const examples = blocks
    .join('\n')
    .replaceAll('localhost:4000', `127.0.0.1:${port}`)
    .replaceAll('127.0.0.1:9000', `127.0.0.1:${receiverPort}`)
    .replace('.listen(9000)', `.listen(${receiverPort})`);
  const script = `set -euo pipefail
LOG=${JSON.stringify(dir)}
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
# Every curl records its status and body, then prints the body as curl would.
curl() {
  local out code body url n
  out=$(command curl -sS -w '\\n%{http_code}' "$@")
  code=\${out##*$'\\n'}
  body=\${out%$'\\n'*}
  url=""
  for a in "$@"; do case $a in *127.0.0.1:*) url=$a;; esac; done
  printf '%s %s\\n' "$code" "$url" >> "$LOG/statuses"
  n=$(wc -l < "$LOG/statuses")
  printf '%s' "$body" > "$LOG/body-$n.json"
  printf '%s\\n' "$body"
}
${examples}
`;
  writeFileSync(join(dir, 'examples.sh'), script);
  // Asynchronously: the app answering the examples runs in this process.
  const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn('bash', [join(dir, 'examples.sh')], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
  expect(run).toEqual({ status: 0, stderr: '' });

  const statuses = readFileSync(join(dir, 'statuses'), 'utf8').trim().split('\n');
  expect(statuses.length).toBe(curlCalls(examples));
  expect(statuses.filter((line) => !/^2\d\d /.test(line))).toEqual([]);

  const bodies = readdirSync(dir)
    .filter((f) => f.startsWith('body-'))
    .map((f) => ({ n: Number(f.slice(5, -5)), text: readFileSync(join(dir, f), 'utf8') }));
  const problems: string[] = [];
  for (const { n, text } of bodies) {
    if (!text) continue;
    const url = statuses[n - 1].split(' ')[1];
    const body = JSON.parse(text);
    if (url.endsWith('/graphql')) {
      if (body.errors) problems.push(`${url}: ${JSON.stringify(body.errors)}`);
    } else {
      problems.push(...camelCaseKeys(body).map((key) => `${url}: ${key}`));
    }
  }
  expect(problems).toEqual([]);
}, 180_000);
