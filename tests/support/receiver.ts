import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSnakeCase } from './snake-case';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
}

export type Responder = (
  req: Received,
  index: number,
) => { status: number; headers?: Record<string, string>; body?: string; delayMs?: number };

/** A real local HTTP server that records what Argus sends it and answers as the test says. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  responder: Responder = () => ({ status: 200, body: 'ok' });
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const entry: Received = {
          path: req.url ?? '/',
          headers: req.headers,
          body,
          json: body ? safeJson(body) : undefined,
        };
        if (entry.json !== undefined)
          checkSnakeCase(`webhook ${entry.headers['webhook-id'] ?? ''} to ${entry.path}`, entry.json);
        const index = this.received.push(entry) - 1;
        const answer = this.responder(entry, index);
        const send = () => {
          res.writeHead(answer.status, answer.headers ?? {});
          res.end(answer.body ?? '');
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
