import { createHash } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import { Severity } from '../incidents/incident.enums.js';

/**
 * One alert, whatever tool sent it. `acknowledged` comes only from the generic payload's `action: "acknowledge"`;
 * monitoring tools only fire and resolve.
 */
export interface NormalizedAlert {
  dedupKey: string;
  status: 'firing' | 'resolved' | 'acknowledged';
  title: string;
  description: string | null;
  severity?: Severity;
  labels: Record<string, string>;
  /** When the alert began; null when the payload does not say (the time of receipt is used). */
  startsAt: Date | null;
  /** When a resolved alert ended, if the payload says. */
  endsAt: Date | null;
  /** The notification group (Alertmanager / Grafana groupKey): alerts of one group share an incident. */
  groupKey: string | null;
  /** The alert as received, cut down to a bounded size, kept as the alert's last payload. */
  payload: Record<string, unknown>;
}

export type PayloadAdapter = (payload: unknown) => NormalizedAlert[];

export const MAX_TITLE = 300;
export const MAX_DESCRIPTION = 20000;
export const MAX_DEDUP_KEY = 255;
const MAX_EXCERPT = 8000;

/**
 * Severity words used by monitoring tools, mapped onto P1–P4 (case-insensitive). Prometheus and Grafana rules carry
 * them as a `severity` label by convention; anything else leaves the severity to the source default or the classifier.
 */
const SEVERITY_WORDS: Record<string, Severity> = {
  p1: Severity.P1,
  critical: Severity.P1,
  crit: Severity.P1,
  emergency: Severity.P1,
  fatal: Severity.P1,
  disaster: Severity.P1,
  page: Severity.P1,
  p2: Severity.P2,
  error: Severity.P2,
  err: Severity.P2,
  major: Severity.P2,
  high: Severity.P2,
  p3: Severity.P3,
  warning: Severity.P3,
  warn: Severity.P3,
  minor: Severity.P3,
  medium: Severity.P3,
  average: Severity.P3,
  p4: Severity.P4,
  info: Severity.P4,
  informational: Severity.P4,
  notice: Severity.P4,
  low: Severity.P4,
  none: Severity.P4,
};

export function severityFromWord(word: string | undefined | null): Severity | undefined {
  return word ? SEVERITY_WORDS[word.trim().toLowerCase()] : undefined;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A JSON value bounded for storage: kept whole when small, otherwise its labels and annotations only. */
export function excerpt(value: Record<string, unknown>): Record<string, unknown> {
  if (JSON.stringify(value).length <= MAX_EXCERPT) return value;
  const cut = (v: unknown) =>
    v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .slice(0, 50)
            .map(([k, s]) => [k, truncate(String(s), 200)]),
        )
      : undefined;
  return { truncated: true, labels: cut(value.labels), annotations: cut(value.annotations) };
}

// Shape checks: a payload that does not fit is a 400 naming the field, and nothing is stored.

export function asObject(value: unknown, field: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw AppError.validation(field, 'must be a JSON object');
  return value as Record<string, unknown>;
}

export function optionalString(value: unknown, field: string, max = MAX_DESCRIPTION): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw AppError.validation(field, 'must be a string');
  if (value.length > max) throw AppError.validation(field, `must be at most ${max} characters`);
  return value;
}

/** Labels and annotations: string values (numbers and booleans are accepted as their text). */
export function stringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const object = asObject(value, field);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(object)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw AppError.validation(`${field}.${k}`, 'must be a string');
  }
  return out;
}

/** A timestamp; Go's zero time (0001-01-01T00:00:00Z, "not set" in Alertmanager and Grafana) is null. */
export function optionalTime(value: unknown, field: string): Date | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw AppError.validation(field, 'must be an RFC 3339 timestamp');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw AppError.validation(field, 'must be an RFC 3339 timestamp');
  return date.getUTCFullYear() <= 1 ? null : date;
}

export function dedupKey(value: unknown, field: string): string | undefined {
  const key = optionalString(value, field, MAX_DEDUP_KEY);
  if (key !== undefined && !key.trim()) throw AppError.validation(field, 'must not be empty');
  return key;
}
