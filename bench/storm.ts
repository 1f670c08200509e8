import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { seededRandom } from '../tools/seeded-random.js';
import {
  cpuSecondsOf,
  databaseCpuSince,
  databaseCpuSnapshot,
  forkListening,
  json,
  percentile,
  startArgus,
  waitIdle,
} from './lib.js';
import { startCountingArgus } from './statements.js';

/**
 * The alert storm (`npm run bench -- --only storm`, and part of the full run): 20 webhook sources (8 generic signed
 * with Standard Webhooks, 6 Alertmanager and 6 Grafana with their bearer tokens), 300 dedup keys and notification
 * groups (15 per source; a group has 5 alerts), firing and resolved alerts interleaved (a generic delivery resolves
 * its key 5% of the time; each alert of a group notification is resolved 10% of the time), 5% of the deliveries sent
 * twice (the same webhook-id: an exact replay), 50 senders each with one request in flight, as fast as they are
 * answered. A 429 waits its Retry-After; anything else not 2xx is sent again after 100 ms. Then the same requests
 * against a bare node:http + pg ceiling that inserts each alert as a row (bench/storm-ceiling.ts).
 */
export interface StormOptions {
  databaseUrl: string;
  /** The server environment of the run; the storm's server keeps the default rate limits. */
  env: Record<string, string>;
  alerts: number;
  senders: number;
  log: (message: string) => void;
}

const SOURCES: Array<'generic' | 'alertmanager' | 'grafana'> = [
  ...Array<'generic'>(8).fill('generic'),
  ...Array<'alertmanager'>(6).fill('alertmanager'),
  ...Array<'grafana'>(6).fill('grafana'),
];
const KEYS_PER_SOURCE = 15;
const ALERTS_PER_GROUP = 5;
const PROBE_EVERY_MS = 200;

interface BenchSource {
  id: string;
  index: number;
  kind: 'generic' | 'alertmanager' | 'grafana';
  signingSecret?: string;
  bearerToken?: string;
}

interface Planned {
  source: BenchSource;
  webhookId: string;
  body: string;
  alerts: number;
  /** Dedup keys reported firing (what the incident's alert counts must add up to). */
  firing: number;
}

interface Sent {
  ok: number;
  statuses: Record<string, number>;
  latenciesMs: number[];
  /** The first acknowledgement of each webhook-id, with its firing alerts. */
  acknowledged: Map<string, number>;
  acceptedAlerts: number;
  seconds: number;
}

/** The deliveries of a storm of about `total` alerts, replays included, in an order and mix fixed by `seed`. */
function workload(sources: BenchSource[], total: number, seed: number): Planned[] {
  const random = seededRandom(seed);
  const planned: Planned[] = [];
  let alerts = 0;
  while (alerts < total * 0.95) {
    const source = sources[Math.floor(random() * sources.length)];
    const k = Math.floor(random() * KEYS_PER_SOURCE);
    if (source.kind === 'generic') {
      const resolve = random() < 0.05;
      const body = resolve
        ? { dedup_key: `key-${k}`, action: 'resolve' }
        : { title: `Region eu-west-1 failing: check ${k}`, severity: 'P2', dedup_key: `key-${k}` };
      planned.push({
        source,
        webhookId: `msg_${randomUUID()}`,
        body: JSON.stringify(body),
        alerts: 1,
        firing: resolve ? 0 : 1,
      });
      alerts += 1;
    } else {
      const statuses = Array.from({ length: ALERTS_PER_GROUP }, () => (random() < 0.1 ? 'resolved' : 'firing'));
      planned.push({
        source,
        webhookId: `msg_${randomUUID()}`,
        body: JSON.stringify(groupPayload(source, k, statuses)),
        alerts: ALERTS_PER_GROUP,
        firing: statuses.filter((s) => s === 'firing').length,
      });
      alerts += ALERTS_PER_GROUP;
    }
  }
  // About 5% sent again later, unchanged.
  const out = [...planned];
  for (const p of planned) if (random() < 0.05) out.splice(Math.floor(random() * out.length), 0, p);
  return out;
}

