import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { tmpdir, cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BruteforceSearch } from 'hnswlib-node';
import { Client } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from '../src/app/mikro-orm.config.js';
import { migrate } from '../src/db/migrate.js';
import { DENSE_DIM, LexicalModel } from '../src/ai/models/lexical-model.js';
import { decodeSparse } from '../src/ai/models/sparse-vector.js';
import { DEFAULT_INDEX_OPTIONS, VectorIndex } from '../src/ai/similar/vector-index.js';
import { seededRandom } from '../tools/seeded-random.js';
import { BenchOrg, SERVICE_NAMES, bulkIncidents, incidentText } from './seed.js';
import {
  ArgusProcess,
  CannonResult,
  cannon,
  children,
  cpuSecondsOf,
  databaseCpuSeconds,
  forkListening,
  heapSpacesOf,
  json,
  memoryOf,
  percentile,
  startArgus,
  waitIdle,
} from './lib.js';
import { stormCase, stormRows } from './storm.js';
import { startCountingArgus } from './statements.js';
import { BaselineConfig, selectList } from './baseline-server.js';
import { analyticsCase, analyticsRows, enrichForAnalytics } from './analytics.js';

/**
 * `npm run bench`: Argus (dist/main.js) and the two ceilings (bench/baseline-server) each in a process of their own,
 * autocannon in this one, on loopback. Prints one table and writes bench/results/latest.json (or --out).
 * Options: --out FILE, --seconds N (per throughput case, default 5), --list-seconds N and --rounds N (the list cases
 * and their ceilings run interleaved, default 3 rounds of 2 s each), --connections N (default 10), --large N
 * (incidents of the large organization, default 100000), DATABASE_URL (default argus_bench_run; its name must start
 * with argus_bench, because the database is dropped and created again), --storm-alerts N and --storm-senders N (the
 * alert storm, default 50000 alerts from 50 senders).
 */

interface Options {
  out: string;
  seconds: number;
  listSeconds: number;
  rounds: number;
  connections: number;
  large: number;
  medium: number;
  /** Incidents of the working organization. */
  small: number;
  /**
   * `creation`: only the creation case; `lists`: only the list and nested cases (both: a working organization, no
   * medium or large one); `memory`: the three organizations seeded, their indexes and classifiers loaded through the
   * API, then the server's RSS (no throughput cases); `analytics`: the working and the large organization, then only
   * the analytics cases over the large one; `storm`: only the alert storm and its ceiling (no seeded organization).
   */
  only: string | null;
  /**
   * With `--only memory`: the full run's other stages that grow the server's memory too, shortened (the API list
   * cases, one round, before the creation case; the AI latency cases after the indexes), so that the RSS the full run
   * ends with can be measured without its ceilings, nested and webhook cases.
   */
  likeFull: boolean;
  /** Measured requests per analytics case (--analytics-requests, default 40). */
  analyticsRequests: number;
  /** The alert storm: alerts and concurrent senders (bench/storm.ts). */
  stormAlerts: number;
  stormSenders: number;
  databaseUrl: string;
}

function parseOptions(argv: string[]): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    out: resolve(get('out') ?? 'bench/results/latest.json'),
    seconds: Number(get('seconds') ?? 5),
    listSeconds: Number(get('list-seconds') ?? 2),
    rounds: Number(get('rounds') ?? 3),
    connections: Number(get('connections') ?? 10),
    large: Number(get('large') ?? 100_000),
    medium: Number(get('medium') ?? 10_000),
    small: Number(get('small') ?? SMALL),
    only: get('only') ?? null,
    likeFull: argv.includes('--like-full'),
    analyticsRequests: Number(get('analytics-requests') ?? 40),
    stormAlerts: Number(get('storm-alerts') ?? 50_000),
    stormSenders: Number(get('storm-senders') ?? 50),
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/argus_bench_run',
  };
}

/**
 * Incidents of the working organization (lists, nested, creation). Above the classifier's in-request refresh limit
 * (2000 labelled incidents, src/ai/severity-classifier.ts), so creation measures the pipeline, not that refresh.
 */
const SMALL = 3000;
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const SETTLE_SECONDS = 45;
const started = performance.now();
const log = (msg: string) =>
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${msg}\n`);

async function resetDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = parsed.pathname.slice(1);
  if (!/^argus_bench\w*$/.test(name))
    throw new Error(`Refusing to drop ${name}: the bench database's name must start with argus_bench`);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const orm = await MikroORM.init(ormOptions(url));
  await migrate(orm);
  await orm.close(true);
}

/** An organization through the API (signup, teams, services, invited users), so every row is what the API writes. */
async function createOrg(
  db: Client,
  url: string,
  name: string,
  sizes: { teams: number; services: number; users: number },
): Promise<BenchOrg> {
  const api = `${url}/api/v1`;
  const signup = await json(`${api}/auth/signup`, {
    body: { email: `owner@${name}.bench`, password: 'bench password 123', name: 'Owner', organization_name: name },
  });
  if (signup.status !== 202) throw new Error(`signup failed: ${signup.text}`);
  // Sign-up answers no token: the new owner signs in.
  const signedIn = await json(`${api}/auth/login`, {
    body: { email: `owner@${name}.bench`, password: 'bench password 123' },
  });
  if (signedIn.status !== 200) throw new Error(`login failed: ${signedIn.text}`);
  const token = signedIn.body.access_token as string;
  const me = signedIn.body.user;
  const userIds: string[] = [me.id];
  for (let i = 0; i < sizes.users; i++) {
    const r = await json(`${api}/users/`, {
      token,
      body: { email: `user${i}@${name}.bench`, name: `User ${i}`, role: 'responder' },
    });
    if (r.status !== 201) throw new Error(`invite failed: ${r.text}`);
    userIds.push(r.body.user.id);
  }
  const teamIds: string[] = [];
  for (let i = 0; i < sizes.teams; i++) {
    const r = await json(`${api}/teams/`, { token, body: { name: `Team ${i}`, member_ids: userIds.slice(0, 3) } });
    if (r.status !== 201) throw new Error(`team failed: ${r.text}`);
    teamIds.push(r.body.id);
  }
  const serviceIds: string[] = [];
  const serviceNames: string[] = [];
  const names = SERVICE_NAMES;
  for (let i = 0; i < sizes.services; i++) {
    const r = await json(`${api}/services/`, {
      token,
      body: {
        name: names[i % names.length] + (i >= names.length ? `-${i}` : ''),
        team_id: teamIds[i % teamIds.length],
        tier: (i % 4) + 1,
      },
    });
    if (r.status !== 201) throw new Error(`service failed: ${r.text}`);
    serviceIds.push(r.body.id);
    serviceNames.push(r.body.name);
  }
  const organizationId = (await db.query('select organization_id from users where id = $1', [me.id])).rows[0]
    .organization_id as string;
  return { organizationId, token, serviceIds, serviceNames, teamIds, userIds };
}

