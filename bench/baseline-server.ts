import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';

/**
 * The two ceilings the API is measured against, in a process of its own (run by bench/run.ts):
 * - serving ceiling: bare node:http answering with the very bytes the API answered (no work at all);
 * - data ceiling: bare node:http + pg running the same list SQL (page + count) and JSON.stringify, nothing else.
 * Config comes as JSON in BENCH_BASELINE (see BaselineConfig).
 */
export interface BaselineConfig {
  databaseUrl: string;
  organizationId: string;
  limit: number;
  /** The select list of one item, REST shape (snake_case keys) and GraphQL shape (camelCase keys). */
  restColumns: string;
  graphqlColumns: string;
  restBytesFile: string;
  graphqlBytesFile: string;
}

const toCamel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** The select list that yields one list item with exactly the API's keys, snake_case (REST) or camelCase (GraphQL). */
export function selectList(restKeys: string[], casing: 'snake' | 'camel'): string {
  return restKeys
    .map((k) => `${k === 'key' ? `'INC-' || number` : `"${k}"`} as "${casing === 'snake' ? k : toCamel(k)}"`)
    .join(', ');
}

export function pageSql(columns: string): string {
  return `select ${columns} from incidents where organization_id = $1 order by created_at desc, id desc limit $2`;
}
export const COUNT_SQL = 'select count(*)::int as total from incidents where organization_id = $1';

function cursorOf(row: Record<string, unknown> | undefined, createdAtKey: string): string | null {
  if (!row) return null;
  const v = row[createdAtKey] instanceof Date ? (row[createdAtKey] as Date).toISOString() : row[createdAtKey];
  return Buffer.from(JSON.stringify({ s: '-createdAt', v, id: row.id })).toString('base64url');
}

export async function startBaselineServer(config: BaselineConfig): Promise<{ port: number; close(): Promise<void> }> {
  const pool = new Pool({ connectionString: config.databaseUrl, max: 10 });
  const restBytes = readFileSync(config.restBytesFile);
  const graphqlBytes = readFileSync(config.graphqlBytesFile);
  const restSql = pageSql(config.restColumns);
  const graphqlSql = pageSql(config.graphqlColumns);

  async function page(sql: string, createdAtKey: string) {
    const [rows, count] = await Promise.all([
      pool.query(sql, [config.organizationId, config.limit + 1]),
      pool.query(COUNT_SQL, [config.organizationId]),
    ]);
    const items = rows.rows.slice(0, config.limit);
    const nextCursor = rows.rows.length > config.limit ? cursorOf(items[items.length - 1], createdAtKey) : null;
    return { items, total: count.rows[0].total as number, nextCursor };
  }

  const send = (res: ServerResponse, body: string | Buffer) => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
  const drain = (req: IncomingMessage) =>
    new Promise<void>((resolve) => req.on('data', () => undefined).on('end', resolve));

  const server = createServer(async (req, res) => {
    try {
      await drain(req);
      switch (req.url?.split('?')[0]) {
        case '/serve/rest':
          return send(res, restBytes);
        case '/serve/graphql':
          return send(res, graphqlBytes);
        case '/data/rest': {
          const p = await page(restSql, 'created_at');
          return send(res, JSON.stringify({ items: p.items, total: p.total, next_cursor: p.nextCursor }));
        }
        case '/data/graphql': {
          const p = await page(graphqlSql, 'createdAt');
          return send(
            res,
            JSON.stringify({ data: { incidents: { total: p.total, nextCursor: p.nextCursor, items: p.items } } }),
          );
        }
        default:
          res.writeHead(404).end();
      }
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

if (require.main === module) {
  const config = JSON.parse(process.env.BENCH_BASELINE ?? '{}') as BaselineConfig;
  startBaselineServer(config).then(
    ({ port }) => process.send?.({ port }),
    (error: unknown) => {
      process.stderr.write(`baseline server failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
