import { createServer, request, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal load balancer in front of several Argus processes: each request goes to the next upstream in turn, with
 * the client's address appended to X-Forwarded-For as nginx's `$proxy_add_x_forwarded_for` does.
 */
export class RoundRobinProxy {
  /** Which upstream (by index) answered each request, in order. */
  readonly served: number[] = [];
  private next = 0;
  private server?: Server;
  url = '';

  constructor(private readonly upstreams: string[]) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const index = this.next++ % this.upstreams.length;
      this.served.push(index);
      const target = new URL(req.url ?? '/', this.upstreams[index]);
      const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
      const upstream = request(
        target,
        {
          method: req.method,
          headers: { ...req.headers, host: target.host, 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': 'http' },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
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