const toCamel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

interface Row {
  case: string;
  value: string;
  ratio?: string;
  target?: string;
  ok?: boolean;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    options: { ...o, databaseUrl: o.databaseUrl.replace(/\/\/[^@]*@/, '//') },
  };
  log(`database ${new URL(o.databaseUrl).pathname.slice(1)}: reset and migrate`);
  await resetDatabase(o.databaseUrl);

  const receiver = await startReceiver();
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: o.databaseUrl,
    ARGUS_JWT_SECRET: JWT_SECRET,
    LOG_LEVEL: 'warn',
    ARGUS_DEMO_DATA: 'false',
    ARGUS_RATE_LIMIT_PER_USER: '0',
    ARGUS_RATE_LIMIT_PER_IP: '0',
    ARGUS_SLA_CHECK_INTERVAL_SECONDS: '0',
    ARGUS_WEBHOOK_POLL_MS: '100',
    ARGUS_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    // As the Docker image runs it (Dockerfile): allocations of 64 KB and more (argon2's 19 MB per hash, buffers) go
    // back to the system when freed.
    MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '65536',
  };
  const storm = () =>
    stormCase({ databaseUrl: o.databaseUrl, env, alerts: o.stormAlerts, senders: o.stormSenders, log });
  if (o.only === 'storm') {
    // The storm starts its own server; nothing else runs meanwhile.
    results.storm = await storm();
    receiver.server.close();
    results.machine = machine();
    results.seconds = (performance.now() - started) / 1000;
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, JSON.stringify(results, null, 2) + '\n');
    process.stdout.write(formatTable(stormRows(results.storm as never)) + `\n${machineLine()}\n`);
    return;
  }
  const argus = await startArgus(env);
  log(`argus pid ${argus.child.pid} at ${argus.url}`);
  const db = new Client({ connectionString: o.databaseUrl });
  await db.connect();
  const model = new LexicalModel();

  // ---- data: a working organization (lists, nested, creation), a medium and a large one (AI latency, memory)
  let t = performance.now();
  const small = await createOrg(db, argus.url, 'small', { teams: 4, services: 10, users: 5 });
  await bulkIncidents(db, small, o.small, { seed: 1, eventsPerIncident: 12, eventsFor: 200, model });
  const api = `${argus.url}/api/v1`;
  const auth = { authorization: `Bearer ${small.token}` };
  const gqlHeaders = { ...auth, 'content-type': 'application/json' };
  const c = { connections: o.connections, seconds: o.seconds };
  /** Stops what the run started, writes the JSON and prints `summary`. */
  const finish = async (summary: string) => {
    await argus.stop();
    await db.end();
    receiver.server.close();
    results.machine = machine();
    results.seconds = (performance.now() - started) / 1000;
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, JSON.stringify(results, null, 2) + '\n');
    process.stdout.write(summary);
  };
  if (o.only === 'creation') {
    log(`seeded ${o.small} incidents; creation only`);
    results.create = await creationCase(db, api, small, gqlHeaders, c, o, argus.child.pid!, {
      ...env,
      DATABASE_URL: o.databaseUrl,
    });
    const r = results.create as CannonResult;
    return finish(
      `\nincident creation end to end (REST, ${o.connections} conn., working organization of ${o.small}): ${r.rps.toFixed(0)}/s, p50 ${r.p50} ms\n`,
    );
  }
  if (o.only === 'analytics') {
    const large = await createOrg(db, argus.url, 'large', { teams: 2, services: 12, users: 1 });
    await bulkIncidents(db, large, o.large, { seed: 3, model });
    await enrichForAnalytics(db, large);
    log(`seeded ${o.small} + ${o.large} incidents; analytics only`);
    await waitIdle(argus.url);
    results.analytics = await analyticsCase(
      db,
      argus.url,
      argus.child.pid!,
      large,
      { requests: o.analyticsRequests },
      log,
    );
    return finish(formatTable(analyticsRows(results.analytics as never)) + `\n${machineLine()}\n`);
  }
  if (o.only && o.only !== 'lists' && o.only !== 'memory')
    throw new Error(`--only ${o.only}: only "creation", "lists", "memory", "analytics" and "storm" are known`);
  // The medium and large organizations are seeded before the lists so that these read from a full table.
  const [medium, large] =
    o.only === 'lists'
      ? []
      : [
          await createOrg(db, argus.url, 'medium', { teams: 2, services: 12, users: 1 }),
          await createOrg(db, argus.url, 'large', { teams: 2, services: 12, users: 1 }),
        ];
  if (medium && large) {
    await bulkIncidents(db, medium, o.medium, { seed: 2, model });
    await bulkIncidents(db, large, o.large, { seed: 3, model });
  }
  const seedSeconds = (performance.now() - t) / 1000;
  log(`seeded ${o.small} + ${medium ? o.medium : 0} + ${large ? o.large : 0} incidents in ${seedSeconds.toFixed(1)} s`);
  results.seed = { seconds: seedSeconds, incidents: o.small + (medium ? o.medium + o.large : 0) };
  /** The server's RSS (MB) after each stage of the full run, to tell which one leaves the memory behind. */
  const rssTrace: Record<string, number> = {};
  /** With BENCH_HEAP_SPACES: the server's V8 heap spaces after each of these stages. */
  const heapTrace: Record<string, unknown> = {};
  const trace = async (stage: string) => {
    rssTrace[stage] = memoryOf(argus.child.pid!).rssMb;
    heapTrace[stage] = await heapSpacesOf(argus.child.pid!);
  };
  await trace('afterSeeding');

  if (o.only === 'memory' && medium && large) {
    if (o.likeFull) {
      const listUrl = `${api}/incidents/?limit=50`;
      const gqlQuery = JSON.stringify({
        query: `query List { incidents(limit: 50) { total nextCursor items { id key title description severity status startedAt } } }`,
      });
      const lists: Record<string, CannonResult> = {};
      const cpuBefore = cpuSecondsOf(argus.child.pid!);
      for (let round = 0; round < o.rounds; round++) {
        const rest = await cannon({ ...c, seconds: o.listSeconds, url: listUrl, headers: auth });
        const graphql = await cannon({
          ...c,
          seconds: o.listSeconds,
          url: `${argus.url}/graphql`,
          method: 'POST',
          headers: gqlHeaders,
          body: gqlQuery,
        });
        lists.rest = lists.rest ? merge(lists.rest, rest) : rest;
        lists.graphql = lists.graphql ? merge(lists.graphql, graphql) : graphql;
      }
      const listCpuMs =
        ((cpuSecondsOf(argus.child.pid!) - cpuBefore) * 1000) / (lists.rest.requests + lists.graphql.requests);
      results.list = { ...lists, serverCpuMsPerRequest: listCpuMs };
      log(
        `lists: REST ${lists.rest.rps.toFixed(0)} req/s, GraphQL ${lists.graphql.rps.toFixed(0)} req/s, server CPU ${listCpuMs.toFixed(2)} ms per request`,
      );
      await trace('afterLists');
      results.create = await creationCase(db, api, small, gqlHeaders, c, o, argus.child.pid!, {
        ...env,
        DATABASE_URL: o.databaseUrl,
      });
      await trace('afterCreation');
    }
    results.memory = await memoryCase(argus, api, [small, medium, large], o);
    if (o.likeFull) {
      await trace('afterIndexes');
      results.ai = await aiLatency(argus.url, [
        ['medium', medium, o.medium],
        ['large', large, o.large],
      ]);
      await trace('final');
      const final = memoryOf(argus.child.pid!);
      heapTrace.finalCollected = await heapSpacesOf(argus.child.pid!, true);
      results.memory = { ...(results.memory as object), ...final, rssTrace, heapTrace };
    }
    return finish(`\n${JSON.stringify(results.memory, null, 2)}\n`);
  }

  // ---- lists against their ceilings, interleaved
  const restList = await fetch(`${api}/incidents/?limit=50`, { headers: auth });
  const restBytes = Buffer.from(await restList.arrayBuffer());
  const restBody = JSON.parse(restBytes.toString('utf8')) as { items: Record<string, unknown>[]; total: number };
  if (restBody.items.length !== 50) throw new Error(`REST list returned ${restBody.items.length} items`);
  const restKeys = Object.keys(restBody.items[0]);
  const graphqlQuery = `query List { incidents(limit: 50) { total nextCursor items { ${restKeys.map(toCamel).join(' ')} } } }`;
  const graphqlBody = JSON.stringify({ query: graphqlQuery });
  const gqlRes = await fetch(`${argus.url}/graphql`, { method: 'POST', headers: gqlHeaders, body: graphqlBody });
  const graphqlBytes = Buffer.from(await gqlRes.arrayBuffer());
  if (!gqlRes.ok || JSON.parse(graphqlBytes.toString()).errors)
    throw new Error(`GraphQL list failed: ${graphqlBytes.toString().slice(0, 500)}`);
  const tmp = join(tmpdir(), `argus-bench-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  const baselineConfig: BaselineConfig = {
    databaseUrl: o.databaseUrl,
    organizationId: small.organizationId,
    limit: 50,
    restColumns: selectList(restKeys, 'snake'),
    graphqlColumns: selectList(restKeys, 'camel'),
    restBytesFile: join(tmp, 'rest.json'),
    graphqlBytesFile: join(tmp, 'graphql.json'),
  };
  writeFileSync(baselineConfig.restBytesFile, restBytes);
  writeFileSync(baselineConfig.graphqlBytesFile, graphqlBytes);
  const baseline = await forkListening(join(__dirname, 'baseline-server.js'), {
    BENCH_BASELINE: JSON.stringify(baselineConfig),
  });
  const base = `http://127.0.0.1:${baseline.port}`;
  const sameData = await json(`${base}/data/rest`);
  if (JSON.stringify(sameData.body) !== JSON.stringify(restBody))
    log("warning: the data ceiling's REST body differs from the API's");

  // The same server with ARGUS_COMPRESS_JSON=true, asked as browsers and Node's fetch ask (brotli preferred) and as a
  // gzip-only client: what compressing the list costs, interleaved with the uncompressed cases.
  const zipped = await startArgus({ ...env, ARGUS_COMPRESS_JSON: 'true' });
  const brHeaders = { 'accept-encoding': 'gzip, deflate, br' };
  const gzHeaders = { 'accept-encoding': 'gzip' };
  const compressedBytes = {
    restBr: await encodedBytes(`${zipped.url}/api/v1/incidents/?limit=50`, { ...auth, ...brHeaders }),
    restGzip: await encodedBytes(`${zipped.url}/api/v1/incidents/?limit=50`, { ...auth, ...gzHeaders }),
    graphqlBr: await encodedBytes(`${zipped.url}/graphql`, { ...gqlHeaders, ...brHeaders }, graphqlBody),
  };
  const listCases: Record<string, (seconds: number) => Promise<CannonResult>> = {
    'rest.api': (seconds: number) => cannon({ ...c, seconds, url: `${api}/incidents/?limit=50`, headers: auth }),
    'rest.serving': (seconds: number) => cannon({ ...c, seconds, url: `${base}/serve/rest` }),
    'rest.data': (seconds: number) => cannon({ ...c, seconds, url: `${base}/data/rest` }),
    'graphql.api': (seconds: number) =>
      cannon({ ...c, seconds, url: `${argus.url}/graphql`, method: 'POST', headers: gqlHeaders, body: graphqlBody }),
    'graphql.serving': (seconds: number) =>
      cannon({ ...c, seconds, url: `${base}/serve/graphql`, method: 'POST', headers: gqlHeaders, body: graphqlBody }),
    'graphql.data': (seconds: number) =>
      cannon({ ...c, seconds, url: `${base}/data/graphql`, method: 'POST', headers: gqlHeaders, body: graphqlBody }),
    'rest.compressed.br': (seconds: number) =>
      cannon({ ...c, seconds, url: `${zipped.url}/api/v1/incidents/?limit=50`, headers: { ...auth, ...brHeaders } }),
    'rest.compressed.gzip': (seconds: number) =>
      cannon({ ...c, seconds, url: `${zipped.url}/api/v1/incidents/?limit=50`, headers: { ...auth, ...gzHeaders } }),
    'graphql.compressed.br': (seconds: number) =>
      cannon({
        ...c,
        seconds,
        url: `${zipped.url}/graphql`,
        method: 'POST',
        headers: { ...gqlHeaders, ...brHeaders },
        body: graphqlBody,
      }),
  };
  // Interleaved rounds: every case runs once per round, so a change in the machine's load hits all of them alike.
  for (const run of Object.values(listCases)) await run(1); // warm-up: JIT, pools, plan caches (1 s each)
  const list: Record<string, CannonResult> = {};
  const cpu: Record<string, number> = {};
  for (let round = 0; round < o.rounds; round++) {
    for (const [name, run] of Object.entries(listCases)) {
      const pid = name.endsWith('.api')
        ? argus.child.pid!
        : name.includes('.compressed.')
          ? zipped.child.pid!
          : baseline.child.pid!;
      const before = cpuSecondsOf(pid);
      const r = await run(o.listSeconds);
      cpu[name] = (cpu[name] ?? 0) + (cpuSecondsOf(pid) - before) * 1000;
      list[name] = list[name] ? merge(list[name], r) : r;
    }
  }
  for (const name of Object.keys(listCases)) {
    cpu[name] /= Math.max(1, list[name].requests);
    log(`${name}: ${list[name].rps.toFixed(0)} req/s, ${cpu[name].toFixed(2)} ms CPU per request`);
  }
  results.list = {
    ...list,
    serverCpuMsPerRequest: cpu,
    restBytes: restBytes.length,
    graphqlBytes: graphqlBytes.length,
    compressedBytes,
  };
  await trace('afterLists');
  await baseline.stop();
  await zipped.stop();

  // ---- nested GraphQL: statements (in-process counting server) and throughput (the measured server)
  const nestedQuery = `query Nested { incidents(limit: 50) { items { id key title severity status
    service { id name } team { id name } assignee { id name }
    timeline(limit: 10) { id type message occurredAt } } } }`;
  const nestedBody = JSON.stringify({ query: nestedQuery });
  results.nested = await nestedCase(argus.url, small.token, nestedBody, gqlHeaders, c, {
    ...env,
    DATABASE_URL: o.databaseUrl,
  });
  if (!medium || !large) return finish(listTable({ ...results, machine: machine() } as never));

  results.create = await creationCase(db, api, small, gqlHeaders, c, o, argus.child.pid!, {
    ...env,
    DATABASE_URL: o.databaseUrl,
  });
  await trace('afterCreation');

  // ---- the large organization's index is built in the server (first query) while this process builds its own
  // HNSW and exact indexes of the same vectors: both take a while and use one core each.
  const firstSimilar = (async () => {
    const s = performance.now();
    const r = await json(`${argus.url}/api/v1/ai/similar-incidents/INC-1?limit=10`, { token: large.token });
    if (r.status !== 200) throw new Error(`similar failed: ${r.text}`);
    const m = await json(`${argus.url}/api/v1/ai/similar-incidents/INC-1?limit=10`, { token: medium.token });
    if (m.status !== 200) throw new Error(`similar failed: ${m.text}`);
    return (performance.now() - s) / 1000;
  })();
  const exactVsHnsw = [] as Array<Record<string, number>>;
  for (const [org, size] of [
    [medium, o.medium],
    [large, o.large],
  ] as const) {
    exactVsHnsw.push(await hnswAgainstExact(db, org, size, model));
    log(`HNSW vs exact at ${size}: done`);
  }
  const indexBuildSeconds = await firstSimilar;
  await trace('afterIndexes');
  // The first queries answer once the rows are loaded; the HNSW graphs are filled in the background after that.
  const graphFillSeconds = indexBuildSeconds + (await waitCpuIdle(argus.child.pid!));
  await waitIdle(argus.url);
  log(
    `server indexes loaded (first similar queries answered) in ${indexBuildSeconds.toFixed(1)} s, graphs filled after ${graphFillSeconds.toFixed(0)} s`,
  );

  // ---- AI latency through the API at both sizes (one connection: latency, not throughput)
  const ai = await aiLatency(argus.url, [
    ['medium', medium, o.medium],
    ['large', large, o.large],
  ]);
  results.ai = {
    api: ai,
    inProcess: exactVsHnsw,
    serverIndexBuildSeconds: indexBuildSeconds,
    serverGraphFillSeconds: graphFillSeconds,
  };
  await trace('final');
  results.memory = {
    ...memoryOf(argus.child.pid!),
    indexedIncidents: o.small + o.medium + o.large,
    rssTrace,
    heapTrace,
    ...(await settle(argus.child.pid!)),
  };

  // ---- webhook delivery: N copies of a real delivery, distinct ordering keys, to a local receiver
  const rule = await json(`${api}/alert-rules/`, {
    token: small.token,
    body: { name: 'bench', event_types: ['incident.created'], target_url: `http://127.0.0.1:${receiver.port}/hook` },
  });
  if (rule.status !== 201) throw new Error(`alert rule: ${rule.text}`);
  receiver.count = 0;
  await json(`${api}/incidents/`, { token: small.token, body: { title: 'webhook bench seed', severity: 'P3' } });
  await waitFor(() => receiver.count >= 1, 20_000);
  const N = 1000;
  await db.query(
    `insert into webhook_deliveries (id, organization_id, alert_rule_id, webhook_id, event_type, payload, status, attempts, next_attempt_at,
                                     ordering_key, attempt_log, created_at, updated_at)
     select gen_random_uuid(), d.organization_id, d.alert_rule_id, 'msg_bench_' || g, d.event_type, d.payload, 'pending', 0, now(),
            'bench-' || g, '[]'::jsonb, now(), now()
       from webhook_deliveries d cross join generate_series(1, $2::int) g where d.alert_rule_id = $1`,
    [rule.body.id, N],
  );
  receiver.count = 0;
  t = performance.now();
  const delivered = await waitFor(() => receiver.count >= N, 60_000);
  const webhookSeconds = (performance.now() - t) / 1000;
  results.webhooks = {
    deliveries: receiver.count,
    seconds: webhookSeconds,
    perSecond: receiver.count / webhookSeconds,
    complete: delivered,
    pollMs: 100,
  };
  log(`webhooks: ${receiver.count} in ${webhookSeconds.toFixed(1)} s`);

  // ---- analytics over the large organization (after the memory figures; its rows given milestones, SLA times and
  // timeline entries first)
  await enrichForAnalytics(db, large);
  results.analytics = await analyticsCase(
    db,
    argus.url,
    argus.child.pid!,
    large,
    { requests: o.analyticsRequests },
    log,
  );

  // ---- the alert storm, on a server of its own with the default rate limits
  results.storm = await storm();

  await finish('');
  printTable(results as never, o);
  process.stdout.write(`\nJSON: ${o.out}  (${(results.seconds as number).toFixed(0)} s in all)\n`);
}

