import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rest } from '../support/client';
import demo from '../../src/app/demo/github-incidents.json';

const root = join(__dirname, '..', '..');
const main = join(root, 'dist', 'main.js');

interface Started {
  child: ChildProcess;
  url: string;
  output: string;
}

/** `npm start` as a new user runs it: no DATABASE_URL, so the embedded PostgreSQL, and demo data on first start. */
function start(dataDir: string, pgPort: number): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ARGUS_DATA_DIR: dataDir,
    ARGUS_EMBEDDED_PG_PORT: String(pgPort),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.ARGUS_JWT_SECRET;
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.removeAllListeners('exit');
      child.kill('SIGKILL');
      reject(new Error(`no URL printed within 90 s:\n${output}`));
    }, 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Argus is running at (http:\/\/\S+)/.exec(output);
      if (match && /Demo login/.test(output)) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

describe('the two commands (npm start on a machine with only Node)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'argus-start-'));
  const pgPort = 55_000 + Math.floor(Math.random() * 2000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the API, the playground and the demo data on an embedded PostgreSQL, and survives being killed', async () => {
    expect(existsSync(main)).toBe(true);
    const first = await start(dataDir, pgPort);
    try {
      expect(first.output).toContain('demo@argus.local');
      const login = await rest(first.url, 'POST', '/auth/login', {
        body: { email: 'demo@argus.local', password: 'argus-demo-password' },
      });
      expect(login.status).toBe(200);
      const incidents = await rest(first.url, 'GET', '/incidents?limit=5', { token: login.body.access_token });
      expect(incidents.body.total).toBeGreaterThan(20);
      const playground = await fetch(`${first.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await playground.text()).toContain('GraphiQL');
    } finally {
      // A kill -9 leaves PostgreSQL running as an orphan; the next start must cope with it.
      await stop(first.child, 'SIGKILL');
    }
    const second = await start(dataDir, pgPort);
    try {
      const login = await rest(second.url, 'POST', '/auth/login', {
        body: { email: 'demo@argus.local', password: 'argus-demo-password' },
      });
      expect(login.status).toBe(200);
      const incidents = await rest(second.url, 'GET', '/incidents?limit=1', { token: login.body.access_token });
      expect(incidents.body.total).toBe(demo.incidents.length);
    } finally {
      await stop(second.child, 'SIGTERM');
    }
  }, 240_000);
});
