import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../../src/config/env.js';
import { ormOptions } from '../../src/app/mikro-orm.config.js';
import { migrate } from '../../src/db/migrate.js';
import { createApp } from '../../src/app/app.js';
import { createLogger } from '../../src/core/logger.js';
import { SeverityPrior, type SeverityPriorArtefact } from '../../src/ai/classify/severity-prior.js';
import { SEVERITY_LABELS, severityIndex } from '../../src/ai/classify/severity-labels.js';
import { type ClassificationReport, evaluatePredictions } from '../metrics.js';
import { type DatasetIncident, type SourceSplit, serviceName } from './dataset.js';

/** What the API answered for one source: warm (history imported, refits settled), right after the import, and cold. */
export interface ServedResult {
  source: string;
  /** The organization's history imported through POST /incidents/import, the model settled (no refit pending). */
  served: ClassificationReport;
  /** The settled answers, incident by incident (P1 = 0), to compare with the offline ones. */
  servedAnswers: number[];
  /** Classified right after the import, before any refit (the neighbours see the history, the regression not yet). */
  unsettled: ClassificationReport;
  /** A new organization with no history (the day-one prior alone). */
  cold: ClassificationReport;
  importMs: number;
  settleMs: number;
}

/**
 * The database the served evaluation writes: EVAL_DATABASE_URL, else DATABASE_URL's server with its database name +
 * `_eval`; its name must end with `_eval`, because it is dropped and created again.
 */
export function evalDatabaseUrl(): string {
  if (process.env.EVAL_DATABASE_URL) return process.env.EVAL_DATABASE_URL;
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/argus');
  base.pathname = `${base.pathname.slice(1) || 'argus'}_eval`;
  return base.toString();
}

async function resetDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^\w+_eval$/.test(name))
    throw new Error(`Refusing to drop ${name}: the served evaluation's database name must end with _eval`);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
}

