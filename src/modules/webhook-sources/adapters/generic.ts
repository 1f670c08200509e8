import { AppError } from '../../../core/errors.js';
import {
  MAX_TITLE,
  NormalizedAlert,
  asObject,
  dedupKey,
  excerpt,
  optionalString,
  optionalTime,
  severityFromWord,
  sha256Hex,
  stringMap,
} from '../normalized-alert.js';

const ACTIONS = { trigger: 'firing', acknowledge: 'acknowledged', resolve: 'resolved' } as const;
const FIELDS = new Set(['title', 'description', 'severity', 'dedup_key', 'action', 'labels', 'started_at']);

/**
 * Argus's own payload, for scripts and tools without an adapter:
 * `{"title", "description", "severity", "dedup_key", "action": "trigger" | "acknowledge" | "resolve", "labels",
 * "started_at"}`.
 * `action` defaults to trigger; a trigger without `dedup_key` is keyed by its title, so repeats of one alert collapse
 * into one incident; acknowledge and resolve need the `dedup_key` of the trigger.
 */
export function adaptGeneric(payload: unknown): NormalizedAlert[] {
  const body = asObject(payload, 'body');
  for (const key of Object.keys(body))
    if (!FIELDS.has(key)) throw AppError.validation(key, 'is not a field of the generic alert payload');
  const action = body.action ?? 'trigger';
  if (typeof action !== 'string' || !(action in ACTIONS))
    throw AppError.validation('action', 'must be one of trigger, acknowledge, resolve');
  const status = ACTIONS[action as keyof typeof ACTIONS];
  const title = optionalString(body.title, 'title', MAX_TITLE);
  const key = dedupKey(body.dedup_key, 'dedup_key');
  if (status === 'firing' && !title?.trim()) throw AppError.validation('title', 'is required to trigger an alert');
  if (status !== 'firing' && !key) throw AppError.validation('dedup_key', `is required to ${action} an alert`);
  let severity;
  if (body.severity !== undefined && body.severity !== null) {
    severity = severityFromWord(optionalString(body.severity, 'severity', 50));
    if (!severity)
      throw AppError.validation('severity', 'must be one of P1, P2, P3, P4 (or critical, error, warning, info)');
  }
  return [
    {
      dedupKey: key ?? `title:${sha256Hex(title!.trim())}`,
      status,
      title: title?.trim() || key!,
      description: optionalString(body.description, 'description') ?? null,
      severity,
      labels: stringMap(body.labels, 'labels'),
      startsAt: optionalTime(body.started_at, 'started_at'),
      endsAt: null,
      groupKey: null,
      payload: excerpt(body),
    },
  ];
}
