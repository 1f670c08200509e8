import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';

/**
 * The alert storm's ceiling, in a process of its own (run by bench/storm.ts): bare node:http + pg, a pool of 10 as
 * Argus has, taking the very requests the storm sends to Argus. It reads the body, parses the JSON, and inserts each
 * alert as a row (one multi-row insert per request), then answers 202. Nothing else: no verification, no replay
 * check, no incident. `GET /stats` answers the statements it ran. BENCH_STORM_CEILING: `{"databaseUrl"}`.
 */
export const CEILING_TABLE = 'bench_storm_ceiling_alerts';

async function main(): Promise<void> {
  const { databaseUrl } = JSON.parse(process.env.BENCH_STORM_CEILING ?? '{}') as { databaseUrl: string };
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(
    `create table if not exists ${CEILING_TABLE} (id bigserial primary key, source_id text not null, webhook_id text, dedup_key text not null, status text not null, alert jsonb not null, received_at timestamptz not null default now())`,
  );
  let statements = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ statements }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        try {
          const sourceId = /\/webhook-sources\/([^/]+)\/alerts/.exec(req.url ?? '')?.[1] ?? '';
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            alerts?: Array<Record<string, unknown>>;
            dedup_key?: string;
            action?: string;
          };
          const alerts = Array.isArray(body.alerts)
            ? body.alerts.map((a) => ({ key: String(a.fingerprint), status: String(a.status), alert: a }))
            : [{ key: String(body.dedup_key), status: body.action === 'resolve' ? 'resolved' : 'firing', alert: body }];
          const webhookId = req.headers['webhook-id'] ?? null;
          statements++;
          await pool.query(
            `insert into ${CEILING_TABLE} (source_id, webhook_id, dedup_key, status, alert) select $1, $2, * from unnest($3::text[], $4::text[], $5::jsonb[])`,
            [
              sourceId,
              webhookId,
              alerts.map((a) => a.key),
              alerts.map((a) => a.status),
              alerts.map((a) => JSON.stringify(a.alert)),
            ],
          );
          res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: alerts.length }));
        } catch (error) {
          res.writeHead(500).end(String(error));
        }
      })();
    });
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('SIGTERM', () => {
    server.close();
    void pool.end().then(() => process.exit(0));
  });
}

void main();
