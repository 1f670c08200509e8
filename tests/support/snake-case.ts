/**
 * The contract's "flat snake_case bodies", checked on everything the suite sees: every REST answer read through
 * `rest()` (client.ts) and every webhook delivered to a WebhookReceiver (receiver.ts) is walked here, and a camelCase
 * key anywhere fails the running test (the afterEach in snake-case-check.ts).
 *
 * Left alone: JSON that Argus returns as it was sent, whose keys are the sender's (an asset's `attributes`, an alert's
 * `labels`), and the OpenAPI document (OpenAPI's own keys, `operationId`).
 */
const FREE_FORM = new Set(['attributes', 'labels']);
const CAMEL = /[a-z0-9][A-Z]/;

/** The paths of camelCase keys in a JSON value (`$.data.slaPolicyId`). */
export function camelCaseKeys(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => camelCaseKeys(item, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (CAMEL.test(key)) found.push(`${path}.${key}`);
    if (!FREE_FORM.has(key)) found.push(...camelCaseKeys(inner, `${path}.${key}`));
  }
  return found;
}

const violations: string[] = [];
let checked = 0;

/** Walks one body; what it finds fails the running test. */
export function checkSnakeCase(where: string, body: unknown): void {
  checked++;
  for (const key of camelCaseKeys(body)) violations.push(`${where}: ${key}`);
}

/** The violations found since the last call (and how many bodies were walked), emptied. */
export function takeSnakeCaseViolations(): { violations: string[]; checked: number } {
  const out = { violations: violations.splice(0), checked };
  checked = 0;
  return out;
}
