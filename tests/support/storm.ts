import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A webhook source as a sender knows it: where to post and the secret to sign with or the token to send. */
export interface StormSource {
  id: string;
  kind: 'generic' | 'alertmanager' | 'grafana';
  signingSecret?: string;
  bearerToken?: string;
}

/**
 * One notification, its bytes and headers fixed when built: sending it twice is an exact replay (same webhook-id,
 * timestamp, signature and body), as a sender's retry of an unacknowledged delivery is.
 */
export interface Delivery {
  source: StormSource;
  webhookId: string;
  body: string;
  headers: Record<string, string>;
  /** Dedup keys this notification reports firing / resolved. */
  firing: string[];
  resolved: string[];
}

function build(source: StormSource, payload: object, firing: string[], resolved: string[]): Delivery {
  const body = JSON.stringify(payload);
  const webhookId = `msg_${randomUUID()}`;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'webhook-id': webhookId };
  if (source.signingSecret) {
    const at = new Date();
    headers['webhook-timestamp'] = String(Math.floor(at.getTime() / 1000));
    headers['webhook-signature'] = new Webhook(source.signingSecret).sign(webhookId, at, body);
  } else {
    headers.authorization = `Bearer ${source.bearerToken}`;
  }
  return { source, webhookId, body, headers, firing, resolved };
}

/** Argus's generic payload: a trigger or a resolve of one dedup key. */
export function genericDelivery(source: StormSource, key: string, action: 'trigger' | 'resolve'): Delivery {
  const payload =
    action === 'trigger' ? { title: `Storm alert ${key}`, severity: 'P2', dedup_key: key } : { dedup_key: key, action };
  return build(source, payload, action === 'trigger' ? [key] : [], action === 'resolve' ? [key] : []);
}

/** An Alertmanager (version 4) or Grafana notification of one group, each of its alerts firing or resolved. */
export function groupDelivery(
  source: StormSource,
  group: string,
  alerts: Array<{ fingerprint: string; status: 'firing' | 'resolved' }>,
): Delivery {
  const firing = alerts.filter((a) => a.status === 'firing').map((a) => a.fingerprint);
  const resolved = alerts.filter((a) => a.status === 'resolved').map((a) => a.fingerprint);
  const payload = {
    ...(source.kind === 'alertmanager' ? { version: '4' } : {}),
    receiver: 'argus',
    status: firing.length ? 'firing' : 'resolved',
    groupKey: group,
    groupLabels: { alertname: group },
    alerts: alerts.map((a) => ({
      status: a.status,
      labels: { alertname: `Storm ${group}`, instance: a.fingerprint, severity: 'critical' },
      annotations: { summary: `Storm on ${a.fingerprint}` },
      startsAt: '2026-12-07T08:00:00Z',
      endsAt: a.status === 'resolved' ? '2026-12-07T08:30:00Z' : '0001-01-01T00:00:00Z',
      fingerprint: a.fingerprint,
    })),
  };
  return build(source, payload, firing, resolved);
}

export interface Answer {
  delivery: Delivery;
  status: number;
  body: any;
  retryAfter: string | null;
}

/** Posts one delivery; a connection refused or cut (a killed process) is status 0. */
export async function send(
  baseUrl: string,
  delivery: Delivery,
  extraHeaders: Record<string, string> = {},
): Promise<Answer> {
  try {
    const res = await fetch(`${baseUrl}/api/v1/webhook-sources/${delivery.source.id}/alerts`, {
      method: 'POST',
      headers: { ...delivery.headers, ...extraHeaders },
      body: delivery.body,
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { delivery, status: res.status, body, retryAfter: res.headers.get('retry-after') };
  } catch {
    return { delivery, status: 0, body: undefined, retryAfter: null };
  }
}

export interface StormLog {
  /** Every answer, in the order they came. */
  answers: Answer[];
  /** The 2xx answer of each delivery, by webhook-id (a replay's too: the same id). */
  acknowledged: Map<string, Answer>;
}

/**
 * `senders` concurrent senders working through `deliveries` as monitoring tools do: a delivery that is not
 * acknowledged (429, a 5xx, no answer) is sent again, the same bytes, until it is, up to `maxTries` times; a 429's
 * Retry-After is honoured up to `maxWaitMs`.
 */
export async function storm(
  baseUrl: string | (() => string),
  deliveries: Delivery[],
  options: {
    senders: number;
    headers?: Record<string, string>;
    maxWaitMs?: number;
    maxTries?: number;
    onAnswer?: (a: Answer) => void;
  },
): Promise<StormLog> {
  const log: StormLog = { answers: [], acknowledged: new Map() };
  let next = 0;
  const sender = async () => {
    while (next < deliveries.length) {
      const delivery = deliveries[next++];
      for (let tries = 1; ; tries++) {
        const answer = await send(typeof baseUrl === 'string' ? baseUrl : baseUrl(), delivery, options.headers);
        log.answers.push(answer);
        options.onAnswer?.(answer);
        if (answer.status >= 200 && answer.status < 300) {
          log.acknowledged.set(delivery.webhookId, answer);
          break;
        }
        if (answer.status >= 400 && answer.status < 500 && answer.status !== 429) break;
        if (tries >= (options.maxTries ?? 50)) break;
        const wait = answer.status === 429 ? Number(answer.retryAfter ?? 1) * 1000 : 100;
        await new Promise((r) => setTimeout(r, Math.min(wait, options.maxWaitMs ?? 200)));
      }
    }
  };
  await Promise.all(Array.from({ length: options.senders }, sender));
  return log;
}

/** A deterministic shuffle (mulberry32), so a failing storm can be replayed in the same order. */
export function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Firing notifications of every key and group, `rounds` times each, shuffled, with about 5% sent twice (exact replays).
 */
export function firingStorm(
  sources: StormSource[],
  plan: { keysPerSource: number; alertsPerGroup: number; rounds: number; seed: number },
): Delivery[] {
  const out: Delivery[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    for (const [s, source] of sources.entries()) {
      for (let k = 0; k < plan.keysPerSource; k++) {
        if (source.kind === 'generic') out.push(genericDelivery(source, `s${s}-key-${k}`, 'trigger'));
        else
          out.push(
            groupDelivery(
              source,
              `s${s}-group-${k}`,
              fingerprints(s, k, plan.alertsPerGroup).map((fingerprint) => ({ fingerprint, status: 'firing' })),
            ),
          );
      }
    }
  }
  return withReplays(out, plan.seed);
}

/** The last notification of every key and group: each alert resolved. */
export function resolvingStorm(
  sources: StormSource[],
  plan: { keysPerSource: number; alertsPerGroup: number; seed: number },
): Delivery[] {
  const out: Delivery[] = [];
  for (const [s, source] of sources.entries()) {
    for (let k = 0; k < plan.keysPerSource; k++) {
      if (source.kind === 'generic') out.push(genericDelivery(source, `s${s}-key-${k}`, 'resolve'));
      else
        out.push(
          groupDelivery(
            source,
            `s${s}-group-${k}`,
            fingerprints(s, k, plan.alertsPerGroup).map((fingerprint) => ({ fingerprint, status: 'resolved' })),
          ),
        );
    }
  }
  return withReplays(out, plan.seed);
}

const fingerprints = (s: number, k: number, n: number) => Array.from({ length: n }, (_, i) => `s${s}-g${k}-fp${i}`);

function withReplays(deliveries: Delivery[], seed: number): Delivery[] {
  const replays = deliveries.filter((_, i) => i % 20 === 7);
  return shuffled([...deliveries, ...replays], seed);
}