function groupPayload(source: BenchSource, k: number, statuses: string[]): Record<string, unknown> {
  const group = `{}:{alertname="RegionDown",check="${k}"}`;
  const firing = statuses.some((s) => s === 'firing');
  return {
    ...(source.kind === 'alertmanager' ? { version: '4' } : {}),
    receiver: 'argus',
    status: firing ? 'firing' : 'resolved',
    groupKey: group,
    groupLabels: { alertname: 'RegionDown', check: String(k) },
    commonLabels: { alertname: 'RegionDown', severity: 'critical' },
    externalURL: 'http://alertmanager.example.com',
    alerts: statuses.map((status, i) => ({
      status,
      labels: { alertname: 'RegionDown', check: String(k), instance: `node-${i}.eu-west-1`, severity: 'critical' },
      annotations: {
        summary: `Region eu-west-1 unreachable from node-${i}`,
        description: 'Probes time out from every zone.',
      },
      startsAt: '2026-12-07T08:00:00Z',
      endsAt: status === 'resolved' ? '2026-12-07T08:05:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example.com/graph',
      fingerprint: `${source.index}-${k}-${i}`,
    })),
  };
}

/** The last notification of every key and group: all of it resolved. */
function resolveAll(sources: BenchSource[]): Planned[] {
  return sources.flatMap((source) =>
    Array.from({ length: KEYS_PER_SOURCE }, (_, k): Planned => {
      const body =
        source.kind === 'generic'
          ? { dedup_key: `key-${k}`, action: 'resolve' }
          : groupPayload(source, k, Array<string>(ALERTS_PER_GROUP).fill('resolved'));
      return {
        source,
        webhookId: `msg_${randomUUID()}`,
        body: JSON.stringify(body),
        alerts: source.kind === 'generic' ? 1 : ALERTS_PER_GROUP,
        firing: 0,
      };
    }),
  );
}

function headersOf(p: Planned): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'webhook-id': p.webhookId };
  if (p.source.signingSecret) {
    const at = new Date();
    headers['webhook-timestamp'] = String(Math.floor(at.getTime() / 1000));
    headers['webhook-signature'] = new Webhook(p.source.signingSecret).sign(p.webhookId, at, p.body);
  } else {
    headers.authorization = `Bearer ${p.source.bearerToken}`;
  }
  return headers;
}

/** `senders` senders, one request in flight each, through `deliveries`; every delivery is sent until acknowledged. */
async function send(baseUrl: string, deliveries: Planned[], senders: number): Promise<Sent> {
  const sent: Sent = { ok: 0, statuses: {}, latenciesMs: [], acknowledged: new Map(), acceptedAlerts: 0, seconds: 0 };
  let next = 0;
  const started = performance.now();
  const sender = async () => {
    while (next < deliveries.length) {
      const p = deliveries[next++];
      for (let tries = 0; tries < 100; tries++) {
        const t = performance.now();
        let status = 0;
        let retryAfter = 1;
        try {
          const res = await fetch(`${baseUrl}/api/v1/webhook-sources/${p.source.id}/alerts`, {
            method: 'POST',
            headers: headersOf(p),
            body: p.body,
          });
          await res.arrayBuffer();
          status = res.status;
          retryAfter = Number(res.headers.get('retry-after') ?? 1);
        } catch {
          status = 0;
        }
        sent.statuses[status] = (sent.statuses[status] ?? 0) + 1;
        if (status >= 200 && status < 300) {
          sent.latenciesMs.push(performance.now() - t);
          sent.ok++;
          sent.acceptedAlerts += p.alerts;
          if (!sent.acknowledged.has(p.webhookId)) sent.acknowledged.set(p.webhookId, p.firing);
          break;
        }
        if (status >= 400 && status < 500 && status !== 429) break;
        await new Promise((r) => setTimeout(r, status === 429 ? Math.min(30, retryAfter) * 1000 : 100));
      }
    }
  };
  await Promise.all(Array.from({ length: senders }, sender));
  sent.seconds = (performance.now() - started) / 1000;
  sent.latenciesMs.sort((a, b) => a - b);
  return sent;
}

