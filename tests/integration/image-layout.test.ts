import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess, dropOwnDatabase, ownDatabase, startServer, stopServer } from '../support/server-process';
import { TEST_JWT_SECRET } from '../support/app';

/**
 * The Docker image's runtime stage, without Docker: the files its `COPY --from=build` lines take from the build stage,
 * laid out in a folder of their own, started with the image's CMD and environment. The image must serve the console
 * at `/` (with the SPA fallback), the API and the health checks from exactly those files. The build stage's
 * production-only install is not repeated here: the folder links this checkout's node_modules.
 */
const root = join(__dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

function copiedFromBuild(): Array<{ from: string; to: string }> {
  return [...runtimeStage.matchAll(/^COPY --from=build \/app\/(\S+) (\S+)$/gm)].map((m) => ({
    from: m[1],
    to: m[2].replace(/^\.\//, ''),
  }));
}

let dir: string;
let server: ServerProcess | undefined;
let databaseUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'argus-image-'));
  for (const { from, to } of copiedFromBuild()) {
    if (from === 'node_modules') symlinkSync(join(root, 'node_modules'), join(dir, to));
    else cpSync(join(root, from), join(dir, to), { recursive: true });
  }
  databaseUrl = await ownDatabase('image');
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(runtimeStage)![1]) as string[];
  expect(cmd).toEqual(['node', 'dist/main.js']);
  server = await startServer(
    {
      DATABASE_URL: databaseUrl,
      ARGUS_JWT_SECRET: TEST_JWT_SECRET,
      NODE_ENV: 'production',
      ARGUS_DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
    },
    90_000,
    join(dir, cmd[1]),
  );
}, 120_000);

afterAll(async () => {
  if (server) await stopServer(server.child);
  await dropOwnDatabase(databaseUrl);
  rmSync(dir, { recursive: true, force: true });
});

describe('the Docker image’s runtime files', () => {
  it('are the compiled server, its dependencies and the built console, nothing else of the checkout', () => {
    expect(
      copiedFromBuild()
        .map((c) => c.to)
        .sort(),
    ).toEqual(['dist', 'frontend/dist', 'node_modules', 'package.json']);
    expect(runtimeStage).toMatch(/^USER node$/m);
  });

  it('serve the console at / and on any page path, next to the API and the health checks', async () => {
    const browser = { accept: 'text/html,application/xhtml+xml', 'accept-encoding': 'br, gzip' };
    const page = await fetch(`${server!.url}/`, { headers: browser });
    expect([page.status, page.headers.get('content-type')]).toEqual([200, expect.stringMatching(/text\/html/)]);
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const script = await fetch(`${server!.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toMatch(/immutable/);
    const deep = await fetch(`${server!.url}/incidents/INC-1`, { headers: browser });
    expect([deep.status, await deep.text()]).toEqual([200, html]);
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server!.url}/api/v1/incidents`)).status).toBe(401);
  });
});
