import { Client } from 'pg';
import type { Logger } from 'pino';
import { INDEX_CHANNEL, IndexChange, decodeIndexChange } from './index-changes.js';

/** The application_name of the listening connection (visible in pg_stat_activity). */
export const LISTENER_APPLICATION_NAME = 'argus-similar-listener';

export interface IndexListenerHandlers {
  /** A committed change, in commit order. */
  change(change: IndexChange): void;
  /**
   * Changes may have been missed (the connection dropped, or it was just re-established): follow from the database
   * again.
   */
  resync(reason: string): void;
}

export interface IndexListenerOptions {
  /** First reconnect delay; doubles up to `maxRetryMs`. */
  retryMs: number;
  maxRetryMs: number;
  /** How often the idle connection is checked with a query (a dead peer that sent no FIN is found this way). */
  heartbeatMs: number;
}

const DEFAULT_OPTIONS: IndexListenerOptions = { retryMs: 100, maxRetryMs: 5000, heartbeatMs: 30_000 };

/**
 * A dedicated PostgreSQL connection (outside the pool: LISTEN belongs to a session) that LISTENs on the index channel
 * and hands every change to the similar-incident service. It reconnects on its own; every drop and every reconnect is
 * reported as a resync, since notifications sent while it was away are lost for good.
 */
export class IndexChangeListener {
  private client: Client | null = null;
  private closed = false;
  private retryMs: number;
  private retryTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private readonly options: IndexListenerOptions;
  /** True while LISTEN is in effect. */
  connected = false;

  constructor(
    private readonly connectionString: string,
    private readonly handlers: IndexListenerHandlers,
    private readonly log: Logger,
    options: Partial<IndexListenerOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.retryMs = this.options.retryMs;
  }

  /** Resolves once LISTEN is in effect, or after the first failure (it keeps retrying in the background then). */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = null;
    this.connected = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({
      connectionString: this.connectionString,
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
    });
    client.on('notification', (message) => {
      if (message.channel !== INDEX_CHANNEL) return;
      const change = decodeIndexChange(message.payload);
      if (change) this.handlers.change(change);
      else this.log.warn({ payload: message.payload?.slice(0, 200) }, 'unreadable similar-index notification ignored');
    });
    // 'error' and 'end' both come when the server ends the session (pg_terminate_backend, restart, network).
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${INDEX_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.closed || this.client !== client) return;
    this.connected = true;
    this.retryMs = this.options.retryMs;
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      // A peer gone without a word leaves the query unanswered: no answer within the interval counts as lost.
      const silence = setTimeout(() => this.lost(client, new Error('heartbeat unanswered')), this.options.heartbeatMs);
      silence.unref();
      client.query('select 1').then(
        () => clearTimeout(silence),
        (error: unknown) => {
          clearTimeout(silence);
          this.lost(client, error);
        },
      );
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
    // Whatever committed while no connection listened is unknown: every index follows the database again.
    this.handlers.resync('listening');
  }

  private lost(client: Client, error?: unknown): void {
    if (this.client !== client) return; // an old connection's late event
    this.client = null;
    this.connected = false;
    clearInterval(this.heartbeat);
    client.removeAllListeners('notification');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.log.warn({ err: error, retryMs: this.retryMs }, 'similar-index listener lost its connection; reconnecting');
    this.handlers.resync('connection lost');
    const wait = this.retryMs;
    this.retryMs = Math.min(this.options.maxRetryMs, this.retryMs * 2);
    this.retryTimer = setTimeout(() => void this.connect(), wait);
    this.retryTimer.unref();
  }
}