/** GET `path` every PROBE_EVERY_MS until stopped: the latencies of what the rest of the API answers meanwhile. */
function probe(
  url: string,
  headers: Record<string, string> = {},
): { stop(): Promise<{ p50: number; p99: number; max: number; n: number; failed: number }> } {
  let running = true;
  const latencies: number[] = [];
  let failed = 0;
  const done = (async () => {
    while (running) {
      const t = performance.now();
      const ok = await fetch(url, { headers }).then(
        (r) => r.arrayBuffer().then(() => r.ok),
        () => false,
      );
      latencies.push(performance.now() - t);
      if (!ok) failed++;
      await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      latencies.sort((a, b) => a - b);
      return {
        p50: round(percentile(latencies, 0.5)),
        p99: round(percentile(latencies, 0.99)),
        max: round(latencies[latencies.length - 1]),
        n: latencies.length,
        failed,
      };
    },
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

function summary(sent: Sent, cpuSeconds: number, dbCpuSeconds: number) {
  return {
    requests: sent.ok,
    acceptedAlerts: sent.acceptedAlerts,
    seconds: round(sent.seconds),
    alertsPerSecond: round(sent.acceptedAlerts / sent.seconds),
    p50Ms: round(percentile(sent.latenciesMs, 0.5)),
    p99Ms: round(percentile(sent.latenciesMs, 0.99)),
    statuses: sent.statuses,
    cpuMsPerAlert: round2((cpuSeconds * 1000) / sent.acceptedAlerts),
    databaseCpuMsPerAlert: round2((dbCpuSeconds * 1000) / sent.acceptedAlerts),
  };
}

export async function stormCase(o: StormOptions): Promise<Record<string, any>> {
  const env = {
    ...o.env,
    ARGUS_RATE_LIMIT_PER_IP: '120',
    ARGUS_RATE_LIMIT_PER_USER: '600',
    ARGUS_WEBHOOK_POLL_MS: '0',
  };
  const argus = await startArgus(env);
  const db = new Client({ connectionString: o.databaseUrl });
  await db.connect();
  try {
    const api = `${argus.url}/api/v1`;
    const owner = { email: 'owner@storm.bench', password: 'bench password 123' };
    const signup = await json(`${api}/auth/signup`, { body: { ...owner, name: 'Owner', organization_name: 'storm' } });
    if (signup.status !== 202) throw new Error(`signup failed: ${signup.text}`);
    // Sign-up answers no token: the new owner signs in.
    const signedIn = await json(`${api}/auth/login`, { body: owner });
    if (signedIn.status !== 200) throw new Error(`login failed: ${signedIn.text}`);
    const token = signedIn.body.access_token as string;
    const organizationId = (await db.query('select organization_id from users where id = $1', [signedIn.body.user.id]))
      .rows[0].organization_id as string;
    const sources: BenchSource[] = [];
    for (const [index, kind] of SOURCES.entries()) {
      const r = await json(`${api}/webhook-sources/`, { token, body: { name: `${kind} ${index}`, kind } });
      if (r.status !== 201) throw new Error(`webhook source: ${r.text}`);
      sources.push({
        id: r.body.id,
        index,
        kind,
        signingSecret: r.body.signing_secret ?? undefined,
        bearerToken: r.body.bearer_token ?? undefined,
      });
    }
    const acknowledged = new Map<string, number>();
    const remember = (s: Sent) => s.acknowledged.forEach((firing, id) => acknowledged.set(id, firing));

    // Warm-up: JIT, pools, the organization's first classification (its model fit).
    remember(await send(argus.url, workload(sources, 400, 1), 10));
    await waitIdle(argus.url, 25, 120_000, argus.child.pid);

    const deliveries = workload(sources, o.alerts, 2);
    o.log(
      `storm: ${deliveries.length} requests, ${deliveries.reduce((n, p) => n + p.alerts, 0)} alerts, ${o.senders} senders`,
    );
    const healthz = probe(`${argus.url}/healthz`);
    const list = probe(`${api}/incidents/?limit=50`, { authorization: `Bearer ${token}` });
    const cpu = cpuSecondsOf(argus.child.pid!);
    const dbCpu = await databaseCpuSnapshot(db);
    const storm = await send(argus.url, deliveries, o.senders);
    const cpuSeconds = cpuSecondsOf(argus.child.pid!) - cpu;
    const dbCpuSeconds = await databaseCpuSince(db, dbCpu);
    const probes = { healthz: await healthz.stop(), incidentList: await list.stop() };
    remember(storm);
    const result: Record<string, any> = { argus: summary(storm, cpuSeconds, dbCpuSeconds), probes };
    o.log(`storm: ${JSON.stringify(result)}`);

    // Correctness at full scale.
    const duplicates = await db.query(
      `select count(*)::int as n from (select a.source_id, coalesce(a.group_key, a.dedup_key) from alerts a join incidents i on i.id = a.incident_id
        where a.organization_id = $1 and i.status not in ('resolved', 'closed') group by 1, 2 having count(distinct a.incident_id) > 1) d`,
      [organizationId],
    );
    const counted = await db.query(
      'select coalesce(sum(occurrences), 0)::int as n from alerts where organization_id = $1',
      [organizationId],
    );
    const expected = [...acknowledged.values()].reduce((a, b) => a + b, 0);
    remember(await send(argus.url, resolveAll(sources), o.senders));
    const open = await db.query(
      `select count(*)::int as n from incidents where organization_id = $1 and status not in ('resolved', 'closed')`,
      [organizationId],
    );
    const resolvedTwice = await db.query(
      `select count(*)::int as n from incidents i where i.organization_id = $1 and
        (select count(*) from incident_events e where e.incident_id = i.id and e.type = 'status_changed' and e.data->>'to' = 'resolved') <> 1`,
      [organizationId],
    );
    const incidents = await db.query('select count(*)::int as n from incidents where organization_id = $1', [
      organizationId,
    ]);
    result.correctness = {
      keysWithTwoOpenIncidents: duplicates.rows[0].n,
      alertsCounted: counted.rows[0].n,
      alertsAcknowledgedFiring: expected,
      serverErrors: Object.entries(storm.statuses)
        .filter(([s]) => Number(s) >= 500)
        .reduce((n, [, c]) => n + c, 0),
      openAfterResolvingAll: open.rows[0].n,
      incidentsNotResolvedExactlyOnce: resolvedTwice.rows[0].n,
      incidents: incidents.rows[0].n,
    };
    o.log(`storm correctness: ${JSON.stringify(result.correctness)}`);

    // Statements per alert, counted in a second, in-process Argus with the query logger on (a sample of the same mix).
    const counting = await startCountingArgus({ ...env, DATABASE_URL: o.databaseUrl });
    const sample = workload(sources, 1000, 3);
    await send(counting.url, sample.slice(0, 20), 5);
    const rest = sample.slice(20);
    let sampleSent: Sent | undefined;
    const statements = await counting.count(async () => {
      sampleSent = await send(counting.url, rest, 10);
    });
    await counting.close();
    result.argus.statementsPerAlert = round2(statements.statements / sampleSent!.acceptedAlerts);

    // The ceiling: the same kind of storm, new deliveries.
    const ceiling = await forkListening(join(__dirname, 'storm-ceiling.js'), {
      BENCH_STORM_CEILING: JSON.stringify({ databaseUrl: o.databaseUrl }),
    });
    const ceilingUrl = `http://127.0.0.1:${ceiling.port}`;
    await send(ceilingUrl, workload(sources, 400, 4), 10);
    const before = (await json(`${ceilingUrl}/stats`)).body.statements as number;
    const ceilingCpu = cpuSecondsOf(ceiling.child.pid!);
    const ceilingDbCpu = await databaseCpuSnapshot(db);
    const bare = await send(ceilingUrl, workload(sources, o.alerts, 2), o.senders);
    const bareCpu = cpuSecondsOf(ceiling.child.pid!) - ceilingCpu;
    const bareDbCpu = await databaseCpuSince(db, ceilingDbCpu);
    const ceilingStatements = (await json(`${ceilingUrl}/stats`)).body.statements - before;
    await ceiling.stop();
    result.ceiling = {
      ...summary(bare, bareCpu, bareDbCpu),
      statementsPerAlert: round2(ceilingStatements / bare.acceptedAlerts),
    };
    result.ratio = round((100 * result.argus.alertsPerSecond) / result.ceiling.alertsPerSecond);
    o.log(`storm ceiling: ${JSON.stringify(result.ceiling)}; Argus at ${result.ratio}% of it`);
    return result;
  } finally {
    await db.end();
    await argus.stop();
  }
}

export function stormRows(
  r: Record<string, any>,
): Array<{ case: string; value: string; ratio?: string; target?: string; ok?: boolean }> {
  const a = r.argus;
  const c = r.ceiling;
  const ok = r.correctness;
  const correct =
    ok.keysWithTwoOpenIncidents === 0 &&
    ok.alertsCounted === ok.alertsAcknowledgedFiring &&
    ok.serverErrors === 0 &&
    ok.openAfterResolvingAll === 0 &&
    ok.incidentsNotResolvedExactlyOnce === 0;
  const refused = (s: Record<string, number>) =>
    Object.entries(s)
      .filter(([k]) => k !== '202')
      .map(([k, v]) => `${v}× ${k}`)
      .join(', ') || 'none';
  return [
    {
      case: `alert storm: ${a.acceptedAlerts.toLocaleString('en')} alerts, 20 sources, 50 senders`,
      value: `${a.alertsPerSecond.toFixed(0)} alerts/s in ${a.seconds} s, p50 ${a.p50Ms} ms, p99 ${a.p99Ms} ms`,
      ratio: `${r.ratio}% of the ceiling`,
      target: '≥ 833 alerts/s (50 000 a minute)',
      ok: a.alertsPerSecond >= 833,
    },
    {
      case: 'alert storm: per alert (Argus / ceiling)',
      value: `${a.cpuMsPerAlert} / ${c.cpuMsPerAlert} ms CPU, ${a.databaseCpuMsPerAlert} / ${c.databaseCpuMsPerAlert} ms PostgreSQL CPU, ${a.statementsPerAlert} / ${c.statementsPerAlert} statements`,
    },
    {
      case: 'alert storm ceiling (node:http + pg, a row per alert)',
      value: `${c.alertsPerSecond.toFixed(0)} alerts/s, p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms`,
    },
    { case: 'alert storm: answers other than 202 (each sent again)', value: refused(a.statuses) },
    {
      case: 'alert storm: /healthz during the storm',
      value: `p50 ${r.probes.healthz.p50} ms, p99 ${r.probes.healthz.p99} ms, max ${r.probes.healthz.max} ms`,
      target: 'p99 ≤ 250 ms',
      ok: r.probes.healthz.p99 <= 250,
    },
    {
      case: 'alert storm: incident list (50) during the storm',
      value: `p50 ${r.probes.incidentList.p50} ms, p99 ${r.probes.incidentList.p99} ms, max ${r.probes.incidentList.max} ms`,
      target: 'p99 ≤ 1000 ms',
      ok: r.probes.incidentList.p99 <= 1000,
    },
    {
      case: 'alert storm: correctness',
      value: `${ok.incidents} incidents; ${ok.keysWithTwoOpenIncidents} keys with two open; ${ok.alertsCounted} of ${ok.alertsAcknowledgedFiring} firing alerts counted; ${ok.incidentsNotResolvedExactlyOnce} not resolved exactly once`,
      target: 'all hold',
      ok: correct,
    },
  ];
}
