import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { TargetPolicy } from './ssrf.js';

export interface SendResult {
  statusCode: number | null;
  headers: Record<string, string | string[] | undefined>;
  excerpt: string | null;
  error: string | null;
  durationMs: number;
}

const EXCERPT = 200;

/**
 * One POST of a webhook. Connects only to addresses the policy allows (checked on the resolved address, so DNS
 * rebinding cannot slip through), never follows redirects, and keeps at most a short excerpt of the answer.
 */
export function sendWebhook(
  policy: TargetPolicy,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendResult> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = policy.parse(url);
      // node:http only calls `lookup` for names; an address literal is checked here.
      const host = target.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host)) policy.checkAddress(host, host);
    } catch (error) {
      resolve({ statusCode: null, headers: {}, excerpt: null, error: (error as Error).message, durationMs: 0 });
      return;
    }
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Argus-Webhooks/1.0',
        },
        lookup: policy.guardedLookup(),
        timeout: timeoutMs,
      },
      (response) => {
        // The answer of an internal target (reached because the operator allowed it) is never kept: the delivery log
        // would otherwise show any organization what an internal service says.
        const keep = !policy.isInternal(response.socket?.remoteAddress ?? '');
        let excerpt: string | null = keep ? '' : null;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (excerpt !== null && excerpt.length < EXCERPT) excerpt += chunk.slice(0, EXCERPT - excerpt.length);
        });
        response.on('end', () =>
          resolve({
            statusCode: response.statusCode ?? null,
            headers: response.headers,
            excerpt,
            error: null,
            durationMs: elapsed(),
          }),
        );
        response.on('error', (error) =>
          resolve({
            statusCode: response.statusCode ?? null,
            headers: response.headers,
            excerpt,
            error: error.message,
            durationMs: elapsed(),
          }),
        );
      },
    );
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => {
      clearTimeout(deadline);
      resolve({ statusCode: null, headers: {}, excerpt: null, error: error.message, durationMs: elapsed() });
    });
    request.on('close', () => clearTimeout(deadline));
    request.end(body);
  });
}