/** One request to the API; `T` is the body the caller expects (undefined when the response has none). */
async function call<T = unknown>(
  url: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

function row(i: DatasetIncident) {
  return {
    external_id: i.id,
    title: i.title.slice(0, 300) || '(untitled)',
    description: i.description?.slice(0, 20000) ?? null,
    severity: i.severity,
    started_at: i.startedAt.toISOString(),
    resolved_at: i.startedAt.toISOString(),
    service: serviceName(i),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Per source, through the HTTP API of a real Argus on a real PostgreSQL: an organization is created, its history (the
 * earlier incidents) is imported with POST /incidents/import, and the later incidents are classified with POST
 * /ai/classify (text and service, as a caller would send them): once right after the import, and again after the
 * background refit has settled (GET /ai/model-status says no refit is pending). A second, empty organization gives the
 * cold start. Each source gets its own app with the prior rebuilt without its test period (as the offline evaluation).
 */
export async function evaluateServed(
  splits: SourceSplit[],
  priorFor: (split: SourceSplit) => SeverityPriorArtefact,
  databaseUrl: string,
): Promise<ServedResult[]> {
  await resetDatabase(databaseUrl);
  const results: ServedResult[] = [];
  const labels = [...SEVERITY_LABELS];
  for (const split of splits) {
    if (!split.train.length || !split.test.length) continue;
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      ARGUS_JWT_SECRET: 'eval-secret-eval-secret-eval-secret-0123456789',
      LOG_LEVEL: 'silent',
      ARGUS_DEMO_DATA: 'false',
      ARGUS_RATE_LIMIT_PER_USER: '0',
      ARGUS_RATE_LIMIT_PER_IP: '0',
      ARGUS_SLA_CHECK_INTERVAL_SECONDS: '0',
      ARGUS_WEBHOOK_POLL_MS: '0',
      ARGUS_EMBEDDING_JOB_INTERVAL_SECONDS: '0',
    });
    const orm = await MikroORM.init(ormOptions(databaseUrl));
    await migrate(orm);
    const app = await createApp(config, orm, createLogger('silent'), {
      severityPrior: new SeverityPrior(priorFor(split)),
    });
    const server: Server = createServer(app.express);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const signup = async (name: string) => {
        const suffix = `${split.source.replace(/\W/g, '')}-${name}`;
        const res = await call(url, 'POST', '/auth/signup', null, {
          email: `eval@${suffix}.example`,
          password: 'evaluation password 1',
          name: 'Evaluation',
          organization_name: suffix,
        });
        if (res.status !== 202) throw new Error(`signup failed: ${JSON.stringify(res.body)}`);
        // Sign-up answers no token: the new owner signs in.
        const signedIn = await call<{ access_token: string }>(url, 'POST', '/auth/login', null, {
          email: `eval@${suffix}.example`,
          password: 'evaluation password 1',
        });
        if (signedIn.status !== 200) throw new Error(`login failed: ${JSON.stringify(signedIn.body)}`);
        return signedIn.body.access_token;
      };
      const token = await signup('warm');
      const coldToken = await signup('cold');
      // The organization used Argus before importing: its (empty) model is loaded, as in a running server.
      await call(url, 'POST', '/ai/classify', token, { title: split.test[0].title.slice(0, 300) || '(untitled)' });
      const started = Date.now();
      for (let from = 0; from < split.train.length; from += 5000) {
        const res = await call<{ failed: number }>(
          url,
          'POST',
          '/incidents/import',
          token,
          split.train.slice(from, from + 5000).map(row),
        );
        if (res.status !== 201 || res.body.failed)
          throw new Error(`import failed: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
      }
      const importMs = Date.now() - started;
      // Every service name of the source is in the catalog, as in the offline evaluation (a name is not a label).
      const services = new Map<string, string>();
      for (let cursor: string | null = ''; cursor !== null;) {
        const page: {
          status: number;
          body: { items: Array<{ id: string; name: string }>; next_cursor: string | null };
        } = await call(
          url,
          'GET',
          `/services?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          token,
        );
        if (page.status !== 200) throw new Error(`listing services failed: ${page.status}`);
        for (const s of page.body.items) services.set(s.name.toLowerCase(), s.id);
        cursor = page.body.next_cursor;
      }
      for (const name of new Set(split.test.map(serviceName).filter((s): s is string => !!s))) {
        if (services.has(name.toLowerCase())) continue;
        const made = await call<{ id: string }>(url, 'POST', '/services', token, { name });
        if (made.status !== 201)
          throw new Error(`creating service ${name} failed: ${made.status} ${JSON.stringify(made.body)}`);
        services.set(name.toLowerCase(), made.body.id);
      }
      const classifyAll = async (as: string) => {
        const answers: Array<{ severity: string; confidence: number }> = [];
        for (const incident of split.test) {
          const serviceId = services.get(serviceName(incident)?.toLowerCase() ?? '');
          const res = await call<{ severity: string; confidence: number }>(url, 'POST', '/ai/classify', as, {
            title: incident.title.slice(0, 300) || '(untitled)',
            description: incident.description?.slice(0, 20000) ?? null,
            ...(serviceId && as === token ? { service_id: serviceId } : {}),
          });
          if (res.status !== 200) throw new Error(`classify failed: ${res.status} ${JSON.stringify(res.body)}`);
          answers.push(res.body);
        }
        return answers;
      };
      const truth = split.test.map((i) => severityIndex(i.severity));
      const report = (answers: Array<{ severity: string; confidence: number }>) =>
        evaluatePredictions(
          truth,
          answers.map((a) => severityIndex(a.severity as DatasetIncident['severity'])),
          answers.map((a) => a.confidence),
          labels,
        );
      const unsettled = report(await classifyAll(token));
      const settleStart = Date.now();
      for (;;) {
        const status = await call<{ refit_pending: boolean; trained_on: number; history_size: number } | undefined>(
          url,
          'GET',
          '/ai/model-status',
          token,
        );
        if (status.body && !status.body.refit_pending && status.body.trained_on === status.body.history_size) break;
        if (Date.now() - settleStart > 300_000)
          throw new Error(`the model did not settle: ${JSON.stringify(status.body)}`);
        await sleep(1000);
      }
      const settleMs = Date.now() - settleStart;
      const settled = await classifyAll(token);
      const served = report(settled);
      const servedAnswers = settled.map((a) => severityIndex(a.severity as DatasetIncident['severity']));
      const cold = report(await classifyAll(coldToken));
      results.push({ source: split.source, served, servedAnswers, unsettled, cold, importMs, settleMs });
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await app.stop();
      await orm.close(true);
    }
  }
  return results;
}
