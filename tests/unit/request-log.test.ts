import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino from 'pino';
import { requestLog } from '../../src/api/http/request-log';

function serve(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const app = express();
  app.use(requestLog(log, (req) => req.url === '/healthz', new Set(['ok'])));
  app.get('/ok', (_req, res) => res.json({ ok: true }));
  app.get('/healthz', (_req, res) => res.json({ ok: true }));
  app.get('/fails', (req, res) => {
    req.log.error({ detail: 'x' }, 'handler failed');
    res.status(500).json({});
  });
  app.use((_req, res) => res.status(404).json({}));
  return new Promise<{ url: string; lines: typeof lines; server: Server }>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines, server }),
    );
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('requestLog', () => {
  it('logs completed requests by status at the enabled levels, with the request id, and never the quiet ones', async () => {
    const { url, lines, server } = await serve('info');
    const ok = await fetch(`${url}/ok?x=1`, { headers: { 'x-request-id': 'trace-1', authorization: 'Bearer secret' } });
    await fetch(`${url}/missing`);
    await fetch(`${url}/healthz`);
    await settle();
    server.close();
    expect(ok.headers.get('x-request-id')).toBe('trace-1');
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(
      completed.map((l) => [l.level, (l.req as { url: string }).url, (l.res as { statusCode: number }).statusCode]),
    ).toEqual([
      [30, '/ok?x', 200],
      [40, '/:value', 404],
    ]);
    expect((completed[0].req as { id: string }).id).toBe('trace-1');
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('at warn, logs failures only; req.log carries the request id; an unusable id is replaced', async () => {
    const { url, lines, server } = await serve('warn');
    await fetch(`${url}/ok`);
    const failed = await fetch(`${url}/fails`, { headers: { 'x-request-id': 'not ok!' } });
    await settle();
    server.close();
    const id = failed.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.map((l) => [l.msg, l.level])).toEqual([
      ['handler failed', 50],
      ['request completed', 50],
    ]);
    expect(lines[0].reqId).toBe(id);
  });
});