/** Similar-incident and classification latency through the API, one organization after the other (one connection). */
async function aiLatency(
  url: string,
  orgs: Array<readonly [string, BenchOrg, number]>,
): Promise<Record<string, CannonResult>> {
  const api = `${url}/api/v1`;
  const ai: Record<string, CannonResult> = {};
  for (const [label, org, size] of orgs) {
    const r = seededRandom(7);
    ai[`similar.${label}`] = await cannon({
      connections: 1,
      seconds: 3,
      url: `${api}/ai/similar-incidents/INC-1`,
      headers: { authorization: `Bearer ${org.token}` },
      setupRequest: (req) => ({
        ...req,
        path: `/api/v1/ai/similar-incidents/INC-${1 + Math.floor(r() * size)}?limit=10`,
      }),
    });
    await json(`${api}/ai/classify`, { token: org.token, body: { title: 'warm up the model' } });
    await waitIdle(url);
    ai[`classify.${label}`] = await cannon({
      connections: 1,
      seconds: 3,
      url: `${api}/ai/classify`,
      method: 'POST',
      headers: { authorization: `Bearer ${org.token}`, 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, body: JSON.stringify(incidentText(r, org.serviceNames[0])) }),
    });
    const sim = ai[`similar.${label}`];
    const cls = ai[`classify.${label}`];
    log(
      `AI at ${size}: similar p50 ${sim.p50} ms (${sim.requests} requests, ${sim.non2xx + sim.errors} failed), classify p50 ${cls.p50} ms (${cls.requests} requests, ${cls.non2xx + cls.errors} failed)`,
    );
  }
  return ai;
}

