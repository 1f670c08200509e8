import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { request } from 'node:http';
import { Client } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from '../src/app/mikro-orm.config.js';
import { migrate } from '../src/db/migrate.js';
import { seededRandom } from '../tools/seeded-random.js';
import { SERVICE_NAMES, incidentText } from './seed.js';
import { json, startArgus } from './lib.js';

/**
 * `npm run bench:import [-- --rows N --per-request N]`: imports N past incidents (default 100 000) as CSV through
 * `POST /api/v1/incidents/import` of a production-mode Argus (dist-bench/src/main.js) on loopback, `--per-request`
 * rows a request (default 20 000, the most a request takes), one request after the other; then imports the first
 * request's rows again (all unchanged). Prints rows per second. DATABASE_URL (default argus_bench_import; the name must
 * start with argus_ and contain bench: the database is dropped and created again).
 */
const SERVICES = SERVICE_NAMES.slice(0, 10);
const SEVERITIES = ['P1', 'P2', 'P3', 'P3', 'P3', 'P4'];

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csv(from: number, count: number): string {
  const random = seededRandom(from + 1);
  const lines = ['external_id,title,description,severity,started_at,acknowledged_at,resolved_at,service,team'];
  const start = Date.UTC(2020, 0, 1);
  for (let i = from; i < from + count; i++) {
    const service = SERVICES[i % SERVICES.length];
    const { title, description } = incidentText(random, service);
    const started = start + i * 15 * 60_000;
    lines.push(
      [
        `PD-${i}`,
        title,
        description,
        SEVERITIES[Math.floor(random() * SEVERITIES.length)],
        new Date(started).toISOString(),
        new Date(started + 300_000).toISOString(),
        new Date(started + 3_600_000).toISOString(),
        service,
        `Team ${i % 4}`,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\n');
}

async function resetDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^argus_\w*bench\w*$/.test(name))
    throw new Error(`Refusing to drop ${name}: the bench database's name must start with argus_ and contain bench`);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const orm = await MikroORM.init(ormOptions(url));
  await migrate(orm);
  await orm.close(true);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rows = option(args, '--rows', 100_000);
  const perRequest = option(args, '--per-request', 20_000);
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/argus_bench_import';
  await resetDatabase(databaseUrl);
  const argus = await startArgus({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    ARGUS_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    LOG_LEVEL: 'warn',
    ARGUS_DEMO_DATA: 'false',
    ARGUS_RATE_LIMIT_PER_USER: '0',
    ARGUS_RATE_LIMIT_PER_IP: '0',
  });
  try {
    const api = `${argus.url}/api/v1`;
    await json(`${api}/auth/signup`, {
      body: { email: 'owner@import.bench', password: 'bench password 123', name: 'Owner', organization_name: 'import' },
    });
    const signedIn = await json(`${api}/auth/login`, {
      body: { email: 'owner@import.bench', password: 'bench password 123' },
    });
    const token = signedIn.body.access_token as string;
    // A fresh connection per request (agent: false): a long import must not meet a keep-alive socket the server closed.
    const post = (body: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const req = request(
          `${api}/incidents/import`,
          {
            method: 'POST',
            agent: false,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'text/csv',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString();
              if (res.statusCode !== 201) reject(new Error(`import failed: ${res.statusCode} ${text.slice(0, 500)}`));
              else resolve(JSON.parse(text) as Record<string, unknown>);
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const bodies: string[] = [];
    for (let from = 0; from < rows; from += perRequest) bodies.push(csv(from, Math.min(perRequest, rows - from)));
    const started = performance.now();
    let created = 0;
    for (const [i, body] of bodies.entries()) {
      const requestStart = performance.now();
      created += (await post(body)).created as number;
      console.error(
        `request ${i + 1} of ${bodies.length}: ${((performance.now() - requestStart) / 1000).toFixed(1)} s`,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const againStart = performance.now();
    const again = await post(bodies[0]);
    const againSeconds = (performance.now() - againStart) / 1000;
    const lines = [
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
      `imported ${created} of ${rows} rows (CSV, ${bodies.length} requests of ≤ ${perRequest}) in ${seconds.toFixed(1)} s: ${Math.round(rows / seconds)} rows/s`,
      `re-import of ${perRequest} identical rows: ${again.unchanged} unchanged in ${againSeconds.toFixed(1)} s: ${Math.round(perRequest / againSeconds)} rows/s`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await argus.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
