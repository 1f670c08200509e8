import { ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServer } from 'node:net';
import autocannon from 'autocannon';

export interface CannonResult {
  /** Successful (2xx) responses per second over the whole run. */
  rps: number;
  p50: number;
  p97_5: number;
  requests: number;
  non2xx: number;
  errors: number;
  seconds: number;
}

export interface CannonOptions {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Builds each request's body or path (autocannon setupRequest). */
  setupRequest?: (req: { path: string; body?: string }) => { path: string; body?: string };
}

/** One autocannon run in this process (the load generator); the server under test lives in another process. */
export async function cannon(o: CannonOptions): Promise<CannonResult> {
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.seconds,
    method: o.method ?? 'GET',
    headers: o.headers,
    body: o.body,
    requests: o.setupRequest ? [{ setupRequest: o.setupRequest as never }] : undefined,
  });
  const ok = result['2xx'];
  return {
    rps: ok / o.seconds,
    p50: result.latency.p50,
    p97_5: result.latency.p97_5,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: o.seconds,
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/**
 * The server's V8 heap spaces now (bench/heap-spaces.ts), when BENCH_HEAP_SPACES names a file; else undefined.
 * `collect`: after a full garbage collection (it changes the server's state: only at the end of a run).
 */
export async function heapSpacesOf(pid: number, collect = false): Promise<unknown> {
  const file = process.env.BENCH_HEAP_SPACES;
  if (!file) return undefined;
  const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
  const before = lines().length;
  process.kill(pid, collect ? 'SIGWINCH' : 'SIGUSR2');
  for (let i = 0; i < 50 && lines().length === before; i++) await new Promise((r) => setTimeout(r, 100));
  const all = lines();
  return all.length > before ? JSON.parse(all[all.length - 1]) : undefined;
}

/** CPU seconds (user + system) a process, or with `thread` one of its threads, has used so far (Linux /proc). */
export function cpuSecondsOf(pid: number, thread?: number): number {
  const fields = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Every child process started, so that a failed run leaves none behind. */
export const children: ChildProcess[] = [];

export interface ArgusProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `main.js` (compiled with the bench into dist-bench) on a free loopback port with the given environment; resolves once
 * /readyz answers.
 */
export async function startArgus(env: Record<string, string>): Promise<ArgusProcess> {
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS: node options for the measured server only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // BENCH_HEAP_SPACES=FILE: the server reports its V8 heap spaces into FILE at each stage (heapSpacesOf).
  if (process.env.BENCH_HEAP_SPACES) nodeArgs.push('--require', join(__dirname, 'heap-spaces.js'));
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, '..', 'src', 'main.js')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Argus exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('Argus did not become ready in 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, stop: () => stopChild(child) };
}

/** A TypeScript module of dist-bench run as a child process that reports `{port}` over IPC once it listens. */
export async function forkListening(
  modulePath: string,
  env: Record<string, string>,
): Promise<{ port: number; child: ChildProcess; stop(): Promise<void> }> {
  const child = fork(modulePath, [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`${modulePath} exited with ${code}`)));
  });
  return { port, child, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 8000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Waits until the server answers /healthz within `ms` five times in a row: background work that holds its event
 * loop (an index build, a classifier refit) is over, so it does not leak into the next measurement.
 */
export async function waitIdle(url: string, ms = 25, timeoutMs = 120_000, pid?: number): Promise<number> {
  const started = performance.now();
  let quick = 0;
  while (quick < 5 && performance.now() - started < timeoutMs) {
    const t = performance.now();
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.text().then(() => true),
      () => false,
    );
    quick = ok && performance.now() - t < ms ? quick + 1 : 0;
    await new Promise((r) => setTimeout(r, 50));
  }
  // With `pid`, also until the process (all its threads: a refit in a worker thread) uses under 10% of a core for 1 s.
  while (pid !== undefined && performance.now() - started < timeoutMs) {
    const before = cpuSecondsOf(pid);
    await new Promise((r) => setTimeout(r, 1000));
    if (cpuSecondsOf(pid) - before < 0.1) break;
  }
  return (performance.now() - started) / 1000;
}

export async function json<T = any>(
  url: string,
  init: { method?: string; token?: string; body?: unknown } = {},
  retry = true,
): Promise<{ status: number; body: T; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetchOnce(url, init, headers);
  } catch (error) {
    // A pooled keep-alive connection the server closed meanwhile: once more on a fresh one.
    if (!retry) throw error;
    await new Promise((r) => setTimeout(r, 200));
    return json(url, init, false);
  }
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as T) : (undefined as T), text };
}

function fetchOnce(
  url: string,
  init: { method?: string; body?: unknown },
  headers: Record<string, string>,
): Promise<Response> {
  return fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/**
 * CPU seconds used so far by the database's backends that are connected now (Linux /proc; PostgreSQL on this machine);
 * `includeOwn`: this connection's backend too.
 */
export async function databaseCpuSeconds(
  db: { query(sql: string): Promise<{ rows: Array<{ pid: number }> }> },
  includeOwn = false,
): Promise<number> {
  let total = 0;
  for (const seconds of (await databaseCpuSnapshot(db, includeOwn)).values()) total += seconds;
  return total;
}

/** CPU seconds of each backend connected now, by pid: a start for databaseCpuSince. */
export async function databaseCpuSnapshot(
  db: { query(sql: string): Promise<{ rows: Array<{ pid: number }> }> },
  includeOwn = false,
): Promise<Map<number, number>> {
  const { rows } = await db.query(
    `select pid from pg_stat_activity where datname = current_database()${includeOwn ? '' : ' and pid <> pg_backend_pid()'}`,
  );
  const snapshot = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      snapshot.set(pid, cpuSecondsOf(pid));
    } catch {
      // the backend ended meanwhile
    }
  }
  return snapshot;
}

/**
 * CPU seconds the database's backends used since `start`: each backend connected now, less what it had used at the
 * start. A backend that ended in between is not counted (it can only make the figure lower, never negative).
 */
export async function databaseCpuSince(
  db: { query(sql: string): Promise<{ rows: Array<{ pid: number }> }> },
  start: Map<number, number>,
): Promise<number> {
  const now = await databaseCpuSnapshot(db);
  let total = 0;
  for (const [pid, seconds] of now) total += seconds - (start.get(pid) ?? 0);
  return total;
}