/** Creation end to end (no severity given: the classifier runs; embedding, index, outbox). */
async function creationCase(
  db: Client,
  api: string,
  small: BenchOrg,
  headers: Record<string, string>,
  c: { connections: number; seconds: number },
  o: Options,
  serverPid: number,
  env: Record<string, string>,
): Promise<CannonResult & Record<string, unknown>> {
  const random = seededRandom(42);
  const createBody = () => {
    const s = Math.floor(random() * small.serviceIds.length);
    const text = incidentText(random, small.serviceNames[s]);
    return JSON.stringify({ title: text.title, description: text.description, service_id: small.serviceIds[s] });
  };
  await json(`${api}/incidents/`, { token: small.token, body: JSON.parse(createBody()) });
  // The first classification of the organization fits its model in the background (a worker thread, or the event loop).
  await waitIdle(api.replace(/\/api\/v1$/, ''), 25, 120_000, serverPid);
  const count = async (table: string) =>
    Number(
      (await db.query(`select count(*)::int as n from ${table} where organization_id = $1`, [small.organizationId]))
        .rows[0].n,
    );
  const beforeCreate = await count('incidents');
  const serverCpu = cpuSecondsOf(serverPid);
  // The main thread alone: the event loop, without a refit that the worker thread may run meanwhile.
  const mainThreadCpu = cpuSecondsOf(serverPid, serverPid);
  const databaseCpu = await databaseCpuSeconds(db);
  const sampling = sampleBackends(o.databaseUrl);
  const create = await cannon({
    ...c,
    seconds: o.seconds + 1,
    url: `${api}/incidents/`,
    method: 'POST',
    headers,
    setupRequest: (req) => ({ ...req, body: createBody() }),
  });
  const backends = await sampling.stop();
  const inserted = (await count('incidents')) - beforeCreate;
  const serverCpuMs = ((cpuSecondsOf(serverPid) - serverCpu) * 1000) / inserted;
  const mainThreadCpuMs = ((cpuSecondsOf(serverPid, serverPid) - mainThreadCpu) * 1000) / inserted;
  const databaseCpuMs = (((await databaseCpuSeconds(db)) - databaseCpu) * 1000) / inserted;
  const embedded = await count('incident_embeddings');
  // Statements of one creation, counted in a second in-process Argus (its query logger on), the index re-read included.
  const counting = await startCountingArgus(env);
  const countingApi = `${counting.url}/api/v1/incidents/`;
  await fetch(countingApi, { method: 'POST', headers, body: createBody() }).then((r) => r.text());
  const counted = await counting.count(async () => {
    await fetch(countingApi, { method: 'POST', headers, body: createBody() }).then((r) => r.text());
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  await counting.close();
  log(
    `create: ${create.rps.toFixed(0)}/s (${inserted} rows, ${create.non2xx} non-2xx), per creation: server CPU ${serverCpuMs.toFixed(1)} ms (main thread ${mainThreadCpuMs.toFixed(1)} ms), PostgreSQL CPU ${databaseCpuMs.toFixed(1)} ms, ${counted.statements} statements; backends on average: ${backends.active.toFixed(1)} running, ${backends.lockWaiting.toFixed(1)} waiting on a lock (${backends.onKeyRow.toFixed(1)} on the key row, ${backends.onIndexVersionRow.toFixed(1)} on the index version row), ${backends.idleInTransaction.toFixed(1)} idle in a transaction`,
  );
  return {
    ...create,
    inserted,
    embeddedTotal: embedded,
    incidentsTotal: beforeCreate + inserted,
    serverCpuMs,
    mainThreadCpuMs,
    databaseCpuMs,
    backends,
    statements: counted.statements,
    sql: counted.sql.map((l) => l.replace(/\s+/g, ' ').slice(0, 300)),
  };
}

/**
 * What the bench database's backends are doing, sampled every 20 ms until stopped (from a connection of its own):
 * on average how many run a statement, wait on a lock (the organization's key row or index version row), or sit idle in
 * a transaction
 * (waiting for the server's next statement).
 */
function sampleBackends(databaseUrl: string): {
  stop(): Promise<
    Record<'samples' | 'active' | 'lockWaiting' | 'onKeyRow' | 'onIndexVersionRow' | 'idleInTransaction', number>
  >;
} {
  const client = new Client({ connectionString: databaseUrl });
  let running = true;
  const totals = { samples: 0, active: 0, lockWaiting: 0, onKeyRow: 0, onIndexVersionRow: 0, idleInTransaction: 0 };
  const done = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ active: number; lock: number; key: number; version: number; idle: number }>(
        `select count(*) filter (where state = 'active' and wait_event_type is distinct from 'Lock')::int as active,
                count(*) filter (where wait_event_type = 'Lock')::int as lock,
                count(*) filter (where wait_event_type = 'Lock' and query like '%key_sequences%')::int as key,
                count(*) filter (where wait_event_type = 'Lock' and query like '%similar_index_versions%')::int as version,
                count(*) filter (where state = 'idle in transaction')::int as idle
           from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
      totals.samples++;
      totals.active += rows[0].active;
      totals.lockWaiting += rows[0].lock;
      totals.onKeyRow += rows[0].key;
      totals.onIndexVersionRow += rows[0].version;
      totals.idleInTransaction += rows[0].idle;
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await done;
      const n = Math.max(1, totals.samples);
      return {
        samples: totals.samples,
        active: totals.active / n,
        lockWaiting: totals.lockWaiting / n,
        onKeyRow: totals.onKeyRow / n,
        onIndexVersionRow: totals.onIndexVersionRow / n,
        idleInTransaction: totals.idleInTransaction / n,
      };
    },
  };
}

/** CPU seconds used so far by the PostgreSQL backends connected to the bench's database (other databases' excluded). */

/** The nested query: statements per request (counted in a separate in-process server) and throughput. */
async function nestedCase(
  url: string,
  token: string,
  body: string,
  headers: Record<string, string>,
  c: { connections: number; seconds: number },
  env: Record<string, string>,
): Promise<Record<string, unknown>> {
  const check = await json(`${url}/graphql`, { token, body: JSON.parse(body) });
  if (check.body.errors) {
    log(`nested query failed: ${JSON.stringify(check.body.errors).slice(0, 300)}`);
    return { error: check.body.errors };
  }
  const items = check.body.data.incidents.items as Array<{
    timeline: unknown[];
    service: unknown;
    team: unknown;
    assignee: unknown;
  }>;
  if (!items.every((i) => i.timeline.length === 10 && i.service && i.team && i.assignee))
    throw new Error('nested query: relations missing');
  const counting = await startCountingArgus(env);
  const post = () => fetch(`${counting.url}/graphql`, { method: 'POST', headers, body }).then((r) => r.text());
  await post();
  await post();
  const counted = await counting.count(post);
  await counting.close();
  const run = await cannon({ ...c, url: `${url}/graphql`, method: 'POST', headers, body });
  log(`nested: ${counted.statements} statements, ${run.rps.toFixed(0)} req/s`);
  return { statements: counted.statements, sql: counted.sql.map((l) => l.replace(/\s+/g, ' ').slice(0, 300)), ...run };
}

/**
 * `--only memory`: what the full run loads before it reads the RSS (every organization's similar-incident index and
 * classifier, through the API), then the RSS once the server's CPU is idle; also whether the server answers while an
 * index is built: the slowest of the /healthz requests made one after the other from the first query until then.
 */
async function memoryCase(
  argus: ArgusProcess,
  api: string,
  orgs: BenchOrg[],
  o: Options,
): Promise<Record<string, unknown>> {
  const before = memoryOf(argus.child.pid!);
  log(`memory: ${before.rssMb} MB RSS after seeding`);
  const steps: Record<string, unknown> = { seeded: before };
  for (const [label, org] of [
    ['small', orgs[0]],
    ['medium', orgs[1]],
    ['large', orgs[2]],
  ] as const) {
    let t = performance.now();
    let answered = false;
    const first = json(`${api}/ai/similar-incidents/INC-1?limit=10`, { token: org.token }).finally(
      () => (answered = true),
    );
    // The slowest /healthz while the first query (and the index build behind it) runs, and until the CPU is idle.
    let healthzMs = 0;
    const probe = async () => {
      for (;;) {
        const h = performance.now();
        // A reset keep-alive connection (the server held its event loop past the socket's timeout) counts as waited.
        await fetch(`${argus.url}/healthz`).then(
          (res) => res.text(),
          () => undefined,
        );
        healthzMs = Math.max(healthzMs, performance.now() - h);
        if (answered && !probing) return;
        await new Promise((res) => setTimeout(res, 100));
      }
    };
    let probing = true;
    const probed = probe();
    const r = await first;
    if (r.status !== 200) throw new Error(`similar failed: ${r.text}`);
    const firstSimilarSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const idleSeconds = await waitCpuIdle(argus.child.pid!);
    probing = false;
    await probed;
    const afterSimilar = memoryOf(argus.child.pid!).rssMb;
    const c = await json(`${api}/ai/classify`, { token: org.token, body: { title: 'warm up the model' } });
    if (c.status !== 200) throw new Error(`classify failed: ${c.text}`);
    await waitCpuIdle(argus.child.pid!);
    steps[label] = {
      firstSimilarSeconds,
      slowestHealthzMs: Math.round(healthzMs),
      backgroundSeconds: idleSeconds,
      rssMbAfterSimilar: afterSimilar,
      ...memoryOf(argus.child.pid!),
      heapSpaces: await heapSpacesOf(argus.child.pid!),
    };
    log(`memory after ${label}: ${JSON.stringify(steps[label])}`);
  }
  return { ...memoryOf(argus.child.pid!), indexedIncidents: o.small + o.medium + o.large, steps };
}

/**
 * Waits until the process has used under 5% of a core in each of three seconds in a row (background index or model
 * work is over; one quiet second is not enough on a loaded machine, where a busy process can be left waiting).
 */
async function waitCpuIdle(pid: number, timeoutMs = 900_000): Promise<number> {
  const started = performance.now();
  for (let quiet = 0; quiet < 3;) {
    const before = cpuSecondsOf(pid);
    await new Promise((r) => setTimeout(r, 1000));
    quiet = cpuSecondsOf(pid) - before < 0.05 ? quiet + 1 : 0;
    if (performance.now() - started > timeoutMs) break;
  }
  return (performance.now() - started) / 1000;
}

/** Two runs of one case as one: throughput over their joint time, latencies averaged. */
function merge(a: CannonResult, b: CannonResult): CannonResult {
  const seconds = a.seconds + b.seconds;
  return {
    rps: (a.rps * a.seconds + b.rps * b.seconds) / seconds,
    p50: (a.p50 + b.p50) / 2,
    p97_5: Math.max(a.p97_5, b.p97_5),
    requests: a.requests + b.requests,
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
    seconds,
  };
}

function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const tick = () => {
      if (cond()) return resolve(true);
      if (Date.now() > deadline) return resolve(false);
      setTimeout(tick, 20);
    };
    tick();
  });
}

async function startReceiver(): Promise<{ server: Server; port: number; count: number }> {
  const state = { server: null as unknown as Server, port: 0, count: 0 };
  state.server = createServer((req, res) => {
    req
      .on('data', () => undefined)
      .on('end', () => {
        state.count++;
        res.writeHead(204).end();
      });
  });
  await new Promise<void>((r) => state.server.listen(0, '127.0.0.1', r));
  state.port = (state.server.address() as AddressInfo).port;
  return state;
}

/**
 * The organization's stored vectors in an HNSW index (the server's VectorIndex) and an exact (brute-force) index:
 * recall@10 of HNSW against exact and the latency of one nearest-neighbour query each, on queries that are stored
 * incidents' own vectors (the similar-incident case).
 */
async function hnswAgainstExact(
  db: Client,
  org: BenchOrg,
  size: number,
  model: LexicalModel,
): Promise<Record<string, number>> {
  const rows = (
    await db.query(`select incident_id, sparse from incident_embeddings where organization_id = $1`, [
      org.organizationId,
    ])
  ).rows as Array<{ incident_id: string; sparse: Buffer }>;
  const buildStart = performance.now();
  const index = new VectorIndex(model, { ...DEFAULT_INDEX_OPTIONS, initialCapacity: rows.length });
  const exact = new BruteforceSearch('ip', DENSE_DIM);
  exact.initIndex(rows.length);
  const sparse = rows.map((r) => decodeSparse(r.sparse));
  sparse.forEach((s, i) => {
    index.upsert({ id: String(i), sparse: s, startedAt: 0, serviceId: null });
    exact.addPoint(Array.from(model.dense(s)), i);
  });
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const random = seededRandom(size);
  const hnswMs: number[] = [];
  const exactMs: number[] = [];
  let found = 0;
  const queries = 100;
  for (let q = -10; q < queries; q++) {
    const s = sparse[Math.floor(random() * sparse.length)];
    const dense = Array.from(model.dense(s));
    let t0 = performance.now();
    const approx = index.nearest(s, 10);
    const h = performance.now() - t0;
    t0 = performance.now();
    const truth = exact.searchKnn(dense, 10);
    const e = performance.now() - t0;
    if (q < 0) continue;
    hnswMs.push(h);
    exactMs.push(e);
    const kth = Math.max(...truth.distances);
    for (const entry of approx) {
      const d = 1 - dot(Float32Array.from(dense), model.dense(entry.sparse));
      if (d <= kth + 1e-5) found++;
    }
  }
  hnswMs.sort((a, b) => a - b);
  exactMs.sort((a, b) => a - b);
  return {
    size,
    recallAt10: found / (queries * 10),
    hnswP50Ms: percentile(hnswMs, 0.5),
    hnswP95Ms: percentile(hnswMs, 0.95),
    exactP50Ms: percentile(exactMs, 0.5),
    exactP95Ms: percentile(exactMs, 0.95),
    buildSeconds,
  };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function machineLine(): string {
  const m = machine();
  return `${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, node ${m.node}.`;
}

function machine(): Record<string, unknown> {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

function listRows(r: any): Row[] {
  const rows: Row[] = [];
  const l = r.list;
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;
  rows.push({ case: 'serving ceiling, REST bytes (node:http)', value: `${l['rest.serving'].rps.toFixed(0)} req/s` });
  rows.push({
    case: 'data ceiling, REST (node:http + pg, same SQL)',
    value: `${l['rest.data'].rps.toFixed(0)} req/s`,
    ratio: `${pct(l['rest.data'].rps, l['rest.serving'].rps)} of serving`,
  });
  rows.push({
    case: 'REST GET /incidents/?limit=50',
    value: `${l['rest.api'].rps.toFixed(0)} req/s, p50 ${l['rest.api'].p50} ms`,
    ratio: `${pct(l['rest.api'].rps, l['rest.data'].rps)} of data, ${pct(l['rest.api'].rps, l['rest.serving'].rps)} of serving`,
    target: '≥ 50% of data',
    ok: l['rest.api'].rps >= 0.5 * l['rest.data'].rps,
  });
  rows.push({ case: 'serving ceiling, GraphQL bytes', value: `${l['graphql.serving'].rps.toFixed(0)} req/s` });
  rows.push({
    case: 'data ceiling, GraphQL shape',
    value: `${l['graphql.data'].rps.toFixed(0)} req/s`,
    ratio: `${pct(l['graphql.data'].rps, l['graphql.serving'].rps)} of serving`,
  });
  rows.push({
    case: 'GraphQL incidents(limit: 50), same fields',
    value: `${l['graphql.api'].rps.toFixed(0)} req/s, p50 ${l['graphql.api'].p50} ms`,
    ratio: `${pct(l['graphql.api'].rps, l['graphql.data'].rps)} of data, ${pct(l['graphql.api'].rps, l['graphql.serving'].rps)} of serving`,
    target: '≥ 35% of data',
    ok: l['graphql.api'].rps >= 0.35 * l['graphql.data'].rps,
  });
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  if (l['rest.compressed.br']) {
    const cpuOf = (name: string) => `${l.serverCpuMsPerRequest[name].toFixed(2)} ms CPU`;
    rows.push({
      case: `REST list, ARGUS_COMPRESS_JSON=true, brotli (${kb(l.compressedBytes.restBr)} of ${kb(l.restBytes)})`,
      value: `${l['rest.compressed.br'].rps.toFixed(0)} req/s, ${cpuOf('rest.compressed.br')}`,
      ratio: `${pct(l['rest.compressed.br'].rps, l['rest.api'].rps)} of uncompressed (${cpuOf('rest.api')})`,
    });
    rows.push({
      case: `REST list, ARGUS_COMPRESS_JSON=true, gzip (${kb(l.compressedBytes.restGzip)})`,
      value: `${l['rest.compressed.gzip'].rps.toFixed(0)} req/s, ${cpuOf('rest.compressed.gzip')}`,
      ratio: `${pct(l['rest.compressed.gzip'].rps, l['rest.api'].rps)} of uncompressed`,
    });
    rows.push({
      case: `GraphQL list, ARGUS_COMPRESS_JSON=true, brotli (${kb(l.compressedBytes.graphqlBr)} of ${kb(l.graphqlBytes)})`,
      value: `${l['graphql.compressed.br'].rps.toFixed(0)} req/s, ${cpuOf('graphql.compressed.br')}`,
      ratio: `${pct(l['graphql.compressed.br'].rps, l['graphql.api'].rps)} of uncompressed (${cpuOf('graphql.api')})`,
    });
  }
  if (r.nested.error) rows.push({ case: 'nested GraphQL', value: 'failed (see JSON)' });
  else
    rows.push({
      case: 'nested GraphQL (50 × service, team, assignee, 10 timeline)',
      value: `${r.nested.statements} statements, ${r.nested.rps.toFixed(0)} req/s`,
      ratio: `${pct(r.nested.rps, l['graphql.data'].rps)} of list data ceiling`,
      target: '≤ 5 statements',
      ok: r.nested.statements <= 5,
    });
  return rows;
}

function listTable(r: any): string {
  return formatTable(listRows(r)) + `\n${r.machine.cpus} × ${r.machine.cpuModel}, node ${r.machine.node}.\n`;
}

function printTable(r: any, o: Options): void {
  const rows = listRows(r);
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;
  rows.push({
    case: 'incident creation end to end (REST, 10 conn.)',
    value: `${r.create.rps.toFixed(0)}/s, p50 ${r.create.p50} ms`,
    target: '≥ 300/s',
    ok: r.create.rps >= 300,
  });
  for (const x of r.ai.inProcess) {
    rows.push({
      case: `nearest 10 of ${x.size.toLocaleString('en')} vectors, HNSW vs exact (in-process)`,
      value: `${x.hnswP50Ms.toFixed(2)} vs ${x.exactP50Ms.toFixed(2)} ms p50`,
      ratio: `recall@10 ${x.recallAt10.toFixed(3)}, ${(x.exactP50Ms / x.hnswP50Ms).toFixed(0)}× faster`,
    });
  }
  for (const [label, size] of [
    ['medium', o.medium],
    ['large', o.large],
  ] as const) {
    const s = r.ai.api[`similar.${label}`];
    const k = r.ai.api[`classify.${label}`];
    rows.push({
      case: `similar incidents via API, ${size.toLocaleString('en')} incidents (HNSW)`,
      value: `p50 ${s.p50} ms, p97.5 ${s.p97_5} ms`,
    });
    rows.push({
      case: `classification via API, ${size.toLocaleString('en')} incidents`,
      value: `p50 ${k.p50} ms, p97.5 ${k.p97_5} ms`,
    });
  }
  rows.push(...analyticsRows(r.analytics));
  if (r.storm) rows.push(...stormRows(r.storm));
  rows.push({
    case: 'webhook delivery to a local receiver (poll 100 ms)',
    value: `${r.webhooks.perSecond.toFixed(0)}/s (${r.webhooks.deliveries} in ${r.webhooks.seconds.toFixed(1)} s)`,
  });
  rows.push({
    case: `server RSS, ${r.memory.indexedIncidents.toLocaleString('en')} incidents indexed, right after the AI cases`,
    value: `${r.memory.rssMb} MB (peak ${r.memory.peakMb} MB)`,
    target: '< 400 MB',
    ok: r.memory.rssMb < 400,
  });
  if (r.memory.settledRssMb !== undefined)
    rows.push({ case: `the same after ${SETTLE_SECONDS} s idle`, value: `${r.memory.settledRssMb} MB` });
  process.stdout.write(formatTable(rows));
  process.stdout.write(
    `\n${r.machine.cpus} × ${r.machine.cpuModel}, node ${r.machine.node}; ${o.seconds} s per throughput case, ${o.connections} connections.\n`,
  );
}

function formatTable(rows: Row[]): string {
  const header = ['case', 'measured', 'ratio', 'target'];
  const lines = rows.map((x) => [
    x.case,
    x.value,
    x.ratio ?? '',
    x.target ? `${x.target} ${x.ok ? 'met' : 'NOT MET'}` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l2) => l2[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return ['', fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n') + '\n';
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});

/**
 * The server's RSS while it stays idle after the AI cases, every 5 s for SETTLE_SECONDS: what the load left behind
 * that V8 gives back on its own (its memory reducer runs major collections in idle time), beside the figure read
 * right after the load.
 */
async function settle(pid: number): Promise<{ settledRssMb: number; settleTrace: number[] }> {
  const settleTrace: number[] = [];
  for (let waited = 0; waited < SETTLE_SECONDS; waited += 5) {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    settleTrace.push(memoryOf(pid).rssMb);
  }
  log(`RSS while idle after the AI cases, every 5 s: ${settleTrace.join(', ')} MB`);
  return { settledRssMb: settleTrace[settleTrace.length - 1], settleTrace };
}

/** The size on the wire of one answer asked for with `headers` (node:http: fetch would decode it). */
function encodedBytes(url: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: body ? 'POST' : 'GET', headers }, (res) => {
      let bytes = 0;
      if (!res.headers['content-encoding']) reject(new Error(`${url}: not compressed (${res.statusCode})`));
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve(bytes));
    });
    req.on('error', reject);
    req.end(body);
  });
}
